import {
  AppsV1Api,
  AuthorizationV1Api,
  BatchV1Api,
  type ConfigurationOptions,
  CoordinationV1Api,
  CoreV1Api,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  PatchStrategy,
  type RequestContext,
  type ResponseContext,
  setHeaderOptions,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { describeKubeRequest } from './describe-kube-request.js';
import { KubeError } from './errors.js';
import { toKubeError } from './to-kube-error.js';
import type {
  CronJob,
  DaemonSet,
  Deployment,
  EphemeralContainer,
  Job,
  KubeEvent,
  KubeNode,
  Lease,
  Namespace,
  Pod,
  ReplicaSet,
  StatefulSet,
} from './types.js';

/** Owner kinds the bot follows up the chain, each read through its own API group (apps/v1, batch/v1). */
export type OwnerKind = 'ReplicaSet' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';

/** What `readOwner` returns: the workload object, whose `metadata.ownerReferences` lead further up. */
export type Workload = ReplicaSet | Deployment | StatefulSet | DaemonSet | Job | CronJob;

export const OWNER_KINDS: readonly OwnerKind[] = [
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
];

export interface ListPodsOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** One page of at most this many pods. @defaultValue no limit */
  limit?: number;
}

export interface ReadLogOptions {
  container: string;
  /** The previous (crashed) instance instead of the current one. @defaultValue false */
  previous?: boolean;
  /** Only the last N lines. */
  tailLines?: number;
  /** At most N bytes (the apiserver may end mid-line). */
  limitBytes?: number;
  /** Only lines written in the last N seconds (`kubectl logs --since`); the kubelet applies it before tailLines. */
  sinceSeconds?: number;
}

export interface KubeClientOptions {
  /** Deadline of every API call, milliseconds; client-node has none of its own. */
  timeoutMs: number;
  /** Shown in messages; defaults to the kubeconfig's current cluster name. */
  clusterName?: string;
  /** Page size of the list calls that walk every page (`limit`/`continue`). @defaultValue 500 */
  pageSize?: number;
}

/**
 * The bot's only door to the Kubernetes API. Every method has a deadline and throws only `KubeError`, whose message
 * is the server's Status message (or a sentence naming the operation), never client-node's text with headers.
 */
export interface KubeClient {
  /** The loaded kubeconfig, for code in src/kube that needs more than these reads (the pod watcher). */
  readonly kubeConfig: KubeConfig;
  readonly clusterName: string;
  /** The API server URL of the current context. */
  readonly server: string;
  readonly timeoutMs: number;
  /** The same client with another per-call deadline (the gatherer's `callTimeoutMs`). */
  withTimeout(timeoutMs: number): KubeClient;

