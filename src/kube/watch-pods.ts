import { ApiException, HttpMethod, type KubeConfig, RequestContext, Watch } from '@kubernetes/client-node';
// The same fetch client-node's Watch uses (package.json pins undici through "overrides"): its Dispatcher type is the
// one KubeConfig builds for TLS and client certificates.
import { fetch } from 'undici';
import { toKubeError } from './to-kube-error.js';

/** One container's state as the alert detector needs it. */
export interface CompactContainer {
  name: string;
  /** `state.waiting.reason` (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, ...). */
  waitingReason?: string;
  /** `state.terminated.reason`, else `lastState.terminated.reason` (OOMKilled, Error, Completed). */
  terminatedReason?: string;
  restartCount: number;
  ready: boolean;
  /** An init container (they crash-loop too, and block the pod). */
  init?: boolean;
  /** `state.terminated` and `lastState.terminated` times and exit codes: when the failure began ("failing since"). */
  terminated?: CompactRun;
  lastTerminated?: CompactRun;
}

/** One ended run of a container: its start, end (ISO 8601) and exit code. */
export interface CompactRun {
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
}

/** The controlling owner reference, kind and name only. */
export interface CompactOwner {
  kind: string;
  name: string;
}

/**
 * A pod reduced to what alerting reads: a few hundred bytes instead of the whole object (tens of kilobytes with
 * managedFields), so 50,000 pods stay small.
 */
export interface CompactPod {
  namespace: string;
  name: string;
  uid: string;
  owner?: CompactOwner;
  /** Only the label keys asked for in {@link WatchPodsOptions.keepLabels}. */
  labels: Record<string, string>;
  phase?: string;
  /** The pod's Ready condition is True. */
  ready: boolean;
  /** metadata.deletionTimestamp is set: the pod is on its way out. */
  deleting: boolean;
  containers: CompactContainer[];
  /** `status.startTime`, else `metadata.creationTimestamp` (ISO 8601). */
  startedAt?: string;
}

/** Which pod a deletion is about. */
export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

/** What the watch calls; both calls are synchronous and must not throw. */
export interface PodWatchHandler {
  /** A pod appeared or changed (also once per pod on the first list, and for pods that changed while away). */
  upsert(pod: CompactPod): void;
  /** A pod was deleted, left the selector, or vanished while the watch was away (410 relist). */
  remove(ref: PodRef): void;
}

/** A minimal logger (pino fits). */
export interface WatchLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface WatchPodsOptions {
  /** Watch only these namespaces, one list+watch each. @defaultValue all namespaces (one cluster-wide watch) */
  namespaces?: string[];
  /** Pods of namespaces failing this test are ignored (the allow/deny globs). @defaultValue every namespace */
  namespaceFilter?: (namespace: string) => boolean;
  /** Server-side label selector. @defaultValue "" */
  labelSelector?: string;
  /** Label keys copied into {@link CompactPod.labels}. @defaultValue [] */
  keepLabels?: string[];
  /** Page size of the list. @defaultValue 500 */
  pageSize?: number;
  /** Deadline of each list page, ms. @defaultValue 30000 */
  listTimeoutMs?: number;
  /** Server-side watch timeout; the stream then ends and is resumed. @defaultValue 300 */
  watchTimeoutSeconds?: number;
  /**
   * Milliseconds without a byte after which client-node abandons a stream (the stream is then resumed). Its own
   * default is 30 s, below the apiserver's ~1 min bookmark interval, so a quiet watch is re-opened every 30 s.
   * @defaultValue client-node's 30000
   */
  inactivityTimeoutMs?: number;
  /** First back-off after an error, ms; doubles per consecutive failure. @defaultValue 1000 */
  backoffInitialMs?: number;
  /** Back-off cap, ms. @defaultValue 30000 */
  backoffMaxMs?: number;
  log?: WatchLog;
}

export const WATCH_PODS_DEFAULTS = {
  pageSize: 500,
  listTimeoutMs: 30_000,
  watchTimeoutSeconds: 300,
  backoffInitialMs: 1000,
  backoffMaxMs: 30_000,
} as const;

/** A running watch. */
export interface PodWatch {
  /** Resolves once every watched scope has been listed once (initial sync). */
  readonly synced: Promise<void>;
  /** Counters for tests and benches. */
  stats(): { lists: number; watches: number; expired: number; errors: number; known: number };
  stop(): Promise<void>;
}

