/** A MicroTime as the API requires it: RFC 3339 with exactly six fractional digits (pure). */
export function toMicroTime(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The node's heartbeat (pure): a Lease named after the node in `kube-node-lease`, held by the node, owned by the
 * Node (deleted with it). The node-lifecycle controller counts a renewal as a heartbeat; without one for
 * --node-monitor-grace-period (50 s) the node turns Ready=Unknown and is tainted unreachable.
 */
export function buildLease(input: {
  node: string;
  nodeUid: string;
  now: Date;
  /** @defaultValue 40, the kubelet's */
  durationSeconds?: number;
  resourceVersion?: string;
}) {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: input.node,
      namespace: 'kube-node-lease',
      ...(input.resourceVersion ? { resourceVersion: input.resourceVersion } : {}),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: input.node, uid: input.nodeUid }],
    },
    spec: {
      holderIdentity: input.node,
      leaseDurationSeconds: input.durationSeconds ?? 40,
      renewTime: toMicroTime(input.now),
    },
  };
}
