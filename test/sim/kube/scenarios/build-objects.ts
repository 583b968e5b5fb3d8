import { createHash } from 'node:crypto';
import type { KubeObject } from '../store-contract.js';

type Json = any;

/** The alphabet of generated name suffixes and pod-template-hash (apimachinery's rand.SafeEncodeString). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** A stable string of `n` safe characters derived from `seed`. */
export function safeSuffix(seed: string, n: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE[(bytes[i] as number) % SAFE.length];
  return out;
}

/** A stable UUID-shaped uid for `seed`, so scenario objects are the same at every start. */
export function stableUid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function buildNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** Options of {@link buildNode}. */
export interface NodeOptions {
  /** @defaultValue '4' */ cpu?: string;
  /** @defaultValue '16Gi' */ memory?: string;
  /** @defaultValue '110' */ pods?: string;
  /** @defaultValue true */ ready?: boolean;
  labels?: Record<string, string>;
  taints?: Json[];
  unschedulable?: boolean;
  /** Third octet of the node's pod CIDR and last octet of its address. @defaultValue 1 */
  index?: number;
}

/** A worker node as a real kubelet registers it (addresses, allocatable, Ready, pod CIDR). */
export function buildNode(name: string, o: NodeOptions = {}): KubeObject {
  const i = o.index ?? 1;
  const alloc = {
    cpu: o.cpu ?? '4',
    memory: o.memory ?? '16Gi',
    pods: o.pods ?? '110',
    'ephemeral-storage': '95491281146',
  };
  const ready = o.ready ?? true;
  const t = '2026-11-20T08:00:00Z';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'm6i.xlarge',
        'topology.kubernetes.io/zone': `eu-west-1${'abc'[(i - 1) % 3]}`,
        ...o.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {
      podCIDR: `10.244.${i}.0/24`,
      podCIDRs: [`10.244.${i}.0/24`],
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: alloc,
      allocatable: alloc,
      addresses: [
        { type: 'InternalIP', address: `10.0.1.${10 + i}` },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'False',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
        },
        ready
          ? {
              type: 'Ready',
              status: 'True',
              lastHeartbeatTime: t,
              lastTransitionTime: t,
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
            }
          : {
              type: 'Ready',
              status: 'Unknown',
              lastHeartbeatTime: t,
              lastTransitionTime: t,
              reason: 'NodeStatusUnknown',
              message: 'Kubelet stopped posting node status.',
            },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '6.5.0-1024-aws',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.32.2',
        kubeProxyVersion: 'v1.32.2',
        machineID: stableUid(`machine/${name}`).replaceAll('-', ''),
        systemUUID: stableUid(`system/${name}`),
        bootID: stableUid(`boot/${name}`),
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
  };
}

/** The API server's container defaults (what a created pod reads back with). */
export function defaultContainer(c: Json): Json {
  const image: string = c.image ?? '';
  const tail = image.split('/').pop() ?? '';
  const latest = !image.includes('@') && (!tail.includes(':') || tail.endsWith(':latest'));
  return {
    imagePullPolicy: latest ? 'Always' : 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
    ...c,
    ...(c.ports ? { ports: c.ports.map((p: Json) => ({ protocol: 'TCP', ...p })) } : {}),
  };
}

/** A pod spec with the server-side defaults filled in. */
export function defaultPodSpec(spec: Json): Json {
  return {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
  };
}

/** What one app of a scenario is made of. */
export interface WorkloadSpec {
  namespace: string;
  /** Deployment, Service and app label name. */
  app: string;
  /** Pod name; a literal name (not `<rs>-<5 chars>`) so people and tests can name it. @defaultValue app */
  podName?: string;
  /** The pod template spec (containers, volumes, ...); defaults are added. */
  spec: Json;
  /** Service port. @defaultValue 80 → 8080 */
  port?: number;
  /**
   * Pods of the ReplicaSet. With more than one, they get generated names `<rs>-<5 chars>` as the ReplicaSet
   * controller makes them (podName is then ignored). @defaultValue 1
   */
  replicas?: number;
  /** Creation time of the Deployment, ReplicaSet and pod. */
  createdAt: string;
}

/** Deployment → ReplicaSet → Pod (with ownerReferences, pod-template-hash) and a Service selecting the pod. */
export function buildWorkload(w: WorkloadSpec): {
  deployment: KubeObject;
  replicaSet: KubeObject;
  pod: KubeObject;
  /** All the ReplicaSet's pods (`pod` first). */
  pods: KubeObject[];
  service: KubeObject;
} {
  const replicas = w.replicas ?? 1;
  const ns = w.namespace;
  const labels = { app: w.app, 'app.kubernetes.io/name': w.app, 'app.kubernetes.io/part-of': 'demo' };
  const template = { metadata: { labels }, spec: defaultPodSpec(w.spec) };
  const hash = safeSuffix(JSON.stringify(template), 10);
  const rsName = `${w.app}-${hash}`;
  const depUid = stableUid(`deployment/${ns}/${w.app}`);
  const rsUid = stableUid(`replicaset/${ns}/${rsName}`);
  const podLabels = { ...labels, 'pod-template-hash': hash };
  const t = w.createdAt;
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: w.app,
      namespace: ns,
      uid: depUid,
      labels,
      generation: 1,
      creationTimestamp: t,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: w.app } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: 1,
      unavailableReplicas: 1,
      conditions: [
        {
          type: 'Available',
          status: 'False',
          lastUpdateTime: t,
          lastTransitionTime: t,
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: t,
          lastTransitionTime: t,
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
      ],
    },
  };
  const replicaSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: ns,
      uid: rsUid,
      labels: podLabels,
      generation: 1,
      creationTimestamp: t,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
        'deployment.kubernetes.io/revision': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: w.app,
          uid: depUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: w.app, 'pod-template-hash': hash } },
      template: { metadata: { labels: podLabels }, spec: template.spec },
    },
    status: { replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 },
  };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: w.podName ?? w.app,
      namespace: ns,
      labels: podLabels,
      creationTimestamp: t,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rsName,
          uid: rsUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: template.spec,
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: w.app, namespace: ns, labels, creationTimestamp: t },
    spec: {
      type: 'ClusterIP',
      selector: { app: w.app },
      ports: [{ name: 'http', protocol: 'TCP', port: w.port ?? 80, targetPort: 8080 }],
      clusterIP: `10.96.${Number.parseInt(stableUid(`svc/${ns}/${w.app}`).slice(0, 2), 16)}.${Number.parseInt(stableUid(`svc/${ns}/${w.app}`).slice(2, 4), 16) || 1}`,
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
  service.spec.clusterIPs = [service.spec.clusterIP];
  const pods =
    replicas === 1
      ? [pod]
      : Array.from({ length: replicas }, (_, i) => {
          const name = `${rsName}-${safeSuffix(`${rsName}/${i}`, 5)}`;
          return { ...pod, metadata: { ...pod.metadata, name, generateName: `${rsName}-` } };
        });
  return { deployment, replicaSet, pod: pods[0] as KubeObject, pods, service };
}