  readPod(namespace: string, name: string): Promise<Pod>;
  listPods(namespace: string, opts?: ListPodsOptions): Promise<Pod[]>;
  /** Every pod name in the namespace (all pages), for "did you mean" suggestions. */
  listPodNames(namespace: string): Promise<string[]>;
  /** Namespaces holding a pod of exactly this name: one cluster-wide list with `fieldSelector=metadata.name=`. */
  findPodsNamed(name: string): Promise<string[]>;
  readNamespace(name: string): Promise<Namespace>;
  /** The pod's events, selected by uid (StatefulSet pods reuse names). */
  listEventsFor(pod: Pod): Promise<KubeEvent[]>;
  /** Plain-text log of one container; the kubelet's refusals come back as `Invalid` (400). */
  readLog(namespace: string, pod: string, opts: ReadLogOptions): Promise<string>;
  readOwner(kind: OwnerKind, namespace: string, name: string): Promise<Workload>;
  readNode(name: string): Promise<KubeNode>;
  createPod(namespace: string, pod: Pod): Promise<Pod>;
  /** Sets annotations with a JSON merge patch (client-node defaults to JSON Patch unless told otherwise). */
  annotatePod(namespace: string, name: string, annotations: Record<string, string>): Promise<Pod>;
  /**
   * Adds an ephemeral container through `PATCH pods/{name}/ephemeralcontainers` (a strategic merge patch keyed by
   * name, as `kubectl debug` sends). The API server never changes or removes one already there.
   */
  addEphemeralContainer(namespace: string, name: string, container: EphemeralContainer): Promise<Pod>;
  /** Whether `/api/v1` lists `pods/ephemeralcontainers` (Kubernetes 1.23+, or the feature on); discovery needs no RBAC. */
  servesEphemeralContainers(): Promise<boolean>;
  /** A pod already gone (404) counts as success: cleanup is idempotent. */
  deletePod(
    namespace: string,
    name: string,
    opts?: { gracePeriodSeconds?: number },
  ): Promise<'deleted' | 'already-gone'>;
  /** Pods matching the selector in every namespace (all pages): the janitor's sweep. */
  listManagedPods(labelSelector: string): Promise<Pod[]>;
  /**
   * Follows one pod until `judge` says done, the pod is deleted (`judge(undefined)`), `signal` aborts, or the stream
   * ends: a read, then a watch from that read's resourceVersion, so no change between the two is missed. Resolves
   * when it stops; the caller decides whether to follow again.
   */
  watchPod(
    namespace: string,
    name: string,
    judge: (pod: Pod | undefined) => boolean,
    signal: AbortSignal,
  ): Promise<void>;
  /** GET /version: the API server answers (every authenticated user may read it). */
  ping(): Promise<void>;
  /** The Lease, or undefined when there is none (coordination.k8s.io/v1). */
  readLease(namespace: string, name: string): Promise<Lease | undefined>;
  /** Creates the Lease; another replica's create first answers `Conflict` (409 AlreadyExists). */
  createLease(namespace: string, lease: Lease): Promise<Lease>;
  /** Replaces the Lease; a `metadata.resourceVersion` that is no longer current answers `Conflict` (409). */
  replaceLease(namespace: string, lease: Lease): Promise<Lease>;
  /** Asks the API server whether this client may do it (SelfSubjectAccessReview, which needs no RBAC of its own). */
  mayI(question: AccessQuestion): Promise<{ allowed: boolean; reason?: string }>;
  /** Calls `listener` after every API request of this client and its `withTimeout` copies; returns the unsubscribe. */
  observe(listener: (request: KubeRequestObservation) => void): () => void;
}

/** One request the client sent, as it ended: for metrics. */
export interface KubeRequestObservation {
  verb: string;
  resource: string;
  /** The HTTP status, or `error` when no answer came (timeout, connection refused). */
  code: string;
  seconds: number;
}

/** One verb on one resource, as a SelfSubjectAccessReview asks it. */
export interface AccessQuestion {
  verb: string;
  /** API group, '' for core. */
  group: string;
  resource: string;
  subresource?: string;
  /** Absent: every namespace (cluster scope). */
  namespace?: string;
}

/** Page size of the list calls that walk every page. */
const DEFAULT_PAGE_SIZE = 500;

/** Builds the client over a loaded kubeconfig (see `loadKubeConfig`). */
export function createKubeClient(kc: KubeConfig, opts: KubeClientOptions): KubeClient {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new KubeError(
      'Invalid',
      undefined,
      'the kubeconfig has no current context: set kubernetes.context or current-context',
    );
  }
  const apis = {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    version: kc.makeApiClient(VersionApi),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
  return build(
    kc,
    apis,
    { dispatcher: undefined, since: 0, listeners: new Set() },
    {
      server: cluster.server,
      clusterName: opts.clusterName ?? cluster.name,
      timeoutMs: opts.timeoutMs,
      pageSize: opts.pageSize ?? DEFAULT_PAGE_SIZE,
    },
  );
}

interface Apis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
  coordination: CoordinationV1Api;
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** One connection pool per client, shared by its `withTimeout` copies. */
interface SharedPool {
  dispatcher: Dispatcher | undefined;
  since: number;
  listeners: Set<(request: KubeRequestObservation) => void>;
}

/** Attempts of one call when the server keeps throttling it (429). */
const MAX_THROTTLE_ATTEMPTS = 3;

/** Milliseconds to wait before retrying a throttled (429) answer, from its Retry-After; undefined when not throttled. */
function throttledWaitMs(e: unknown): number | undefined {
  const err = e as { code?: number; headers?: Record<string, string> };
  if (err?.code !== 429) return undefined;
  const header = err.headers?.['retry-after'] ?? err.headers?.['Retry-After'];
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 10) * 1000 : 1000;
}

