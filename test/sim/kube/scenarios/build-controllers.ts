import type { KubeObject } from '../store-contract.js';
import { defaultPodSpec, safeSuffix, stableUid } from './build-objects.js';

type Json = any;

const ownerRef = (apiVersion: string, kind: string, name: string, uid: string): Json => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
  blockOwnerDeletion: true,
});

const podOf = (ns: string, name: string, labels: Json, owner: Json, spec: Json, t: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels, creationTimestamp: t, ownerReferences: [owner] },
  spec,
  status: { phase: 'Pending', qosClass: 'BestEffort' },
});

/** A StatefulSet and its pods `<name>-0..n-1`, with the labels the StatefulSet controller sets. */
export function buildStatefulSet(
  ns: string,
  name: string,
  podSpec: Json,
  replicas: number,
  t: string,
): { owner: KubeObject; pods: KubeObject[] } {
  const labels = { app: name };
  const spec = defaultPodSpec(podSpec);
  const revision = `${name}-${safeSuffix(JSON.stringify(spec), 10)}`;
  const uid = stableUid(`statefulset/${ns}/${name}`);
  const owner: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns, uid, labels, generation: 1, creationTimestamp: t },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    },
    status: { replicas, currentRevision: revision, updateRevision: revision, observedGeneration: 1 },
  };
  const pods = Array.from({ length: replicas }, (_, i) =>
    podOf(
      ns,
      `${name}-${i}`,
      {
        ...labels,
        'apps.kubernetes.io/pod-index': String(i),
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
      },
      ownerRef('apps/v1', 'StatefulSet', name, uid),
      { ...spec, hostname: `${name}-${i}`, subdomain: name },
      t,
    ),
  );
  return { owner, pods };
}

/** A Job (restartPolicy Never) and its one pod `<name>-<5 chars>`, with the Job controller's labels. */
export function buildJob(
  ns: string,
  name: string,
  podSpec: Json,
  t: string,
): { owner: KubeObject; pods: KubeObject[] } {
  const uid = stableUid(`job/${ns}/${name}`);
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const spec = defaultPodSpec({ restartPolicy: 'Never', ...podSpec });
  const owner: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns, uid, labels, generation: 1, creationTimestamp: t },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 0,
      completionMode: 'NonIndexed',
      suspend: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: { metadata: { labels }, spec },
    },
    status: { active: 1, startTime: t },
  };
  const pod = podOf(
    ns,
    `${name}-${safeSuffix(`job/${name}`, 5)}`,
    labels,
    ownerRef('batch/v1', 'Job', name, uid),
    spec,
    t,
  );
  pod.metadata.generateName = `${name}-`;
  return { owner, pods: [pod] };
}

/**
 * A DaemonSet and one pod per node, each pinned by the required node affinity on `metadata.name` the DaemonSet
 * controller writes (the scheduler then places it), with the tolerations it adds.
 */
export function buildDaemonSet(
  ns: string,
  name: string,
  podSpec: Json,
  nodes: readonly string[],
  t: string,
): { owner: KubeObject; pods: KubeObject[] } {
  const labels = { app: name };
  const uid = stableUid(`daemonset/${ns}/${name}`);
  const spec = defaultPodSpec(podSpec);
  const revision = safeSuffix(JSON.stringify(spec), 10);
  const owner: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns, uid, labels, generation: 1, creationTimestamp: t },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
    status: {
      desiredNumberScheduled: nodes.length,
      currentNumberScheduled: nodes.length,
      numberReady: 0,
      observedGeneration: 1,
    },
  };
  const pods = nodes.map((node) =>
    podOf(
      ns,
      `${name}-${safeSuffix(`${name}/${node}`, 5)}`,
      { ...labels, 'controller-revision-hash': revision, 'pod-template-generation': '1' },
      ownerRef('apps/v1', 'DaemonSet', name, uid),
      {
        ...spec,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
            },
          },
        },
        tolerations: [
          ...(spec.tolerations ?? []),
          { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
      t,
    ),
  );
  return { owner, pods };
}
