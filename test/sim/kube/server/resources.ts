/** What the server knows about one resource type: URL name, kind, group/version, scope, discovery data. */
export interface ResourceInfo {
  /** Plural, as in URLs: 'pods'. */
  name: string;
  singular: string;
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served, e.g. ['status', 'log']. */
  subresources: string[];
  /** Has a status subresource: main-resource writes keep the stored status. */
  hasStatus: boolean;
  categories?: string[];
}

const core = (
  name: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  subresources: string[] = [],
): ResourceInfo => ({
  name,
  singular: kind.toLowerCase(),
  kind,
  group: '',
  version: 'v1',
  namespaced,
  shortNames,
  subresources,
  hasStatus: subresources.includes('status'),
});

const grouped = (
  group: string,
  name: string,
  kind: string,
  shortNames: string[],
  subresources: string[] = ['status'],
): ResourceInfo => ({
  name,
  singular: kind.toLowerCase(),
  kind,
  group,
  version: 'v1',
  namespaced: true,
  shortNames,
  subresources,
  hasStatus: subresources.includes('status'),
  categories: ['all'],
});

/** A cluster-scoped resource of an API group, with no status (PriorityClass, RuntimeClass). */
const clusterScoped = (group: string, name: string, kind: string, shortNames: string[]): ResourceInfo => ({
  name,
  singular: kind.toLowerCase(),
  kind,
  group,
  version: 'v1',
  namespaced: false,
  shortNames,
  subresources: [],
  hasStatus: false,
});

/** Every resource the simulated server serves. */
export const RESOURCES: readonly ResourceInfo[] = [
  core('namespaces', 'Namespace', false, ['ns'], ['status']),
  core('nodes', 'Node', false, ['no'], ['status']),
  { ...core('pods', 'Pod', true, ['po'], ['status', 'log', 'ephemeralcontainers', 'exec']), categories: ['all'] },
  core('events', 'Event', true, ['ev']),
  { ...core('services', 'Service', true, ['svc'], ['status']), categories: ['all'] },
  core('serviceaccounts', 'ServiceAccount', true, ['sa']),
  core('configmaps', 'ConfigMap', true, ['cm']),
  core('secrets', 'Secret', true, []),
  grouped('apps', 'deployments', 'Deployment', ['deploy']),
  grouped('apps', 'replicasets', 'ReplicaSet', ['rs']),
  grouped('apps', 'statefulsets', 'StatefulSet', ['sts']),
  grouped('apps', 'daemonsets', 'DaemonSet', ['ds']),
  grouped('batch', 'jobs', 'Job', []),
  clusterScoped('scheduling.k8s.io', 'priorityclasses', 'PriorityClass', ['pc']),
  clusterScoped('node.k8s.io', 'runtimeclasses', 'RuntimeClass', []),
  // Leader election (client-go's leaderelection, and the bot's alert watcher): no status, not in "all".
  { ...grouped('coordination.k8s.io', 'leases', 'Lease', [], []), categories: [] },
];

const byPath = new Map(RESOURCES.map((r) => [`${r.group}/${r.version}/${r.name}`, r]));

/** The resource served at /api/v1/<name> (group '') or /apis/<group>/<version>/<name>. */
export function findResource(group: string, version: string, name: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${name}`);
}

/** The `apiVersion` objects of this resource carry: 'v1' or 'apps/v1'. */
export function apiVersionOf(r: ResourceInfo): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** The group/versions served, in discovery order. */
export const GROUPS: readonly { group: string; version: string }[] = [
  { group: 'apps', version: 'v1' },
  { group: 'batch', version: 'v1' },
  { group: 'scheduling.k8s.io', version: 'v1' },
  { group: 'node.k8s.io', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
];