/**
 * client-node builds a new undici Agent for every request (KubeConfig.applySecurityAuthentication), so no connection
 * is ever reused and each call pays a TCP (and TLS) handshake. We keep the first one and reuse it; it is renewed every
 * few minutes so a rotated CA or client certificate in the kubeconfig is still picked up.
 */
const POOL_RENEW_MS = 5 * 60_000;

function build(
  kc: KubeConfig,
  apis: Apis,
  pool: SharedPool,
  base: { server: string; clusterName: string; timeoutMs: number; pageSize: number },
): KubeClient {
  const { core, apps, batch, authz, version, coordination } = apis;
  const { server, timeoutMs, pageSize } = base;

  /** Runs one API call under its own deadline and maps whatever it throws. */
  async function call<T>(operation: string, run: (options: ConfigurationOptions) => Promise<T>): Promise<T> {
    // Started before the request is built: an exec credential plugin counts against the deadline too.
    const signal = AbortSignal.timeout(timeoutMs);
    const sent = observeRequests(pool);
    const options: ConfigurationOptions = {
      middleware: [requestMiddleware(signal, pool), sent.middleware],
      middlewareMergeStrategy: 'append',
    };
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const started = Date.now();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await Promise.race([run(options), aborted]);
        } catch (e) {
          // API Priority and Fairness answers 429 with Retry-After; client-go waits and retries, and so do we,
          // as long as the wait fits in this call's deadline.
          const wait = throttledWaitMs(e);
          if (signal.aborted || wait === undefined || attempt >= MAX_THROTTLE_ATTEMPTS) throw e;
          if (Date.now() - started + wait >= timeoutMs) throw e;
          await Promise.race([new Promise((resolve) => setTimeout(resolve, wait)), aborted]);
        }
      }
    } catch (e) {
      sent.unanswered();
      if (signal.aborted) throw toKubeError(signal.reason, { operation, server, timeoutMs });
      throw toKubeError(e, { operation, server, timeoutMs });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Walks `limit`/`continue` pages, each page under its own deadline. */
  async function allPages<T>(
    operation: string,
    page: (
      cont: string | undefined,
      options: ConfigurationOptions,
    ) => Promise<{ items: T[]; metadata?: { _continue?: string } }>,
  ): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const list = await call(operation, (o) => page(cont, o));
      out.push(...list.items);
      cont = list.metadata?._continue || undefined;
    } while (cont);
    return out;
  }

  return {
    kubeConfig: kc,
    clusterName: base.clusterName,
    server,
    timeoutMs,
    withTimeout: (ms) => build(kc, apis, pool, { ...base, timeoutMs: ms }),

    readPod: (namespace, name) =>
      call(`reading pod ${namespace}/${name}`, (o) => core.readNamespacedPod({ namespace, name }, o)),

    listPods: async (namespace, opts = {}) =>
      (await call(`listing pods in ${namespace}`, (o) => core.listNamespacedPod({ namespace, ...opts }, o))).items,

    listPodNames: async (namespace) =>
      (
        await allPages(`listing pods in ${namespace}`, (cont, o) =>
          core.listNamespacedPod({ namespace, limit: pageSize, ...(cont ? { _continue: cont } : {}) }, o),
        )
      ).map((p) => p.metadata?.name ?? ''),

    findPodsNamed: async (name) => {
      const pods = await allPages(`looking for pods named ${name}`, (cont, o) =>
        core.listPodForAllNamespaces(
          { fieldSelector: `metadata.name=${name}`, limit: pageSize, ...(cont ? { _continue: cont } : {}) },
          o,
        ),
      );
      return [...new Set(pods.map((p) => p.metadata?.namespace ?? ''))].filter(Boolean).sort();
    },

    readNamespace: (name) => call(`reading namespace ${name}`, (o) => core.readNamespace({ name }, o)),

    listEventsFor: async (pod) => {
      const namespace = pod.metadata?.namespace ?? 'default';
      const name = pod.metadata?.name ?? '';
      const uid = pod.metadata?.uid;
      const fieldSelector = uid
        ? `involvedObject.uid=${uid}`
        : `involvedObject.kind=Pod,involvedObject.name=${name},involvedObject.namespace=${namespace}`;
      const list = await call(`listing events of pod ${namespace}/${name}`, (o) =>
        core.listNamespacedEvent({ namespace, fieldSelector }, o),
      );
      return list.items;
    },

    readLog: (namespace, pod, { container, previous, tailLines, limitBytes, sinceSeconds }) =>
      call(`reading ${previous ? 'previous ' : ''}logs of ${namespace}/${pod} container ${container}`, (o) =>
        core.readNamespacedPodLog(
          {
            namespace,
            name: pod,
            container,
            ...(previous ? { previous: true } : {}),
            ...(tailLines !== undefined ? { tailLines } : {}),
            ...(limitBytes !== undefined ? { limitBytes } : {}),
            ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
          },
          o,
        ),
      ),

    readOwner: (kind, namespace, name) => {
      const operation = `reading ${kind} ${namespace}/${name}`;
      const p = { namespace, name };
      switch (kind) {
        case 'ReplicaSet':
          return call(operation, (o) => apps.readNamespacedReplicaSet(p, o));
        case 'Deployment':
          return call(operation, (o) => apps.readNamespacedDeployment(p, o));
        case 'StatefulSet':
          return call(operation, (o) => apps.readNamespacedStatefulSet(p, o));
        case 'DaemonSet':
          return call(operation, (o) => apps.readNamespacedDaemonSet(p, o));
        case 'Job':
          return call(operation, (o) => batch.readNamespacedJob(p, o));
        case 'CronJob':
          return call(operation, (o) => batch.readNamespacedCronJob(p, o));
        default:
          return Promise.reject(
            new KubeError('Invalid', undefined, `${operation}: the bot does not read owners of kind ${kind}`),
          );
      }
    },

    readNode: (name) => call(`reading node ${name}`, (o) => core.readNode({ name }, o)),

    createPod: (namespace, pod) =>
      call(`creating pod ${namespace}/${pod.metadata?.name ?? pod.metadata?.generateName ?? ''}`, (o) =>
        core.createNamespacedPod({ namespace, body: pod }, o),
      ),

    annotatePod: (namespace, name, annotations) =>
      call(`annotating pod ${namespace}/${name}`, (o) =>
        core.patchNamespacedPod(
          { namespace, name, body: { metadata: { annotations } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch, o),
        ),
      ),

    addEphemeralContainer: (namespace, name, container) =>
      call(`adding debug container ${container.name} to pod ${namespace}/${name}`, (o) =>
        core.patchNamespacedPodEphemeralcontainers(
          { namespace, name, body: { spec: { ephemeralContainers: [container] } } },
          setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, o),
        ),
      ),

    servesEphemeralContainers: async () => {
      const list = await call('listing the core API resources', (o) => core.getAPIResources(o));
      return list.resources.some((r) => r.name === 'pods/ephemeralcontainers');
    },

    deletePod: async (namespace, name, opts = {}) => {
      try {
        await call(`deleting pod ${namespace}/${name}`, (o) =>
          core.deleteNamespacedPod(
            {
              namespace,
              name,
              ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
            },
            o,
          ),
        );
        return 'deleted';
      } catch (e) {
        // Deleting an already deleted pod answers 404: for cleanup that is success.
        if (e instanceof KubeError && e.kind === 'NotFound') return 'already-gone';
        throw e;
      }
    },

    watchPod: async (namespace, name, judge, signal) => {
      let pod: Pod;
      try {
        pod = await call(`reading pod ${namespace}/${name}`, (o) => core.readNamespacedPod({ namespace, name }, o));
      } catch (e) {
        if (e instanceof KubeError && e.kind === 'NotFound') {
          judge(undefined);
          return;
        }
        throw e;
      }
      if (judge(pod) || signal.aborted) return;
      await new Promise<void>((resolve) => {
        let controller: AbortController | undefined;
        const finish = () => {
          signal.removeEventListener('abort', finish);
          controller?.abort();
          resolve();
        };
        signal.addEventListener('abort', finish, { once: true });
        new Watch(kc)
          .watch(
            `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
            {
              fieldSelector: `metadata.name=${name}`,
              resourceVersion: pod.metadata?.resourceVersion ?? '',
              allowWatchBookmarks: true,
            },
            (type: string, obj: Pod) => {
              if (type === 'BOOKMARK') return;
              if (judge(type === 'DELETED' ? undefined : obj)) finish();
            },
            () => finish(),
          )
          .then(
            (c) => {
              controller = c;
              if (signal.aborted) c.abort();
            },
            () => finish(),
          );
      });
    },

    ping: async () => {
      await call('reading the API server version', (o) => version.getCode(o));
    },

    readLease: async (namespace, name) => {
      try {
        return await call(`reading lease ${namespace}/${name}`, (o) =>
          coordination.readNamespacedLease({ namespace, name }, o),
        );
      } catch (e) {
        if (e instanceof KubeError && e.kind === 'NotFound') return undefined;
        throw e;
      }
    },

    createLease: (namespace, lease) =>
      call(`creating lease ${namespace}/${lease.metadata?.name ?? ''}`, (o) =>
        coordination.createNamespacedLease({ namespace, body: lease }, o),
      ),

    replaceLease: (namespace, lease) =>
      call(`updating lease ${namespace}/${lease.metadata?.name ?? ''}`, (o) =>
        coordination.replaceNamespacedLease({ namespace, name: lease.metadata?.name ?? '', body: lease }, o),
      ),

    mayI: async ({ verb, group, resource, subresource, namespace }) => {
      const review = await call(`asking whether the bot may ${verb} ${resource}`, (o) =>
        authz.createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: {
                resourceAttributes: {
                  verb,
                  group,
                  resource,
                  ...(subresource ? { subresource } : {}),
                  ...(namespace ? { namespace } : {}),
                },
              },
            },
          },
          o,
        ),
      );
      const status = review.status;
      return { allowed: status?.allowed === true, ...(status?.reason ? { reason: status.reason } : {}) };
    },

    observe: (listener) => {
      pool.listeners.add(listener);
      return () => void pool.listeners.delete(listener);
    },

    listManagedPods: (labelSelector) =>
      allPages(`listing pods with ${labelSelector}`, (cont, o) =>
        core.listPodForAllNamespaces({ labelSelector, limit: pageSize, ...(cont ? { _continue: cont } : {}) }, o),
      ),
  };
}

/**
 * Times each request of one call from send to answer and tells the pool's listeners; a request that never got an
 * answer (deadline, refused connection) is reported by `unanswered()` with code `error`.
 */
function observeRequests(pool: SharedPool): { middleware: ObservableMiddleware; unanswered(): void } {
  let pending: { verb: string; resource: string; started: number } | undefined;
  const report = (code: string): void => {
    if (!pending) return;
    const { verb, resource, started } = pending;
    pending = undefined;
    const seconds = (performance.now() - started) / 1000;
    for (const listener of pool.listeners) listener({ verb, resource, code, seconds });
  };
  return {
    middleware: {
      pre: (ctx: RequestContext) => {
        if (pool.listeners.size) {
          pending = { ...describeKubeRequest(ctx.getHttpMethod(), ctx.getUrl()), started: performance.now() };
        }
        return new Observable(Promise.resolve(ctx));
      },
      post: (res: ResponseContext) => {
        report(String(res.httpStatusCode));
        return new Observable(Promise.resolve(res));
      },
    },
    unanswered: () => report('error'),
  };
}

/**
 * Attaches the deadline's signal to the request (undici's fetch aborts the connection and the body read with it) and
 * swaps client-node's fresh per-request Agent for the shared one.
 */
function requestMiddleware(signal: AbortSignal, pool: SharedPool): ObservableMiddleware {
  return {
    pre: (ctx: RequestContext) => {
      ctx.setSignal(signal);
      const fresh = ctx.getDispatcher();
      if (fresh) {
        const now = Date.now();
        if (!pool.dispatcher || now - pool.since > POOL_RENEW_MS) {
          // The replaced Agent's idle sockets close on undici's keep-alive timeout; in-flight requests finish.
          pool.dispatcher = fresh;
          pool.since = now;
        } else {
          ctx.setDispatcher(pool.dispatcher);
        }
      }
      return new Observable(Promise.resolve(ctx));
    },
    post: (res: ResponseContext) => new Observable(Promise.resolve(res)),
  };
}
