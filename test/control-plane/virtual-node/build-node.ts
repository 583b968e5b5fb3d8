/** What a virtual node reports about itself at registration. */
export interface NodeSpecInput {
  name: string;
  now: Date;
  /** @defaultValue { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity?: Record<string, string>;
  /** Port of the kubelet API the API server proxies logs and exec to. @defaultValue 10250 */
  kubeletPort?: number;
  /** @defaultValue '127.0.0.1' */
  internalIP?: string;
  /** Labels besides the well-known hostname, os and arch (NodeRestriction lets a node set only some: zone, region,
   * instance-type, `node.kubernetes.io/*`, not `node-restriction.kubernetes.io/*`). */
  labels?: Record<string, string>;
  /** What `kubectl get nodes` shows as VERSION, e.g. `v1.37.2`. @defaultValue '' */
  kubeletVersion?: string;
}

/**
 * The Node a kubelet registers (pure): the well-known labels the scheduler and DaemonSets select on, capacity and
 * allocatable, a Ready condition, the addresses and kubelet port the API server's proxy uses. Status is accepted on
 * create; afterwards only through nodes/status.
 */
export function buildNode(input: NodeSpecInput) {
  const capacity = input.capacity ?? { cpu: '4', memory: '8Gi', pods: '110' };
  const now = input.now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: input.name,
      labels: {
        'kubernetes.io/hostname': input.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...input.labels,
      },
    },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
        ['Ready', 'True', 'KubeletReady'],
      ].map(([type, status, reason]) => ({
        type,
        status,
        reason,
        message: type === 'Ready' ? 'debugdead virtual kubelet is posting ready status' : reason,
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      })),
      addresses: [
        { type: 'InternalIP', address: input.internalIP ?? '127.0.0.1' },
        { type: 'Hostname', address: input.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: input.kubeletPort ?? 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '',
        osImage: 'debugdead virtual kubelet',
        containerRuntimeVersion: 'debugdead://0',
        kubeletVersion: input.kubeletVersion ?? '',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
