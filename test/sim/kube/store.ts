import { randomUUID } from 'node:crypto';
import { type Clock, RealClock } from './clock.js';
import { apiVersionOf, RESOURCES } from './server/resources.js';
import type { KubeObject, KubeStore, ResourceName, StoreChange, WatchEventType } from './store-contract.js';

const TYPE_META = new Map(RESOURCES.map((r) => [r.name, { apiVersion: apiVersionOf(r), kind: r.kind }]));

/** A store refusal the HTTP layer turns into a Status (409 AlreadyExists, 404 NotFound). */
export class StoreError extends Error {
  constructor(
    readonly code: 404 | 409,
    readonly resource: ResourceName,
    readonly objectName: string,
  ) {
    super(code === 404 ? `${resource} "${objectName}" not found` : `${resource} "${objectName}" already exists`);
    this.name = 'StoreError';
  }
}

/**
 * One change as the watch machinery sees it. `object` is the stored (never mutated) object: read it, do not change it.
 * `json` is serialised once, on first use, and shared by every watcher.
 */
export interface HistoryEntry {
  rv: number;
  type: WatchEventType;
  resource: ResourceName;
  namespace: string | undefined;
  object: KubeObject;
  /** For MODIFIED and DELETED: the object before the change (selector transitions, consistent paging). */
  prev?: KubeObject;
  json(): string;
}

/** Result of asking for the changes after a resourceVersion. */
export type SinceResult = { ok: true; entries: HistoryEntry[] } | { ok: false; oldest: number };

export interface MemoryStoreOptions {
  /** Source of creationTimestamp. @defaultValue new RealClock() */
  clock?: Clock;
  /** How many changes are kept for watch resume; older resourceVersions answer 410 Expired. @defaultValue 10000 */
  historySize?: number;
}

type Bucket = Map<string, KubeObject>; // name → stored object

interface Table {
  byNamespace: Map<string, Bucket>; // '' for cluster-scoped
  count: number;
  /** Sorted `namespace/name` keys, rebuilt lazily after a create or remove (not after updates). */
  sorted: string[] | undefined;
}

const deepCopy = <T>(v: T): T => structuredClone(v);

/**
 * The in-memory object store behind the simulated API server: one global, monotonically increasing
 * resourceVersion (as etcd's revision), deep copies in and out, and a bounded change history so that watches can
 * resume from a resourceVersion until it is compacted away (then 410 Expired, as the real watch cache does).
 */
export class MemoryStore implements KubeStore {
  private readonly tables = new Map<ResourceName, Table>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly rawListeners = new Set<(entry: HistoryEntry) => void>();
  private readonly history: HistoryEntry[] = [];
  private historyStart = 0; // index of the first live element of `history` (a cheap ring)
  private rv = 1;
  /** Lowest resourceVersion a watch may still resume from (exclusive lower bound of kept history). */
  private compactedAt = 1;
  private readonly clock: Clock;
  private readonly historySize: number;

  constructor(opts: MemoryStoreOptions = {}) {
    this.clock = opts.clock ?? new RealClock();
    this.historySize = opts.historySize ?? 10_000;
  }

  /** The current (latest) resourceVersion, as a list response reports it. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.peek(resource, namespace, name);
    return o ? deepCopy(o) : undefined;
  }

  /** The stored object itself, without a copy: read-only use by the server on hot paths. */
  peek(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.tables
      .get(resource)
      ?.byNamespace.get(namespace ?? '')
      ?.get(name);
  }

  list(resource: ResourceName, namespace?: string): KubeObject[] {
    return this.scan(resource, namespace).map(deepCopy);
  }

  /** The stored objects without copies, in no particular order: read-only use by the server. */
  scan(resource: ResourceName, namespace?: string): KubeObject[] {
    const table = this.tables.get(resource);
    if (!table) return [];
    if (namespace !== undefined) return [...(table.byNamespace.get(namespace)?.values() ?? [])];
    const out: KubeObject[] = [];
    for (const bucket of table.byNamespace.values()) for (const o of bucket.values()) out.push(o);
    return out;
  }

