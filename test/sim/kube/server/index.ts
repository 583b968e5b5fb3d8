/** The simulated kube-apiserver: the front door of test/sim/kube/server. */
export { KubeApiServer, type KubeApiServerOptions, type LogParams, type LogReader } from './api-server.js';
export { SYSTEM_NAMESPACES } from './controllers.js';
export { type ErrorFault, type FaultMatch, Faults } from './faults.js';
export { deletePodGracefully } from './pod-deletion.js';
export { DEFAULT_TOKEN, DEFAULT_USER, type DenyRule, Rbac, type RecordedRequest } from './rbac.js';
export { RESOURCES, type ResourceInfo } from './resources.js';
export { humanDuration, podRow } from './table.js';
