import type { KubeObject } from '../../sim/kube/store-contract.js';

type Json = any;

/** One create a user would make (`kubectl create -f`) to set a scenario up on a real cluster. */
export interface ScenarioRequest {
  path: string;
  body: Json;
}

/** A Node the scenario wants; the virtual kubelet registers it. */
export interface ScenarioNode {
  name: string;
  capacity: Record<string, string>;
  labels: Record<string, string>;
}

/** API path of each resource a scenario may hold, in the order they are created (namespaces first). */
const PATHS: [resource: string, prefix: string][] = [
  ['namespaces', '/api/v1'],
  ['serviceaccounts', '/api/v1'],
  ['configmaps', '/api/v1'],
  ['secrets', '/api/v1'],
  ['persistentvolumeclaims', '/api/v1'],
  ['services', '/api/v1'],
  ['deployments', '/apis/apps/v1'],
  ['replicasets', '/apis/apps/v1'],
  ['statefulsets', '/apis/apps/v1'],
  ['daemonsets', '/apis/apps/v1'],
  ['cronjobs', '/apis/batch/v1'],
  ['jobs', '/apis/batch/v1'],
  ['pods', '/api/v1'],
];
/**
 * The order for {@link PlanOptions.keepPodNames}: pods before their ReplicaSet, the ReplicaSet before its Deployment,
 * so each controller adopts what exists (the ReplicaSet controller claims orphan pods its selector matches; the
 * Deployment controller claims the ReplicaSet and, finding its template equal ignoring pod-template-hash, keeps it as
 * the new one) instead of creating pods with generated names. Services come last, as kubectl would have created them
 * after the pods in the set-up the e2e tests were written against (no service links in the pods' environment).
 */
const LITERAL_ORDER = [
  'namespaces',
  'serviceaccounts',
  'configmaps',
  'secrets',
  'persistentvolumeclaims',
  'pods',
  'replicasets',
  'deployments',
  'statefulsets',
  'daemonsets',
  'cronjobs',
  'jobs',
  'services',
];

/** Options of {@link planScenarioRequests}. */
export interface PlanOptions {
  /**
   * Create the scenario's pods and ReplicaSets too, under their literal names, as orphans before their owners, so
   * that the controllers adopt them and tests can type the names (`crash-exit1`). Pods of StatefulSets, Jobs and
   * DaemonSets are created as orphans as well; only the ReplicaSet and Deployment controllers are known to adopt
   * them as they are. @defaultValue false (controllers make and name them)
   */
  keepPodNames?: boolean;
}

/** What the cluster makes itself: Nodes (the kubelet), Events, and the namespace's `default` ServiceAccount. */
const MADE_BY_THE_CLUSTER = new Set(['nodes', 'events', 'leases', 'endpoints', 'endpointslices']);
/** Labels the API server or kubelet set on their own. */
const NODE_LABELS_SET_BY_KUBELET = /^(kubernetes\.io\/(hostname|os|arch)|beta\.kubernetes\.io\/(os|arch))$/;

/**
 * How to set up on a real cluster what a simulator scenario put in its store (pure): only what a user creates.
 * Objects a controller makes (a ReplicaSet of a Deployment, the pods of a ReplicaSet, StatefulSet, Job or
 * DaemonSet, a CronJob's Jobs) are left to the real controllers, so their names are the controllers' own
 * (`checkout-7d4b9c-x2x9z`, not the simulator's literal names). Server-set metadata and status are dropped, and a
 * Service's cluster IP too (the real service range differs). The scenario's Nodes come back as {@link ScenarioNode}s
 * for the virtual kubelet to register. Throws naming a resource it does not know, so a new scenario kind is noticed.
 */
export function planScenarioRequests(
  byResource: Record<string, KubeObject[]>,
  options: PlanOptions = {},
): {
  requests: ScenarioRequest[];
  nodes: ScenarioNode[];
} {
  const known = new Set(PATHS.map(([r]) => r));
  for (const resource of Object.keys(byResource)) {
    if (!known.has(resource) && !MADE_BY_THE_CLUSTER.has(resource)) {
      throw new Error(`a scenario holds ${resource}, which planScenarioRequests does not know how to create`);
    }
  }
  const requests: ScenarioRequest[] = [];
  const paths = options.keepPodNames
    ? LITERAL_ORDER.map((r) => PATHS.find(([p]) => p === r) as [string, string])
    : PATHS;
  for (const [resource, prefix] of paths) {
    const objects = [...(byResource[resource] ?? [])].sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
    );
    for (const o of objects) {
      const owned = (o.metadata.ownerReferences ?? []).some((r: Json) => r.controller !== false);
      if (owned && !options.keepPodNames) continue;
      if (resource === 'serviceaccounts' && o.metadata.name === 'default') continue;
      const ns: string | undefined = o.metadata.namespace;
      const path = ns ? `${prefix}/namespaces/${ns}/${resource}` : `${prefix}/${resource}`;
      requests.push({ path, body: asUserWrites(resource, o) });
    }
  }
  const nodes = (byResource.nodes ?? []).map((n) => ({
    name: n.metadata.name as string,
    capacity: Object.fromEntries(
      Object.entries(n.status?.capacity ?? {}).filter(([k]) => ['cpu', 'memory', 'pods'].includes(k)),
    ) as Record<string, string>,
    labels: Object.fromEntries(
      Object.entries(n.metadata.labels ?? {}).filter(([k]) => !NODE_LABELS_SET_BY_KUBELET.test(k)),
    ) as Record<string, string>,
  }));
  return { requests, nodes };
}

function asUserWrites(resource: string, o: KubeObject): Json {
  const { status: _status, ...rest } = o;
  const md = o.metadata;
  const annotations = Object.fromEntries(
    Object.entries(md.annotations ?? {}).filter(([k]) => !k.startsWith('deployment.kubernetes.io/')),
  );
  const metadata = {
    name: md.name,
    ...(md.namespace ? { namespace: md.namespace } : {}),
    ...(md.labels ? { labels: md.labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  const out: Json = { ...rest, metadata };
  if (resource === 'namespaces') delete out.spec;
  if (resource === 'services' && out.spec) {
    const { clusterIP, clusterIPs: _ips, ...spec } = out.spec;
    out.spec = clusterIP === 'None' ? { ...spec, clusterIP } : spec;
  }
  if (resource === 'jobs' && out.spec && !out.spec.manualSelector) out.spec = withoutJobSelector(out.spec);
  if (resource === 'cronjobs' && out.spec?.jobTemplate?.spec) {
    out.spec = {
      ...out.spec,
      jobTemplate: { ...out.spec.jobTemplate, spec: withoutJobSelector(out.spec.jobTemplate.spec) },
    };
  }
  return out;
}

/** The API server generates a Job's selector and its pods' `controller-uid`/`job-name` labels, and refuses others. */
const JOB_LABELS = ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name'];

function withoutJobSelector(spec: Json): Json {
  const { selector: _selector, ...rest } = spec;
  const labels = Object.fromEntries(
    Object.entries(spec.template?.metadata?.labels ?? {}).filter(([k]) => !JOB_LABELS.includes(k)),
  );
  return { ...rest, template: { ...spec.template, metadata: { ...spec.template?.metadata, labels } } };
}
