// A virtual kubelet's first duties against the real API server: register the Node, renew its Lease.
export { buildLease, toMicroTime } from './build-lease.js';
export { buildNode, type NodeSpecInput } from './build-node.js';
export { startVirtualNode, type VirtualNode, type VirtualNodeOptions } from './start-virtual-node.js';
