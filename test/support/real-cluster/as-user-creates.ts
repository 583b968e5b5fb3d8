import type { KubeJson } from './admin-api.js';

const API_GROUPS: Record<string, string> = {
  deployments: '/apis/apps/v1',
  replicasets: '/apis/apps/v1',
  statefulsets: '/apis/apps/v1',
  daemonsets: '/apis/apps/v1',
  jobs: '/apis/batch/v1',
  cronjobs: '/apis/batch/v1',
  leases: '/apis/coordination.k8s.io/v1',
};

/** The collection URL of a resource (plural name) the scenarios and tests use; the core group unless listed. */
export function collectionPathOf(resource: string, namespace?: string): string {
  const group = API_GROUPS[resource] ?? '/api/v1';
  return `${group}${namespace ? `/namespaces/${namespace}` : ''}/${resource}`;
}

/**
 * An object as a user would send it to be created (pure): without what the server assigns (uid, resourceVersion,
 * creationTimestamp, generation, status), owner references (to a simulator's uids) and a Service's cluster IPs.
 */
export function asUserCreates(resource: string, object: KubeJson): KubeJson {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _ct,
    ownerReferences: _owners,
    generation: _generation,
    ...metadata
  } = object.metadata;
  const { status: _status, ...rest } = object;
  const body: KubeJson = { ...rest, metadata };
  if (resource === 'services') {
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = body.spec;
    body.spec = spec;
  }
  return body;
}
