import { RealClock } from '../../sim/kube/clock.js';
import type { ContainerRule } from '../../sim/kube/kubelet/behaviour.js';
import { loadScenario } from '../../sim/kube/scenarios/index.js';
import { MemoryStore } from '../../sim/kube/store.js';
import type { AdminApi, KubeJson } from './admin-api.js';

/**
 * Resources in the order they are created through the real API. Pods come before their ReplicaSet, and the
 * ReplicaSet before its Deployment, so each controller adopts what exists (the ReplicaSet controller claims orphan
 * pods its selector matches; the Deployment controller claims the ReplicaSet and, finding its template equal
 * ignoring pod-template-hash, keeps it as the new one) instead of creating pods with generated names: the scenario's
 * pods keep names people and tests can type (`crash-exit1`). Nodes are left out: kubelets register their own.
 */
const ORDER = ['namespaces', 'serviceaccounts', 'configmaps', 'pods', 'replicasets', 'deployments', 'services'];

/** A scenario of test/sim/kube/scenarios, read for a real cluster. */
export interface ScenarioObjects {
  /** The containers' behaviour, for the (virtual) kubelet: give it these before the pods exist. */
  rules: ContainerRule[];
  /** The scenario's objects by resource, as the simulator stores them. */
  store: MemoryStore;
}

/** Loads a scenario into a throw-away simulator store, collecting its kubelet rules. */
export async function readScenarioObjects(name: string): Promise<ScenarioObjects> {
  const store = new MemoryStore({ clock: new RealClock() });
  const rules: ContainerRule[] = [];
  await loadScenario(name, { store, clock: new RealClock(), kubelet: { addRule: (rule) => rules.push(rule) } });
  return { rules, store };
}

/**
 * Creates a scenario's objects in a real API server, in {@link ORDER}, stripped of what the server assigns (uid,
 * resourceVersion, timestamps, status, owner references to the simulator's uids, Service cluster IPs). Objects that
 * exist already are kept. Returns `namespace/name` of every pod.
 */
export async function applyScenario(api: AdminApi, { store }: ScenarioObjects): Promise<string[]> {
  const pods: string[] = [];
  for (const resource of ORDER) {
    for (const object of store.list(resource)) {
      const namespace = object.metadata.namespace as string | undefined;
      if (resource === 'serviceaccounts' && object.metadata.name === 'default') continue; // the controller manager's
      const body = asUserCreates(resource, object);
      await api.call('POST', collectionPathOf(resource, namespace), body, { ok: [409] });
      if (resource === 'namespaces') await waitForDefaultServiceAccount(api, object.metadata.name);
      if (resource === 'pods') pods.push(`${namespace}/${object.metadata.name}`);
    }
  }
  return pods;
}

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

/** Pods cannot be created in a namespace before the controller manager has made its `default` ServiceAccount. */
async function waitForDefaultServiceAccount(api: AdminApi, namespace: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await api.call('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`, undefined, {
      ok: [404],
    });
    if (found?.kind === 'ServiceAccount') return;
    if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${namespace} after 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