const NOOP_LOG: WatchLog = { info() {}, warn() {}, debug() {} };

/** Capped exponential back-off: initial, 2×, 4×, … up to max. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Reduces a pod (raw watch JSON or a client-node V1Pod: same field names) to its compact state. Returns undefined
 * for objects that are not pods (a BOOKMARK carries only metadata).
 */
// biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
export function compactPod(o: any, keepLabels: readonly string[] = []): CompactPod | undefined {
  const md = o?.metadata;
  if (!md?.name || !md.namespace) return undefined;
  const refs: { kind?: string; name?: string; controller?: boolean }[] = md.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  const labels: Record<string, string> = {};
  for (const k of keepLabels) {
    const v = md.labels?.[k];
    if (typeof v === 'string') labels[k] = v;
  }
  const status = o.status ?? {};
  const containers: CompactContainer[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
  const add = (cs: any, init: boolean): void => {
    const c: CompactContainer = {
      name: String(cs.name ?? ''),
      restartCount: Number(cs.restartCount ?? 0),
      ready: cs.ready === true,
    };
    const waiting = cs.state?.waiting?.reason;
    const terminated = cs.state?.terminated?.reason ?? cs.lastState?.terminated?.reason;
    if (waiting) c.waitingReason = String(waiting);
    if (terminated) c.terminatedReason = String(terminated);
    if (init) c.init = true;
    const now = compactRun(cs.state?.terminated);
    const last = compactRun(cs.lastState?.terminated);
    if (now) c.terminated = now;
    if (last) c.lastTerminated = last;
    containers.push(c);
  };
  for (const cs of status.initContainerStatuses ?? []) add(cs, true);
  for (const cs of status.containerStatuses ?? []) add(cs, false);
  const readyCondition = (status.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
  const pod: CompactPod = {
    namespace: String(md.namespace),
    name: String(md.name),
    uid: String(md.uid ?? ''),
    labels,
    ready: readyCondition?.status === 'True',
    deleting: md.deletionTimestamp != null,
    containers,
  };
  if (ref?.kind && ref.name) pod.owner = { kind: ref.kind, name: ref.name };
  if (status.phase) pod.phase = String(status.phase);
  const startedAt = isoOf(status.startTime) ?? isoOf(md.creationTimestamp);
  if (startedAt) pod.startedAt = startedAt;
  return pod;
}

/** A timestamp from the wire (string) or from client-node (Date) as ISO 8601, or undefined. */
function isoOf(t: unknown): string | undefined {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

// biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
function compactRun(t: any): CompactRun | undefined {
  if (!t) return undefined;
  const run: CompactRun = {};
  const startedAt = isoOf(t.startedAt);
  const finishedAt = isoOf(t.finishedAt);
  if (startedAt) run.startedAt = startedAt;
  if (finishedAt) run.finishedAt = finishedAt;
  if (typeof t.exitCode === 'number') run.exitCode = t.exitCode;
  return run;
}

/** Thrown inside the loop when the server says our resourceVersion is too old (410 Gone / Expired). */
class Expired extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Expired';
  }
}

const isExpiredStatus = (s: { code?: number; reason?: string } | undefined): boolean =>
  s?.code === 410 || s?.reason === 'Expired' || s?.reason === 'Gone';

/**
 * Watches pods resiliently over client-node's `Watch` (not the informer, which caches whole objects and stops for good
 * on errors other than 410): a paged list, then a watch from the list's resourceVersion with bookmarks; a stream that
 * ends or goes quiet (client-node aborts after 30 s without data) is resumed from the last resourceVersion seen; 410
 * Expired triggers a relist that reports only what changed or vanished while away; any other error restarts the
 * scope after a capped exponential back-off. Only {@link CompactPod}s reach the handler.
 */
export function watchPods(kc: KubeConfig, handler: PodWatchHandler, options: WatchPodsOptions = {}): PodWatch {
  const opts = { ...WATCH_PODS_DEFAULTS, ...options };
  const log = opts.log ?? NOOP_LOG;
  const keep = opts.keepLabels ?? [];
  const accept = opts.namespaceFilter ?? (() => true);

  /**
   * One list page as raw JSON. Not CoreV1Api: its ObjectSerializer builds a typed copy of every pod (Dates, class
   * instances) that we would throw away at once; at 50,000 pods that is most of the sync's time and garbage.
   */
  async function listPage(
    path: string,
    query: Record<string, string | number>,
    agent: { current?: ReturnType<RequestContext['getDispatcher']> },
    // biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
  ): Promise<any> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(cluster.server + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), HttpMethod.GET);
    await kc.applySecurityAuthentication(ctx);
    // client-node builds a new undici Agent (a new connection) per request; one per list keeps its pages on one socket.
    agent.current ??= ctx.getDispatcher();
    const res = await fetch(url, {
      method: 'GET',
      headers: { ...ctx.getHeaders(), Accept: 'application/json' },
      dispatcher: agent.current,
      signal: AbortSignal.timeout(opts.listTimeoutMs),
    });
    const text = await res.text();
    if (res.status !== 200) {
      throw new ApiException(res.status, `listing pods: HTTP ${res.status}`, text, Object.fromEntries(res.headers));
    }
    return JSON.parse(text);
  }
  const watch = new Watch(kc);
  // client-node 2.0.1 keeps the timer in a private field with no setter; only set it when asked to and it exists.
  if (options.inactivityTimeoutMs !== undefined && 'requestTimeoutMs' in watch)
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = options.inactivityTimeoutMs;
  const counters = { lists: 0, watches: 0, expired: 0, errors: 0 };
  let stopped = false;
  const aborts = new Set<() => void>();
  const knownSizes = new Map<string, () => number>();

  /** Sleep that `stop()` cuts short. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        aborts.delete(done);
        resolve();
      }
      aborts.add(done);
    });

  const scopes: (string | undefined)[] = opts.namespaces?.length ? opts.namespaces : [undefined];
  const syncs = scopes.map((ns) => runScope(ns));
  const synced = Promise.all(syncs.map((s) => s.synced)).then(() => undefined);

  function runScope(namespace: string | undefined): { synced: Promise<void>; loop: Promise<void> } {
    /** ns/name → `uid resourceVersion` of every pod announced, to diff a relist against (one string per pod). */
    const known = new Map<string, string>();
    const uidOf = (v: string): string => v.slice(0, v.indexOf(' '));
    knownSizes.set(namespace ?? '*', () => known.size);
    let markSynced = (): void => {};
    const syncedP = new Promise<void>((r) => {
      markSynced = r;
    });
    const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods';
    const scopeLog = { scope: namespace ?? 'all namespaces' };

    // biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
    const apply = (type: string, o: any): void => {
      const md = o?.metadata;
      if (!md?.name || !md.namespace || !accept(md.namespace)) return;
      const key = `${md.namespace}/${md.name}`;
      if (type === 'DELETED') {
        known.delete(key);
        handler.remove({ namespace: md.namespace, name: md.name, uid: String(md.uid ?? '') });
        return;
      }
      const pod = compactPod(o, keep);
      if (!pod) return;
      const prev = known.get(key);
      // The same name with a new uid is a new pod (StatefulSets reuse names): report the old one gone first.
      if (prev !== undefined && uidOf(prev) !== pod.uid)
        handler.remove({ namespace: pod.namespace, name: pod.name, uid: uidOf(prev) });
      known.set(key, `${pod.uid} ${md.resourceVersion ?? ''}`);
      handler.upsert(pod);
    };

    async function relist(): Promise<string> {
      counters.lists++;
      const seen = new Set<string>();
      const agent: { current?: ReturnType<RequestContext['getDispatcher']> } = {};
      let cont: string | undefined;
      let listRv = '';
      do {
        const params = {
          limit: opts.pageSize,
          ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
          ...(cont ? { continue: cont } : {}),
        };
        // biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
        let page: any;
        try {
          page = await listPage(path, params, agent);
        } catch (e) {
          // An expired continue token is a 410 too: start the list again.
          if (e instanceof ApiException && e.code === 410) throw new Expired('list continue token expired');
          throw e;
        }
        if (!cont) listRv = page.metadata?.resourceVersion ?? '';
        cont = page.metadata?.continue || undefined;
        for (const p of page.items ?? []) {
          const md = p.metadata;
          if (!md?.name || !md.namespace || !accept(md.namespace)) continue;
          const key = `${md.namespace}/${md.name}`;
          seen.add(key);
          const prev = known.get(key);
          // Known at this version: nothing to announce again.
          if (prev === `${md.uid} ${md.resourceVersion}`) continue;
          apply('MODIFIED', p);
        }
      } while (cont && !stopped);
      void agent.current?.close().catch(() => {});
      for (const [key, value] of known) {
        if (seen.has(key)) continue;
        const slash = key.indexOf('/');
        known.delete(key);
        handler.remove({ namespace: key.slice(0, slash), name: key.slice(slash + 1), uid: uidOf(value) });
      }
      return listRv;
    }

    /**
     * One watch stream. Resolves with the resourceVersion to resume from and whether the stream was healthy (it
     * delivered something or lasted a while); rejects with Expired, or with the error that prevented it.
     */
    function watchOnce(fromRv: string): Promise<{ rv: string; healthy: boolean }> {
      counters.watches++;
      const started = Date.now();
      return new Promise((resolve, reject) => {
        let rv = fromRv;
        let events = 0;
        let opened = false;
        let expired: string | undefined;
        let failure: string | undefined;
        let abort = (): void => {};
        let finished = false;
        const finish = (err: unknown): void => {
          finished = true;
          aborts.delete(abort);
          const healthy = events > 0 || Date.now() - started >= 1000;
          if (expired !== undefined) reject(new Expired(expired));
          else if (failure !== undefined) reject(new Error(failure));
          else if (stopped || !err) resolve({ rv, healthy });
          // client-node's inactivity timer (30 s without a byte): the stream went quiet, resume it.
          else if (err instanceof Error && err.name === 'TimeoutError') resolve({ rv, healthy: true });
          else if ((err as { statusCode?: number }).statusCode === 410) reject(new Expired('watch answered 410'));
          // A stream cut mid-way (connection reset): resume from the last version seen.
          else if (opened && (err as { statusCode?: number }).statusCode === undefined) resolve({ rv, healthy });
          else reject(err);
        };
        watch
          .watch(
            path,
            {
              resourceVersion: fromRv,
              allowWatchBookmarks: true,
              timeoutSeconds: opts.watchTimeoutSeconds,
              ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
            },
            // biome-ignore lint/suspicious/noExplicitAny: raw JSON from the wire
            (type: string, obj: any) => {
              opened = true;
              events++;
              if (type === 'ERROR') {
                // An ERROR event inside a 200 stream; 410 means our resourceVersion was compacted away.
                if (isExpiredStatus(obj)) expired = String(obj?.message ?? 'Expired');
                else failure = String(obj?.message ?? 'watch ERROR event');
                return;
              }
              if (type !== 'BOOKMARK') apply(type, obj);
              const objRv = obj?.metadata?.resourceVersion;
              if (objRv) rv = String(objRv);
            },
            finish,
          )
          .then((controller) => {
            opened = true;
            abort = () => controller.abort();
            if (stopped) abort();
            else if (!finished) aborts.add(abort);
          }, finish);
      });
    }

    const loop = (async () => {
      let rv: string | undefined;
      let failures = 0;
      while (!stopped) {
        try {
          if (rv === undefined) {
            rv = await relist();
            log.info({ ...scopeLog, pods: known.size }, 'pod watch listed');
            markSynced();
          }
          const next = await watchOnce(rv);
          rv = next.rv;
          if (next.healthy) failures = 0;
          else {
            // A stream that ends at once, again and again, must not spin: back off, keep the version.
            failures++;
            await sleep(backoffDelay(failures, opts.backoffInitialMs, opts.backoffMaxMs));
          }
        } catch (e) {
          if (stopped) break;
          if (e instanceof Expired) {
            counters.expired++;
            log.info({ ...scopeLog, reason: e.message }, 'pod watch expired; relisting');
            rv = undefined;
            continue;
          }
          counters.errors++;
          failures++;
          const delay = backoffDelay(failures, opts.backoffInitialMs, opts.backoffMaxMs);
          const err = toKubeError(e, { operation: `watching pods in ${scopeLog.scope}` });
          log.warn({ ...scopeLog, kind: err.kind, reason: err.message, delayMs: delay }, 'pod watch failed; retrying');
          // Relist after an error: events may have been missed, and the relist only reports differences.
          rv = undefined;
          await sleep(delay);
        }
      }
      markSynced();
    })();
    return { synced: syncedP, loop };
  }

  return {
    synced,
    stats: () => ({ ...counters, known: [...knownSizes.values()].reduce((n, f) => n + f(), 0) }),
    async stop() {
      stopped = true;
      for (const a of [...aborts]) a();
      await Promise.all(syncs.map((s) => s.loop));
    },
  };
}
