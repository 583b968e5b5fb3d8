import type { MemoryStore } from '../../sim/kube/store.js';
import type { KubeObject } from '../../sim/kube/store-contract.js';
import type { ClientTls } from '../request-url.js';
import { type WatchEvent, type WatchHandle, watchUrl } from '../watch-url.js';
import type { NodeCall, WriteForwarder } from './forward-writes.js';
import { listConfigReferences } from './list-config-references.js';

export interface MirrorNodePodsOptions {
  node: string;
  server: string;
  tls: ClientTls;
  store: MemoryStore;
  forwarder: WriteForwarder;
  call: NodeCall;
  /** How often ConfigMaps and Secrets that pods name but that were not found are read again. @defaultValue 2000 */
  configRetryMs?: number;
  onError?: (message: string) => void;
}

export interface NodePodsMirror {
  /** Resolves once the first list has been applied. */
  synced: Promise<void>;
  stop(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps the kubelet's mirror in step with the pods bound to one node, as a kubelet's pod config source does: list
 * and watch `pods?fieldSelector=spec.nodeName=<node>` with the node's own identity (the Node authorizer lets a node
 * list only its own pods), relisting when the watch expires (410). Before a pod first enters the mirror, the
 * ConfigMaps and Secrets it names are read (the kubelet's volume manager and env builder need them); those not found
 * are read again every `configRetryMs`. The pod's status in the mirror stays the kubelet's own once it drives the
 * pod; metadata and spec (deletionTimestamp, new ephemeral containers, a lowered activeDeadlineSeconds) follow the
 * API server.
 */
export function mirrorNodePods(options: MirrorNodePodsOptions): NodePodsMirror {
  const { node, store, forwarder, call } = options;
  const onError = options.onError ?? (() => {});
  const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
  let stopped = false;
  let watch: WatchHandle | undefined;
  let resourceVersion = '';
  /** `ns/resource/name` of ConfigMaps and Secrets looked for and not found. */
  const missing = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  const mine = (ns: string, name: string) => {
    const p = store.peek('pods', ns, name);
    return p && p.spec?.nodeName === node ? p : undefined;
  };

  const fetchConfig = async (ns: string, resource: 'configmaps' | 'secrets', name: string) => {
    // The Node authorizer learns of a pod's references a moment after the pod is bound: a 403 then is retried.
    for (let attempt = 0; ; attempt++) {
      const res = await call(node, 'GET', `/api/v1/namespaces/${ns}/${resource}/${name}`).catch(() => ({
        status: 0,
        body: '',
      }));
      if (res.status === 200) {
        const o = JSON.parse(res.body) as KubeObject;
        missing.delete(`${ns}/${resource}/${name}`);
        forwarder.fromApi(() => {
          if (store.peek(resource, ns, name)) store.update(resource, o);
          else store.create(resource, o);
        });
        return;
      }
      if (res.status === 404 || attempt >= 10) {
        missing.add(`${ns}/${resource}/${name}`);
        if (store.peek(resource, ns, name)) forwarder.fromApi(() => store.remove(resource, ns, name));
        return;
      }
      await sleep(300);
    }
  };

  const upsert = async (pod: KubeObject) => {
    const { namespace: ns, name, uid } = pod.metadata;
    const current = store.peek('pods', ns, name);
    if (!current || current.metadata.uid !== uid) {
      await Promise.all(listConfigReferences(pod.spec).map((r) => fetchConfig(ns, r.resource, r.name)));
      if (stopped) return;
    }
    const now = store.peek('pods', ns, name);
    forwarder.fromApi(() => {
      if (now && now.metadata.uid !== uid) store.remove('pods', ns, name);
      if (now && now.metadata.uid === uid) store.update('pods', { ...pod, status: now.status });
      else store.create('pods', pod);
    });
  };

  const remove = (pod: KubeObject) => {
    const { namespace: ns, name, uid } = pod.metadata;
    forwarder.forgetPod(uid);
    const current = mine(ns, name);
    if (current && current.metadata.uid === uid) forwarder.fromApi(() => store.remove('pods', ns, name));
  };

  const handle = (event: WatchEvent) => {
    if (event.object?.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion;
    if (event.type === 'ADDED' || event.type === 'MODIFIED') return upsert(event.object);
    if (event.type === 'DELETED') return remove(event.object);
    return undefined;
  };
  // Events are applied one at a time, in order, though reading a pod's ConfigMaps takes a round trip.
  const enqueue = (fn: () => unknown) => {
    queue = queue.then(async () => {
      if (!stopped) await fn();
    });
    queue.catch((e) => onError(e instanceof Error ? e.message : String(e)));
    return queue;
  };

  const list = async () => {
    for (;;) {
      const res = await call(node, 'GET', `/api/v1/pods?${selector}`).catch((e: Error) => ({
        status: 0,
        body: e.message,
      }));
      if (res.status === 200) {
        const body = JSON.parse(res.body);
        resourceVersion = body.metadata.resourceVersion;
        const items: KubeObject[] = body.items ?? [];
        const present = new Set(items.map((p) => p.metadata.uid));
        await enqueue(async () => {
          for (const p of store.scan('pods')) {
            if (p.spec?.nodeName === node && !present.has(p.metadata.uid)) remove(p);
          }
          for (const p of items) await upsert(p);
        });
        return;
      }
      onError(`listing the pods of ${node}: HTTP ${res.status} ${res.body}`);
      if (stopped) return;
      await sleep(1000);
    }
  };

  const loop = async () => {
    while (!stopped) {
      let expired = false;
      const url = `${options.server}/api/v1/pods?${selector}&watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}&timeoutSeconds=300`;
      watch = watchUrl(url, options.tls, (event) => {
        if (event.type === 'ERROR') {
          expired = true;
          return;
        }
        void enqueue(() => handle(event));
      });
      const end = await watch.done;
      if (stopped) return;
      if (expired || end.status === 410) await list();
      else if (end.status !== 200) await sleep(500);
    }
  };

  const retry = setInterval(() => {
    if (missing.size === 0) return;
    const wanted = new Set<string>();
    for (const p of store.scan('pods')) {
      if (p.spec?.nodeName !== node) continue;
      for (const r of listConfigReferences(p.spec)) wanted.add(`${p.metadata.namespace}/${r.resource}/${r.name}`);
    }
    for (const k of [...missing]) {
      if (!wanted.has(k)) {
        missing.delete(k);
        continue;
      }
      const [ns, resource, name] = k.split('/') as [string, 'configmaps' | 'secrets', string];
      void enqueue(() => fetchConfig(ns, resource, name));
    }
  }, options.configRetryMs ?? 2000);
  retry.unref();

  const synced = list();
  void synced.then(loop);
  return {
    synced,
    stop: () => {
      stopped = true;
      clearInterval(retry);
      watch?.stop();
    },
  };
}
