import type { MemoryStore } from '../../sim/kube/store.js';
import type { KubeObject, StoreChange } from '../../sim/kube/store-contract.js';
import { buildStatusPatch } from './build-status-patch.js';

type Json = any;

/** One call to the API server with a node's identity; never throws on an HTTP status. */
export type NodeCall = (
  node: string,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
) => Promise<{ status: number; body: string }>;

const MERGE_PATCH = 'application/merge-patch+json';
const RETRY_MS = 500;

interface PodWrites {
  ns: string;
  name: string;
  node: string;
  /** Status last accepted by the API server, as the kubelet built it. */
  sent?: Json;
  /** Status the kubelet wants now. */
  wanted?: Json;
  remove: boolean;
  busy: boolean;
}

interface EventWrites {
  ns: string;
  node: string;
  create?: Json;
  patch?: Json;
  created: boolean;
  busy: boolean;
}

/**
 * Carries what the kubelet wrote into its local mirror of the cluster to the real API server, with the identity of
 * the pod's node, as a kubelet's status manager and event broadcaster do: pod status through `pods/status` (merge
 * patches guarded by the pod's uid, only the newest status when several piled up), a removed pod as a delete with
 * grace 0 and a uid precondition (the end of graceful deletion), Events as creates then count/lastTimestamp patches.
 * Writes of one pod (by uid) or one Event go out in order, one at a time; a failed write is retried unless the
 * object is gone (404) or has been replaced (409).
 *
 * Changes applied from the API server itself (inside {@link fromApi}) are not sent back.
 */
export class WriteForwarder {
  private readonly pods = new Map<string, PodWrites>();
  private readonly events = new Map<string, EventWrites>();
  private applying = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    store: MemoryStore,
    private readonly call: NodeCall,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.unsubscribe = store.subscribe((change) => this.observe(change));
  }

  /** Runs `fn`, which applies the API server's state to the mirror: nothing it changes is sent back. */
  fromApi<T>(fn: () => T): T {
    this.applying++;
    try {
      return fn();
    } finally {
      this.applying--;
    }
  }

  /** Forgets the writes queued for a pod the API server no longer has. */
  forgetPod(uid: string): void {
    const w = this.pods.get(uid);
    if (!w) return;
    w.wanted = undefined;
    w.remove = false;
    if (!w.busy) this.pods.delete(uid);
  }

  /** Resolves once every queued write has been answered. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private observe(change: StoreChange): void {
    if (this.applying > 0 || this.stopped) return;
    const o = change.object;
    if (change.resource === 'pods') {
      const uid: string = o.metadata.uid;
      const w: PodWrites = this.pods.get(uid) ?? {
        ns: o.metadata.namespace,
        name: o.metadata.name,
        node: o.spec?.nodeName,
        remove: false,
        busy: false,
      };
      this.pods.set(uid, w);
      if (change.type === 'DELETED') w.remove = true;
      else w.wanted = o.status;
      this.run(() => this.drainPod(uid, w));
    } else if (change.resource === 'events') {
      const name: string = o.metadata.name;
      const w: EventWrites = this.events.get(name) ?? {
        ns: o.metadata.namespace,
        node: o.source?.host ?? o.reportingInstance,
        created: false,
        busy: false,
      };
      this.events.set(name, w);
      if (change.type === 'ADDED') w.create = cleanEvent(o);
      else if (change.type === 'MODIFIED') w.patch = { count: o.count, lastTimestamp: o.lastTimestamp };
      this.run(() => this.drainEvent(name, w));
    }
  }

  private run(work: () => Promise<void>): void {
    this.inFlight++;
    work()
      .catch((e) => this.onError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** Sends until the API server has what the kubelet last wanted; retries transport errors and 5xx. */
  private async send(node: string, method: string, path: string, body: unknown, contentType?: string): Promise<number> {
    for (;;) {
      if (this.stopped) return 0;
      const res = await this.call(node, method, path, body, contentType).catch((e: Error) => ({
        status: 0,
        body: e.message,
      }));
      if (res.status >= 200 && res.status < 300) return res.status;
      if (res.status === 404 || res.status === 409 || res.status === 403 || res.status === 422) {
        // Gone or replaced: nothing to say. A namespace being deleted refuses new Events (NamespaceLifecycle), which a
        // kubelet's event broadcaster drops too.
        const expected = res.status === 404 || res.status === 409 || res.body.includes('"NamespaceTerminating"');
        if (!expected) this.onError(`${method} ${path}: HTTP ${res.status} ${res.body}`);
        return res.status;
      }
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  private async drainPod(uid: string, w: PodWrites): Promise<void> {
    if (w.busy) return;
    w.busy = true;
    try {
      // One patch for everything the kubelet changed in this step (several containers starting at once), as a
      // kubelet's status manager writes a pod's whole status per sync: not a half-updated status on the way.
      await new Promise((resolve) => setImmediate(resolve));
      const path = `/api/v1/namespaces/${w.ns}/pods/${w.name}`;
      for (;;) {
        const wanted = w.wanted;
        const patch = wanted ? buildStatusPatch(uid, w.sent, wanted) : undefined;
        if (patch) {
          const status = await this.send(w.node, 'PATCH', `${path}/status`, patch, MERGE_PATCH);
          if (status === 404 || status === 409) {
            // Gone, or replaced by a pod of the same name: nothing more to write for this uid.
            w.wanted = undefined;
            w.remove = false;
            break;
          }
          w.sent = wanted;
          continue;
        }
        if (w.remove) {
          w.remove = false;
          await this.send(w.node, 'DELETE', path, {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            gracePeriodSeconds: 0,
            preconditions: { uid },
          });
          this.pods.delete(uid);
        }
        break;
      }
    } finally {
      w.busy = false;
    }
  }

  private async drainEvent(name: string, w: EventWrites): Promise<void> {
    if (w.busy) return;
    w.busy = true;
    try {
      const base = `/api/v1/namespaces/${w.ns}/events`;
      for (;;) {
        if (!w.created && w.create) {
          const status = await this.send(w.node, 'POST', base, w.create);
          // 409: a retry of a create that had landed. Anything else refused is not retried.
          w.created = true;
          if (status === 404) return;
          continue;
        }
        if (w.created && w.patch) {
          const patch = w.patch;
          w.patch = undefined;
          await this.send(w.node, 'PATCH', `${base}/${name}`, patch, MERGE_PATCH);
          continue;
        }
        break;
      }
    } finally {
      w.busy = false;
    }
  }
}

/** An Event as the API server takes it on create: no server-set metadata from the mirror. */
function cleanEvent(o: KubeObject): Json {
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...metadata } = o.metadata;
  return { ...o, metadata };
}
