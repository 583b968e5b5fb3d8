import type { Clock } from '../clock.js';
import { type HistoryEntry, isoSeconds, type MemoryStore, StoreError } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { applyCreateDefaults } from './defaults.js';
import { JobController } from './job-controller.js';
import { SYSTEM_PRIORITY_CLASSES } from './pod-admission.js';
import { deletePodGracefully } from './pod-deletion.js';
import { type CreatePod, ReplicaSetController } from './replicaset-controller.js';
import { RESOURCES } from './resources.js';

type Any = any;

/** The namespaces every cluster starts with. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const OWNER_RESOURCES = new Set(['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs']);
const DEPENDENT_RESOURCES = ['replicasets', 'pods'];

/** A fake PEM body for the kube-root-ca.crt ConfigMap every namespace gets. */
const ROOT_CA = '-----BEGIN CERTIFICATE-----\nMIIBsimulatedkubernetesrootcaZGVidWdkZWFk\n-----END CERTIFICATE-----\n';

/**
 * The control-plane loops the API server's behaviour depends on: every namespace gets a `default`
 * ServiceAccount and the `kube-root-ca.crt` ConfigMap; a terminating namespace is emptied and then removed; the
 * garbage collector removes dependents of a deleted owner (background propagation); ReplicaSets keep their
 * replica count (replicaset-controller.ts) and Jobs run their pods (job-controller.ts).
 */
export function startControllers(store: MemoryStore, clock: Clock, createPod: CreatePod): () => void {
  const replicaSets = new ReplicaSetController(store, clock, createPod);
  const jobs = new JobController(store, clock, createPod);
  const now = (): string => isoSeconds(clock.now());
  const ensureNamespaceContents = (ns: string): void => {
    if (!store.peek('serviceaccounts', ns, 'default')) {
      try {
        store.create('serviceaccounts', {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace: ns },
        });
      } catch {
        /* created meanwhile */
      }
    }
    if (!store.peek('configmaps', ns, 'kube-root-ca.crt')) {
      try {
        store.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'kube-root-ca.crt',
            namespace: ns,
            annotations: {
              'kubernetes.io/description':
                'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
            },
          },
          data: { 'ca.crt': ROOT_CA },
        });
      } catch {
        /* created meanwhile */
      }
    }
  };
  const finishNamespace = (ns: string): void => {
    const o = store.peek('namespaces', undefined, ns);
    if (!o?.metadata.deletionTimestamp) return;
    if (store.count('pods', ns) > 0) return;
    for (const r of RESOURCES)
      if (r.namespaced) for (const x of store.scan(r.name, ns)) store.remove(r.name, ns, x.metadata.name);
    if (store.peek('namespaces', undefined, ns)) store.remove('namespaces', undefined, ns);
  };
  const emptyNamespace = (ns: string): void => {
    for (const r of RESOURCES) {
      if (!r.namespaced || r.name === 'pods') continue;
      for (const x of store.scan(r.name, ns)) store.remove(r.name, ns, x.metadata.name);
    }
    for (const p of store.scan('pods', ns)) deletePodGracefully(store, p, undefined, now());
    finishNamespace(ns);
  };
  const collectDependents = (owner: KubeObject): void => {
    const uid = owner.metadata.uid;
    const ns = owner.metadata.namespace;
    for (const res of DEPENDENT_RESOURCES) {
      for (const d of store.scan(res, ns)) {
        if (!(d.metadata.ownerReferences ?? []).some((ref: Any) => ref.uid === uid)) continue;
        if (res === 'pods') deletePodGracefully(store, d, undefined, now());
        else if (store.peek(res, ns, d.metadata.name)) store.remove(res, ns, d.metadata.name);
      }
    }
  };

  const pending: HistoryEntry[] = [];
  let scheduled = false;
  const drain = (): void => {
    scheduled = false;
    for (const e of pending.splice(0)) {
      try {
        react(e);
      } catch (err) {
        // A controller racing another writer (the object changed or went meanwhile) retries on the next change,
        // as a real one requeues; it must never take the server down.
        if (!(err instanceof StoreError)) process.stderr.write(`kube-sim controller: ${(err as Error).stack ?? err}\n`);
      }
    }
  };
  const react = (e: HistoryEntry): void => {
    if (ReplicaSetController.relevant(e)) replicaSets.handle(e);
    if (JobController.relevant(e)) jobs.handle(e);
    if (e.resource === 'namespaces') {
      if (e.type === 'ADDED') ensureNamespaceContents(e.object.metadata.name);
      if (e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp && !e.prev?.metadata.deletionTimestamp)
        emptyNamespace(e.object.metadata.name);
    } else if (e.type === 'DELETED') {
      if (e.resource === 'pods' && e.namespace) finishNamespace(e.namespace);
      if (OWNER_RESOURCES.has(e.resource)) collectDependents(e.object);
    }
  };
  // Deferred to a microtask so that watchers see each change in resourceVersion order.
  const unsubscribe = store.subscribeRaw((e) => {
    if (
      e.resource !== 'namespaces' &&
      e.type !== 'DELETED' &&
      !ReplicaSetController.relevant(e) &&
      !JobController.relevant(e)
    )
      return;
    pending.push(e);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(drain);
    }
  });

  for (const ns of SYSTEM_NAMESPACES) {
    if (!store.peek('namespaces', undefined, ns)) {
      const o: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
      applyCreateDefaults('namespaces', o, { now: now(), allocateClusterIP: () => '' });
      store.create('namespaces', o);
    }
    ensureNamespaceContents(ns);
  }
  for (const ns of store.scan('namespaces')) ensureNamespaceContents(ns.metadata.name);
  // The apiserver creates the two system PriorityClasses at startup.
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    if (!store.peek('priorityclasses', undefined, pc.name)) {
      store.create('priorityclasses', {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: pc.name },
        value: pc.value,
        description: pc.description,
        preemptionPolicy: 'PreemptLowerPriority',
      });
    }
  }
  // Every cluster has the apiserver's own Service, default/kubernetes, on the first ClusterIP.
  if (!store.peek('services', 'default', 'kubernetes')) {
    store.create('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
        sessionAffinity: 'None',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
      status: { loadBalancer: {} },
    });
  }
  return () => {
    unsubscribe();
    jobs.stop();
  };
}