  /** Number of stored objects of a resource (optionally in one namespace). */
  count(resource: ResourceName, namespace?: string): number {
    const table = this.tables.get(resource);
    if (!table) return 0;
    return namespace === undefined ? table.count : (table.byNamespace.get(namespace)?.size ?? 0);
  }

  /**
   * Stored objects in `namespace/name` order starting after `afterKey` (exclusive), for paged lists.
   * Cluster-scoped objects have the key `/name`. Returns read-only stored objects and their keys.
   */
  *ordered(resource: ResourceName, namespace: string | undefined, afterKey?: string): Generator<[string, KubeObject]> {
    const table = this.tables.get(resource);
    if (!table) return;
    if (!table.sorted) {
      const keys: string[] = [];
      for (const [ns, bucket] of table.byNamespace) for (const name of bucket.keys()) keys.push(`${ns}/${name}`);
      keys.sort();
      table.sorted = keys;
    }
    const keys = table.sorted;
    // First index past afterKey, or at the namespace's first key.
    const inclusive = afterKey === undefined;
    const start = afterKey ?? (namespace !== undefined ? `${namespace}/` : '');
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid] as string;
      if (k < start || (!inclusive && k === start)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < keys.length; i++) {
      // The array may be replaced by a create/remove while a caller iterates; keep walking the snapshot.
      const key = keys[i] as string;
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      if (namespace !== undefined && ns !== namespace) return;
      const o = table.byNamespace.get(ns)?.get(key.slice(slash + 1));
      if (o) yield [key, o];
    }
  }

  /**
   * Like {@link ordered}, but as the objects were at resourceVersion `atRv` (a paged list continues from the
   * snapshot its first page saw, as etcd serves it): later changes are undone from history. The caller checks
   * {@link canResume} first.
   */
  *orderedAt(
    resource: ResourceName,
    namespace: string | undefined,
    afterKey: string | undefined,
    atRv: number,
  ): Generator<[string, KubeObject]> {
    const changes = atRv >= this.rv ? undefined : this.since(atRv);
    if (!changes?.ok) {
      yield* this.ordered(resource, namespace, afterKey);
      return;
    }
    // The state at atRv of every key changed since: its state before its first later change (null: not there).
    const undo = new Map<string, KubeObject | null>();
    for (const e of changes.entries) {
      if (e.resource !== resource || (namespace !== undefined && e.namespace !== namespace)) continue;
      const key = `${e.namespace ?? ''}/${e.object.metadata.name}`;
      if (!undo.has(key)) undo.set(key, e.type === 'ADDED' ? null : (e.prev ?? null));
    }
    const gone = [...undo.entries()]
      .filter(([k, v]) => {
        if (v === null || (afterKey !== undefined && k <= afterKey)) return false;
        const slash = k.indexOf('/');
        return !this.peek(resource, k.slice(0, slash) || undefined, k.slice(slash + 1));
      })
      .map(([k]) => k)
      .sort();
    let i = 0;
    for (const [key, o] of this.ordered(resource, namespace, afterKey)) {
      for (; i < gone.length && (gone[i] as string) < key; i++)
        yield [gone[i] as string, undo.get(gone[i] as string) as KubeObject];
      const then = undo.get(key);
      if (then === undefined) yield [key, o];
      else if (then !== null) yield [key, then];
    }
    for (; i < gone.length; i++) yield [gone[i] as string, undo.get(gone[i] as string) as KubeObject];
  }

  create(resource: ResourceName, object: KubeObject): KubeObject {
    const o = withTypeMeta(resource, deepCopy(object));
    o.metadata ??= {};
    const md = o.metadata;
    const table = this.table(resource);
    const nsKey = md.namespace ?? '';
    let bucket = table.byNamespace.get(nsKey);
    if (bucket?.has(md.name)) throw new StoreError(409, resource, md.name);
    md.uid ??= randomUUID();
    md.creationTimestamp ??= isoSeconds(this.clock.now());
    const rv = ++this.rv;
    md.resourceVersion = String(rv);
    if (!bucket) {
      bucket = new Map();
      table.byNamespace.set(nsKey, bucket);
    }
    bucket.set(md.name, o);
    table.count++;
    table.sorted = undefined;
    this.emit(rv, 'ADDED', resource, o);
    return deepCopy(o);
  }

  update(resource: ResourceName, object: KubeObject): KubeObject {
    const o = withTypeMeta(resource, deepCopy(object));
    const md = o.metadata;
    const bucket = this.tables.get(resource)?.byNamespace.get(md?.namespace ?? '');
    const prev = bucket?.get(md?.name);
    if (!bucket || !prev) throw new StoreError(404, resource, md?.name ?? '');
    // Identity fields are the server's, whatever the caller sent.
    md.uid = prev.metadata.uid;
    md.creationTimestamp = prev.metadata.creationTimestamp;
    const rv = ++this.rv;
    md.resourceVersion = String(rv);
    bucket.set(md.name, o);
    this.emit(rv, 'MODIFIED', resource, o, prev);
    return deepCopy(o);
  }

  remove(resource: ResourceName, namespace: string | undefined, name: string): void {
    const table = this.tables.get(resource);
    const bucket = table?.byNamespace.get(namespace ?? '');
    const prev = bucket?.get(name);
    if (!table || !bucket || !prev) throw new StoreError(404, resource, name);
    bucket.delete(name);
    if (bucket.size === 0) table.byNamespace.delete(namespace ?? '');
    table.count--;
    table.sorted = undefined;
    const rv = ++this.rv;
    // etcd reports a deleted object at the revision of its deletion.
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(rv) } };
    this.emit(rv, 'DELETED', resource, gone, prev);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Like subscribe, without copies: the entry's object is shared and must not be mutated. For the watch fan-out. */
  subscribeRaw(listener: (entry: HistoryEntry) => void): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  /**
   * Changes with resourceVersion greater than `rv` (of every resource; filter by the caller), or the oldest
   * resourceVersion still known when `rv` has been compacted away.
   */
  since(rv: number): SinceResult {
    if (rv < this.compactedAt) return { ok: false, oldest: this.compactedAt };
    const h = this.history;
    let lo = this.historyStart;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return { ok: true, entries: h.slice(lo) };
  }

  /** True while changes after `rv` are still known (a watch or continue token from `rv` works). */
  canResume(rv: number): boolean {
    return rv >= this.compactedAt;
  }

  /** Forgets all history: every resourceVersion older than the current one now answers 410 Expired. */
  compact(): void {
    this.history.length = 0;
    this.historyStart = 0;
    this.compactedAt = this.rv;
  }

  private table(resource: ResourceName): Table {
    let t = this.tables.get(resource);
    if (!t) {
      t = { byNamespace: new Map(), count: 0, sorted: undefined };
      this.tables.set(resource, t);
    }
    return t;
  }

  private emit(rv: number, type: WatchEventType, resource: ResourceName, object: KubeObject, prev?: KubeObject): void {
    let json: string | undefined;
    const entry: HistoryEntry = {
      rv,
      type,
      resource,
      namespace: object.metadata.namespace,
      object,
      prev,
      json: () => {
        json ??= JSON.stringify(object);
        return json;
      },
    };
    this.history.push(entry);
    if (this.history.length - this.historyStart > this.historySize) {
      this.historyStart++;
      this.compactedAt = (this.history[this.historyStart] as HistoryEntry).rv - 1;
      if (this.historyStart > 4096) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.rawListeners) l(entry);
    if (this.listeners.size > 0) {
      for (const l of [...this.listeners]) l({ type, resource, object: deepCopy(object) });
    }
  }
}

/** Objects are stored with their apiVersion and kind, as etcd holds them, whoever wrote them. */
function withTypeMeta(resource: ResourceName, o: KubeObject): KubeObject {
  const tm = TYPE_META.get(resource);
  if (tm) {
    o.apiVersion ??= tm.apiVersion;
    o.kind ??= tm.kind;
  }
  return o;
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
