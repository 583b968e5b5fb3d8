import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import yaml from 'js-yaml';
import type { Clock } from '../clock.js';
import {
  decodeKubeProtobuf,
  isRegisteredKind,
  PROTOBUF_MEDIA_TYPE,
  ProtobufDecodeError,
  summarizeBody,
} from '../protobuf/decode-kube-protobuf.js';
import { isoSeconds, type MemoryStore, StoreError } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { startControllers } from './controllers.js';
import { applyCreateDefaults, defaultContainer, defaultPodSpec, generateName } from './defaults.js';
import { apiGroupList, apiResourceList, apiVersions, openapiDocument, openapiRoot, VERSION_INFO } from './discovery.js';
import { startEventTtl } from './event-ttl.js';
import { Faults } from './faults.js';
import { applyPatch, patchTypeOf } from './patch.js';
import { admitPriority, admitRuntimeClass, MIRROR_POD_ANNOTATION, mirrorPodProblem } from './pod-admission.js';
import { deletePodGracefully } from './pod-deletion.js';
import { enforcedLevel, podSecurityViolations } from './pod-security.js';
import { DEFAULT_TOKEN, forbiddenReason, Rbac, type RequestAttributes } from './rbac.js';
import { resolveContainer } from './resolve-container.js';
import { apiVersionOf, findResource, GROUPS, type ResourceInfo } from './resources.js';
import { decodeAgainst, SCHEMAS } from './schema.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import {
  type ExecAnswer,
  type ExecStreams,
  newExecWebSocketServer,
  offersV5,
  refuseUpgrade,
  refuseWithStatus,
  STREAM_PROTOCOL_V5,
  serveExecWebSocket,
} from './serve-exec.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  fieldErr,
  forbidden,
  invalid,
  methodNotAllowed,
  notFound,
  routeNotFound,
} from './status.js';
import { type IncludeObject, toTable } from './table.js';
import { validateCreate, validateEphemeral, validateUpdate } from './validate.js';
import { type OpenWatch, serveWatch } from './watch.js';

type Any = any;

/** Parameters of a pods/log read, as the kubelet takes them. */
export interface LogParams {
  container: string;
  previous?: boolean;
  tailLines?: number;
  limitBytes?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
}

/** The kubelet's side of `GET pods/{name}/log`: the apiserver resolves pod and container, the kubelet answers. */
export interface LogReader {
  readLog(
    namespace: string,
    pod: string,
    params: LogParams,
  ): { status: 200; body: string } | { status: 400 | 404; message: string };
}

/** What the kubelet is asked for `pods/{name}/exec` once the API server has resolved pod and container. */
export interface ExecParams extends ExecStreams {
  container: string;
  /** argv, from the repeated `command` query parameter. */
  command: string[];
}

/** The kubelet's side of `pods/{name}/exec`: it starts the process, or refuses. */
export interface ExecHost {
  exec(namespace: string, pod: string, params: ExecParams): ExecAnswer;
}

export interface KubeApiServerOptions {
  store: MemoryStore;
  clock: Clock;
  /** Answers pods/log; may be set later through `logs`. */
  logs?: LogReader;
  /** Answers pods/exec; may be set later through `execs`. */
  execs?: ExecHost;
  /** Server-side watch timeout when the client gives no timeoutSeconds (kube-apiserver's min-request-timeout). @defaultValue 1800 */
  watchTimeoutSeconds?: number;
  /** Events are deleted this long after their last write (--event-ttl); 0 keeps them forever. @defaultValue 3600 */
  eventTTLSeconds?: number;
}

type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

interface ResourceRoute {
  r: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  sub: string | undefined;
  verb: Verb;
}

const MAX_BODY = 3 * 1024 * 1024;
/** Server-managed metadata a client cannot set by writing it. */
const SERVER_META = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
];
/** Resources whose DELETE answers with the object rather than a Status (ReturnDeletedObject in their registry). */
const RETURNS_DELETED = new Set(['pods', 'namespaces']);

const truthy = (v: string | null): boolean => v === 'true' || v === '1';

/**
 * The simulated kube-apiserver: plain HTTP on 127.0.0.1 speaking the Kubernetes REST protocol for the resources
 * in resources.ts, with the real server's defaults, validation, admission, Status objects, Tables and watches.
 */
export class KubeApiServer {
  readonly server: Server;
  readonly rbac = new Rbac();
  readonly faults = new Faults();
  /** The kubelet's log reader; pods/log answers 500 while unset. */
  logs: LogReader | undefined;
  /** The kubelet's exec host; an exec is refused while unset. */
  execs: ExecHost | undefined;
  private readonly execSockets = newExecWebSocketServer();
  private readonly hungSockets = new Set<Duplex>();
  private readonly store: MemoryStore;
  private readonly clock: Clock;
  private readonly watchTimeoutSeconds: number;
  private readonly openWatches = new Set<OpenWatch>();
  private readonly hung = new Set<ServerResponse>();
  private readonly stopControllers: () => void;
  private readonly stopEventTtl: () => void;
  private nextClusterIP = 10;
  private address = '127.0.0.1:0';
  /** Listeners whose every request is one user's (listenAs), and who that is. */
  private readonly userListeners = new Map<string, { server: Server; url: string }>();
  /** Connections to those listeners, and whose they are. */
  private readonly connectionUser = new WeakMap<object, string>();

  constructor(opts: KubeApiServerOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.logs = opts.logs;
    this.execs = opts.execs;
    this.watchTimeoutSeconds = opts.watchTimeoutSeconds ?? 1800;
    const ttl = opts.eventTTLSeconds ?? 3600;
    this.stopEventTtl = ttl > 0 ? startEventTtl(this.store, this.clock, ttl) : () => {};
    this.stopControllers = startControllers(this.store, this.clock, (pod) => {
      const r = findResource('', 'v1', 'pods') as ResourceInfo;
      this.prepareCreate(r, pod.metadata.namespace, pod);
      return this.store.create('pods', pod);
    });
    this.server = this.newListener();
    this.faults.watchControl = {
      dropWatches: (after) => {
        for (const w of [...this.openWatches]) w.drop(after);
      },
      expireWatches: () => {
        const rv = this.store.currentResourceVersion();
        this.store.compact();
        for (const w of [...this.openWatches]) w.expire(`too old resource version: ${Number(rv) - 1} (${rv})`);
      },
    };
  }

  /** Watches open right now, of one resource (`pods`) or of all: how many watchers the API server is serving. */
  openWatchCount(resource?: string): number {
    return [...this.openWatches].filter((w) => resource === undefined || w.resource === resource).length;
  }

  /** Listens on 127.0.0.1 (port 0: a free one) and resolves to the base URL. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    this.address = `127.0.0.1:${a.port}`;
    return `http://${this.address}`;
  }

  /**
   * A second address whose requests are all `user`'s: what a person's client certificate gives them on a real API
   * server. kubectl sends no credentials to a plain-HTTP server, so without it a person's kubectl would pass for the
   * bot (the token-less default user) and its requests would count as the bot's use of its roles.
   */
  async listenAs(user: string): Promise<string> {
    const known = this.userListeners.get(user);
    if (known) return known.url;
    const server = this.newListener();
    server.on('connection', (socket) => this.connectionUser.set(socket, user));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.userListeners.set(user, { server, url });
    return url;
  }

  private newListener(): Server {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e) => this.writeError(res, e));
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((e) => refuseWithStatus(socket, toApiError(e)));
    });
    server.keepAliveTimeout = 5000;
    return server;
  }

  /** Ends open watches and hung requests, then closes the listeners. */
  async close(): Promise<void> {
    this.stopControllers();
    this.stopEventTtl();
    for (const w of [...this.openWatches]) w.drop();
    for (const r of this.hung) r.destroy();
    this.hung.clear();
    for (const s of this.hungSockets) s.destroy();
    for (const ws of this.execSockets.clients) ws.terminate();
    this.execSockets.close();
    const servers = [this.server, ...[...this.userListeners.values()].map((l) => l.server)];
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<undefined> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    let body = raw.toString('utf8');
    let contentType = req.headers['content-type'];
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return writeText(res, 200, 'ok');
    if (path === '/version') {
      // Faults apply here too (a test makes the API server unreachable for the bot's readiness check).
      const decision = this.faults.decide({ method, url: `${url.pathname}${url.search}` });
      if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
      if (decision.error) throw injectedError(decision.error);
      if (!decision.hang) return writeJson(res, 200, VERSION_INFO);
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      return;
    }
    const user = this.authenticate(req);
    const route = this.route(method, path, q);
    const decision = this.faults.decide({
      method,
      url: `${url.pathname}${url.search}`,
      verb: route && 'verb' in route ? route.verb : undefined,
      resource: route && 'r' in route ? route.r.name : undefined,
      subresource: route && 'r' in route ? route.sub : undefined,
      namespace: route && 'r' in route ? route.namespace : undefined,
    });
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.hang) {
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      return;
    }
    if (decision.error) throw injectedError(decision.error);
    if (!route) throw routeNotFound();
    if ('json' in route) {
      if (method !== 'GET') throw methodNotAllowed();
      return writeJson(res, 200, route.json);
    }
    // Typed clients (kubectl create namespace, auth can-i, debug --copy-to) send protobuf: from here on it is the JSON
    // the same body would be. Patches have no protobuf form and stay unsupported (415).
    const writesObject = 'ssar' in route || ['create', 'update', 'delete', 'deletecollection'].includes(route.verb);
    if (writesObject && mediaType(contentType) === PROTOBUF_MEDIA_TYPE) {
      const expected =
        'ssar' in route ? 'SelfSubjectAccessReview' : route.verb.startsWith('delete') ? 'DeleteOptions' : route.r.kind;
      body = JSON.stringify(decodeProtobufBody(raw, expected));
      contentType = 'application/json';
    }
    if ('ssar' in route) return this.selfSubjectAccessReview(res, user, body);
    const attrs: RequestAttributes = {
      user,
      verb: route.verb,
      group: route.r.group,
      resource: route.r.name,
      subresource: route.sub,
      namespace: route.r.name === 'namespaces' ? route.name : route.namespace,
      name: route.name,
    };
    if (!this.rbac.allows(attrs)) throw forbidden(route.r, route.name, forbiddenReason(attrs));
    this.rbac.record(attrs);
    const ctx = { req, res, q, body, contentType, route };
    switch (route.verb) {
      case 'get':
        if (route.sub === 'exec') throw badRequest('Upgrade request required');
        return route.sub === 'log' ? this.readLog(ctx) : this.get(ctx);
      case 'list':
        return this.list(ctx);
      case 'watch':
        return this.watch(ctx);
      case 'create':
        if (route.sub === 'exec') throw badRequest('Upgrade request required');
        return this.create(ctx);
      case 'update':
        return this.update(ctx, this.decodeBody(route.r, body, q, contentType));
      case 'patch':
        return this.patch(ctx);
      case 'delete':
        return this.delete(ctx);
      case 'deletecollection':
        return this.deleteCollection(ctx);
    }
  }

  /**
   * Connection upgrades: `pods/{name}/exec` over WebSocket (kubectl 1.30+ tries it first, with GET, authorized as
   * `get` on pods/exec as kube-apiserver 1.32 does; 1.35 also requires `create`). Refusals before the upgrade are
   * Status answers, on which kubectl falls back to SPDY (a POST, authorized as `create`) and meets the same refusal.
   * SPDY itself is not served.
   */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    const user = this.authenticate(req);
    const route = this.route(method, path, q);
    const resourceRoute = route && 'r' in route ? route : undefined;
    const decision = this.faults.decide({
      method,
      url: `${url.pathname}${url.search}`,
      verb: resourceRoute?.verb,
      resource: resourceRoute?.r.name,
      subresource: resourceRoute?.sub,
      namespace: resourceRoute?.namespace,
    });
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.hang) {
      this.hungSockets.add(socket);
      socket.on('close', () => this.hungSockets.delete(socket));
      return;
    }
    if (decision.error) throw injectedError(decision.error);
    if (resourceRoute?.sub !== 'exec')
      return refuseUpgrade(socket, 400, 'the Kubernetes simulator upgrades only pods/exec connections');
    const { r, namespace, name } = resourceRoute;
    const attrs: RequestAttributes = {
      user,
      verb: resourceRoute.verb,
      group: r.group,
      resource: r.name,
      subresource: 'exec',
      namespace,
      name,
    };
    if (!this.rbac.allows(attrs)) throw forbidden(r, name, forbiddenReason(attrs));
    this.rbac.record(attrs);
    const podName = name as string;
    const ns = namespace as string;
    const pod = this.store.peek('pods', ns, podName);
    if (!pod) throw notFound(r, podName);
    const container = resolveContainer(pod, podName, q.get('container') ?? '');
    if (!pod.spec.nodeName) throw badRequest(`pod ${podName} does not have a host assigned`);
    if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket')
      return refuseUpgrade(
        socket,
        400,
        `the Kubernetes simulator serves pods/exec over WebSocket (${STREAM_PROTOCOL_V5}), not ${req.headers.upgrade ?? 'plain HTTP'}`,
      );
    // kube-apiserver hands clients of older subprotocols to the kubelet's own WebSocket server; only v5 is served here.
    if (!offersV5(req))
      return refuseUpgrade(socket, 400, `the Kubernetes simulator serves pods/exec over ${STREAM_PROTOCOL_V5} only`);
    const streams: ExecStreams = {
      stdin: truthy(q.get('stdin')),
      stdout: truthy(q.get('stdout')),
      stderr: truthy(q.get('stderr')),
      tty: truthy(q.get('tty')),
    };
    const command = q.getAll('command');
    serveExecWebSocket(this.execSockets, req, socket, head, streams, () =>
      this.execs
        ? this.execs.exec(ns, podName, { container, command, ...streams })
        : { kind: 'refused', message: `no kubelet is serving node "${pod.spec.nodeName}"` },
    );
  }

  private authenticate(req: IncomingMessage): string {
    const person = this.connectionUser.get(req.socket);
    if (person) return person;
    // client-go reads a kubeconfig's credentials only for TLS servers, so kubectl talks to this plain-HTTP server
    // without a token: such requests are the default user's, as on kube-apiserver's old insecure port.
    if (req.headers.authorization === undefined) return this.rbac.tokens.get(DEFAULT_TOKEN) as string;
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization);
    const user = m ? this.rbac.tokens.get((m[1] as string).trim()) : undefined;
    if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    return user;
  }

  private route(
    method: string,
    path: string,
    q: URLSearchParams,
  ): { json: unknown } | { ssar: true; verb: 'create' } | ResourceRoute | undefined {
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segs[0] === 'openapi') {
      if (segs[1] !== 'v3') return undefined;
      if (segs.length === 2) return { json: openapiRoot() };
      const doc =
        segs[2] === 'api' ? openapiDocument('', segs[3] ?? '') : openapiDocument(segs[3] ?? '', segs[4] ?? '');
      return doc ? { json: doc } : undefined;
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api') {
      if (segs.length === 1) return { json: apiVersions(this.address) };
      if (segs[1] !== 'v1') return undefined;
      group = '';
      version = 'v1';
      rest = segs.slice(2);
    } else if (segs[0] === 'apis') {
      if (segs.length === 1) return { json: apiGroupList() };
      const g = GROUPS.find((x) => x.group === segs[1]);
      if (!g) return undefined;
      if (segs.length === 2)
        return {
          json: {
            kind: 'APIGroup',
            apiVersion: 'v1',
            name: g.group,
            versions: [{ groupVersion: `${g.group}/${g.version}`, version: g.version }],
            preferredVersion: { groupVersion: `${g.group}/${g.version}`, version: g.version },
          },
        };
      group = segs[1] as string;
      version = segs[2] as string;
      rest = segs.slice(3);
    } else return undefined;
    if (rest.length === 0) {
      const list = apiResourceList(group, version);
      return list ? { json: list } : undefined;
    }
    if (group === 'authorization.k8s.io')
      return rest.length === 1 && rest[0] === 'selfsubjectaccessreviews' && method === 'POST'
        ? { ssar: true, verb: 'create' }
        : undefined;
    let namespace: string | undefined;
    let resName: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') {
      if (rest.length > 5) return undefined;
      [, namespace, resName, name, sub] = rest as [string, string, string, string | undefined, string | undefined];
    } else {
      if (rest.length > 3) return undefined;
      [resName, name, sub] = rest as [string, string | undefined, string | undefined];
    }
    const r = findResource(group, version, resName);
    if (!r) return undefined;
    if (namespace !== undefined && !r.namespaced) return undefined;
    if (sub !== undefined && !r.subresources.includes(sub)) return undefined;
    const isWatch = truthy(q.get('watch'));
    let verb: Verb;
    switch (method) {
      case 'GET':
        verb = name ? 'get' : isWatch ? 'watch' : 'list';
        break;
      case 'POST':
        // Connect subresources take POST on a named object (pods/exec over SPDY).
        if (name && sub !== 'exec') throw methodNotAllowed();
        verb = 'create';
        break;
      case 'PUT':
        if (!name) throw methodNotAllowed();
        verb = 'update';
        break;
      case 'PATCH':
        if (!name) throw methodNotAllowed();
        verb = 'patch';
        break;
      case 'DELETE':
        verb = name ? 'delete' : 'deletecollection';
        break;
      default:
        throw methodNotAllowed();
    }
    if (sub === 'log' && verb !== 'get') throw methodNotAllowed();
    if (sub === 'exec' && verb !== 'get' && verb !== 'create') throw methodNotAllowed();
    if (sub && verb === 'delete') throw methodNotAllowed();
    // A namespaced resource at the cluster path: only list and watch across all namespaces.
    if (r.namespaced && namespace === undefined && (name !== undefined || (verb !== 'list' && verb !== 'watch'))) {
      if (name !== undefined) return undefined;
      throw methodNotAllowed();
    }
    return { r, namespace, name, sub, verb };
  }

  // ---- reads ----

  private get(ctx: Ctx): undefined {
    const { r, namespace, name } = ctx.route;
    const o = this.store.peek(r.name, namespace, name as string);
    if (!o) throw notFound(r, name as string);
    const accept = String(ctx.req.headers.accept ?? '');
    if (accept.includes('as=Table')) {
      return writeJson(
        ctx.res,
        200,
        toTable(
          r.name,
          apiVersionOf(r),
          r.kind,
          [o],
          this.clock.now(),
          { resourceVersion: o.metadata.resourceVersion },
          includeObject(ctx.q),
        ),
      );
    }
    if (accept.includes('as=PartialObjectMetadata'))
      return writeJson(ctx.res, 200, {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      });
    writeRawJson(ctx.res, 200, JSON.stringify(o));
  }

  private list(ctx: Ctx): undefined {
    const { r, namespace } = ctx.route;
    const labels = parseLabelSelector(ctx.q.get('labelSelector'));
    const fields = parseFieldSelector(r.name, ctx.q.get('fieldSelector'));
    const limitRaw = ctx.q.get('limit');
    const limit = limitRaw ? Number(limitRaw) : 0;
    if (!Number.isInteger(limit) || limit < 0)
      throw badRequest(`limit: Invalid value: "${limitRaw}": must be a non-negative integer`);
    let rv = Number(this.store.currentResourceVersion());
    const asked = ctx.q.get('resourceVersion');
    const match = ctx.q.get('resourceVersionMatch');
    if (match !== null && !['Exact', 'NotOlderThan'].includes(match))
      throw badRequest(
        `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      );
    if (asked && asked !== '0') {
      const n = Number(asked);
      if (!Number.isInteger(n) || n < 0)
        throw badRequest(`resourceVersion: Invalid value: "${asked}": must be a non-negative integer`);
      // The watch cache waits (3 s) for a version it has not reached, then gives up; the simulator gives up at once.
      if (n > rv)
        throw new ApiError(
          504,
          'Timeout',
          `Too large resource version: ${n}, current: ${rv}`,
          {
            causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
            retryAfterSeconds: 1,
          },
          1,
        );
      if (match === 'Exact' && !this.store.canResume(n))
        throw new ApiError(410, 'Expired', `too old resource version: ${n} (${rv})`);
    }
    let after: string | undefined;
    const cont = ctx.q.get('continue');
    if (cont) {
      const token = decodeContinue(cont);
      if (!this.store.canResume(token.rv))
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      rv = token.rv;
      after = token.start;
    }
    const items: KubeObject[] = [];
    let nextKey: string | undefined;
    let lastKey: string | undefined;
    for (const [key, o] of this.store.orderedAt(r.name, namespace, after, rv)) {
      if (!matchLabels(labels, o.metadata.labels) || !matchFields(fields, o)) continue;
      if (limit > 0 && items.length === limit) {
        nextKey = lastKey;
        break;
      }
      items.push(o);
      lastKey = key;
    }
    const meta: Record<string, unknown> = { resourceVersion: String(rv) };
    if (nextKey !== undefined) meta.continue = encodeContinue(rv, nextKey);
    const accept = String(ctx.req.headers.accept ?? '');
    if (accept.includes('as=Table'))
      return writeJson(
        ctx.res,
        200,
        toTable(r.name, apiVersionOf(r), r.kind, items, this.clock.now(), meta, includeObject(ctx.q)),
      );
    if (accept.includes('as=PartialObjectMetadataList'))
      return writeJson(ctx.res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: meta,
        items: items.map((o) => ({
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        })),
      });
    // Built by hand so that 50,000 pods are serialised once, without an intermediate copy; items carry no
    // apiVersion/kind, as in a real list.
    const parts: string[] = [];
    for (const o of items) {
      const { apiVersion: _a, kind: _k, ...rest } = o;
      parts.push(JSON.stringify(rest));
    }
    writeRawJson(
      ctx.res,
      200,
      `{"kind":"${r.kind}List","apiVersion":"${apiVersionOf(r)}","metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`,
    );
  }

  private watch(ctx: Ctx): undefined {
    const { r, namespace } = ctx.route;
    const t = ctx.q.get('timeoutSeconds');
    const accept = String(ctx.req.headers.accept ?? '');
    serveWatch(
      ctx.res,
      {
        resource: r,
        namespace,
        labels: parseLabelSelector(ctx.q.get('labelSelector')),
        fields: parseFieldSelector(r.name, ctx.q.get('fieldSelector')),
        resourceVersion: ctx.q.get('resourceVersion') ?? undefined,
        bookmarks: truthy(ctx.q.get('allowWatchBookmarks')),
        timeoutSeconds: t && Number(t) > 0 ? Number(t) : this.watchTimeoutSeconds,
        sendInitialEvents: truthy(ctx.q.get('sendInitialEvents')),
        table: accept.includes('as=Table') ? includeObject(ctx.q) : undefined,
      },
      { store: this.store, clock: this.clock, open: this.openWatches },
    );
  }

  private readLog(ctx: Ctx): undefined {
    const { namespace, name } = ctx.route;
    const podName = name as string;
    const ns = namespace as string;
    const pod = this.store.peek('pods', ns, podName);
    if (!pod) throw notFound(ctx.route.r, podName);
    const q = ctx.q;
    const container = resolveContainer(pod, podName, q.get('container') ?? '');
    const num = (k: string): number | undefined => {
      const v = q.get(k);
      if (v === null || v === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
      return n;
    };
    const params: LogParams = {
      container,
      previous: truthy(q.get('previous')),
      timestamps: truthy(q.get('timestamps')),
    };
    const tailLines = num('tailLines');
    const limitBytes = num('limitBytes');
    const sinceSeconds = num('sinceSeconds');
    const errs = [];
    if (tailLines !== undefined && tailLines < 0)
      errs.push(fieldErr.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
    if (limitBytes !== undefined && limitBytes < 1)
      errs.push(fieldErr.invalid('limitBytes', limitBytes, 'must be greater than 0'));
    if (sinceSeconds !== undefined && sinceSeconds < 1)
      errs.push(fieldErr.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
    if (errs.length) throw invalid({ ...ctx.route.r, kind: 'PodLogOptions' }, podName, errs);
    if (tailLines !== undefined) params.tailLines = tailLines;
    if (limitBytes !== undefined) params.limitBytes = limitBytes;
    if (sinceSeconds !== undefined) params.sinceSeconds = sinceSeconds;
    // The apiserver only proxies to a node; an unscheduled pod has none, and answers with an empty body.
    if (!pod.spec.nodeName) return writeText(ctx.res, 200, '');
    if (!this.logs)
      throw new ApiError(
        500,
        'InternalError',
        `Internal error occurred: no kubelet is serving node "${pod.spec.nodeName}"`,
      );
    const out = this.logs.readLog(ns, podName, params);
    if (out.status !== 200) throw new ApiError(out.status, out.status === 404 ? 'NotFound' : 'BadRequest', out.message);
    if (truthy(q.get('follow')) && !params.previous) return this.followLog(ctx.res, ns, podName, params, out.body);
    return writeText(ctx.res, 200, out.body);
  }

  /**
   * `follow=true`: the answer so far, then what the running instance writes next, until it stops (or restarts, or
   * the pod goes), as the kubelet streams a container's log file.
   */
  private followLog(res: ServerResponse, ns: string, pod: string, params: LogParams, first: string): undefined {
    const logs = this.logs as LogReader;
    const full = (): string | undefined => {
      const r = logs.readLog(ns, pod, { container: params.container, timestamps: params.timestamps });
      return r.status === 200 ? r.body : undefined;
    };
    let seen = full() ?? '';
    let budget = params.limitBytes ?? Number.POSITIVE_INFINITY;
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    const write = (text: string): void => {
      const chunk = text.length > budget ? text.slice(0, budget) : text;
      budget -= chunk.length;
      if (chunk) res.write(chunk);
    };
    write(first);
    const running = (): boolean => {
      const p = this.store.peek('pods', ns, pod);
      if (!p) return false;
      const statuses = [
        ...(p.status?.containerStatuses ?? []),
        ...(p.status?.initContainerStatuses ?? []),
        ...(p.status?.ephemeralContainerStatuses ?? []),
      ];
      return !!statuses.find((c: Any) => c.name === params.container)?.state?.running;
    };
    const timer = setInterval(() => {
      const now = full();
      const sameInstance = now?.startsWith(seen) === true;
      if (sameInstance) {
        write((now as string).slice(seen.length));
        seen = now as string;
      }
      if (!sameInstance || !running() || budget <= 0) stop();
    }, 250);
    const stop = (): void => {
      clearInterval(timer);
      this.hung.delete(res);
      if (!res.writableEnded) res.end();
    };
    // Closed with the server like a hung request.
    this.hung.add(res);
    res.on('close', stop);
    return undefined;
  }

  // ---- writes ----

  /** Decodes a JSON (or YAML) body, applying strict/warn/ignore field validation; prunes unknown fields. */
  private decodeBody(
    r: ResourceInfo,
    body: string,
    q: URLSearchParams,
    contentType: string | undefined,
    schemaKey = r.name,
  ): { object: KubeObject; warnings: string[] } {
    const ct = (contentType ?? 'application/json').split(';')[0]?.trim() ?? '';
    let value: unknown;
    if (ct === 'application/json' || ct === '' || ct === '*/*') {
      try {
        value = JSON.parse(body);
      } catch (e) {
        throw badRequest(
          `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: json parse error: ${(e as Error).message}`,
        );
      }
    } else if (ct === 'application/yaml') {
      try {
        value = yaml.load(body);
      } catch (e) {
        throw badRequest(`yaml: ${(e as Error).message}`);
      }
    } else
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`,
      );
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw badRequest(
        `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct`,
      );
    return this.checkFields(r, value as KubeObject, q, schemaKey);
  }

  private checkFields(
    r: ResourceInfo,
    object: KubeObject,
    q: URLSearchParams,
    schemaKey = r.name,
  ): { object: KubeObject; warnings: string[] } {
    const mode = q.get('fieldValidation') ?? 'Warn';
    if (!['Strict', 'Warn', 'Ignore'].includes(mode))
      throw badRequest(`fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`);
    const problems = decodeAgainst(object, SCHEMAS[schemaKey] ?? 'x');
    if (problems.typeErrors.length)
      throw badRequest(
        `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${problems.typeErrors[0]}`,
      );
    if (mode === 'Strict' && problems.unknown.length)
      throw badRequest(`strict decoding error: ${problems.unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
    object.metadata ??= {};
    if (typeof object.metadata !== 'object') throw badRequest('metadata must be an object');
    return { object, warnings: mode === 'Warn' ? problems.unknown.map((f) => `unknown field "${f}"`) : [] };
  }

  /**
   * The body's apiVersion and kind (the endpoint's when absent) must be the endpoint's. Otherwise kube-apiserver's
   * decoder says why: a kind it does not know in that version, or one it cannot convert into the endpoint's type.
   */
  private checkTypeMeta(r: ResourceInfo, o: KubeObject): void {
    const want = apiVersionOf(r);
    const apiVersion: string = o.apiVersion ?? want;
    const kind: string = o.kind ?? r.kind;
    if (apiVersion !== want || kind !== r.kind) {
      const version = apiVersion.split('/').at(-1);
      const prefix = `${kind} in version "${version}" cannot be handled as a ${r.kind}`;
      if (!isRegisteredKind(apiVersion, kind))
        throw badRequest(
          `${prefix}: no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:111"`,
        );
      // Internal types live in a package named after the group's first label ("core" for the core group).
      const internal = r.group ? r.group.split('.')[0] : 'core';
      throw badRequest(`${prefix}: converting (${version}.${kind}) to (${internal}.${r.kind}): unknown conversion`);
    }
    o.apiVersion = want;
    o.kind = r.kind;
  }

  private dryRun(q: URLSearchParams): boolean {
    const d = q.getAll('dryRun');
    for (const v of d) if (v !== 'All') throw badRequest(`Invalid dry run value: ${v}`);
    return d.length > 0;
  }

  private create(ctx: Ctx): undefined {
    const { r, namespace } = ctx.route;
    const { object: o, warnings } = this.decodeBody(r, ctx.body, ctx.q, ctx.contentType);
    const dry = this.dryRun(ctx.q);
    this.prepareCreate(r, namespace, o);
    const md = o.metadata;
    if (this.store.peek(r.name, md.namespace, md.name)) throw alreadyExists(r, md.name);
    if (dry) {
      delete md.resourceVersion;
      return writeJson(ctx.res, 201, o, warnings);
    }
    try {
      const stored = this.store.create(r.name, o);
      writeJson(ctx.res, 201, stored, warnings);
    } catch (e) {
      if (e instanceof StoreError && e.code === 409) throw alreadyExists(r, md.name);
      throw e;
    }
  }

  /** The create path up to storage: type meta, namespace, generateName, defaults, validation, admission. */
  private prepareCreate(r: ResourceInfo, namespace: string | undefined, o: KubeObject): void {
    this.checkTypeMeta(r, o);
    const md = o.metadata;
    if (r.namespaced) {
      if (md.namespace && md.namespace !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      md.namespace = namespace;
    } else delete md.namespace;
    if (md.resourceVersion)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: resourceVersion should not be set on objects to be created',
      );
    for (const f of SERVER_META) delete md[f];
    if (!md.name && md.generateName) md.name = generateName(md.generateName);
    md.uid = randomUUID();
    md.creationTimestamp = isoSeconds(this.clock.now());
    if (r.namespaced) {
      const ns = this.store.peek('namespaces', undefined, namespace as string);
      if (!ns) throw notFound(findResource('', 'v1', 'namespaces') as ResourceInfo, namespace as string);
      if (ns.status?.phase === 'Terminating' || ns.metadata.deletionTimestamp)
        throw forbidden(
          r,
          md.name,
          `unable to create new content in namespace ${namespace} because it is being terminated`,
        );
    }
    if (r.name === 'pods' || (r.hasStatus && r.name !== 'namespaces')) {
      if (!o.spec || typeof o.spec !== 'object') {
        if (r.name === 'pods') throw invalid(r, md.name ?? '', [fieldErr.required('spec.containers')]);
        o.spec ??= {};
      }
    }
    applyCreateDefaults(r.name, o, { now: md.creationTimestamp, allocateClusterIP: () => this.allocateClusterIP() });
    const errs = validateCreate(r.name, o);
    if (errs.length) throw invalid(r, md.name ?? md.generateName ?? '', errs);
    if (r.name === 'pods') this.admitPod(r, o);
  }

  /**
   * Mutating admission (ServiceAccount, Priority, RuntimeClass), then PodSecurity. ServiceAccount admission leaves a
   * mirror pod's spec untouched and only refuses what a mirror pod may not reference.
   */
  private admitPod(r: ResourceInfo, o: KubeObject): void {
    const spec = o.spec;
    const ns = o.metadata.namespace;
    const refusal = admitPriority(spec, this.store) ?? admitRuntimeClass(spec, this.store);
    if (refusal) throw forbidden(r, o.metadata.name, refusal);
    if (o.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
      const problem = mirrorPodProblem(o);
      if (problem) throw forbidden(r, o.metadata.name, problem);
      this.checkPodSecurity(r, o);
      return;
    }
    spec.serviceAccountName ||= spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    const sa = this.store.peek('serviceaccounts', ns, spec.serviceAccountName);
    if (!sa)
      throw forbidden(
        r,
        o.metadata.name,
        `error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
      );
    const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
    const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
    if (automount && !(spec.volumes ?? []).some((v: Any) => v.name?.startsWith('kube-api-access-'))) {
      const volName = generateName('kube-api-access-');
      spec.volumes = [
        ...(spec.volumes ?? []),
        {
          name: volName,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        },
      ];
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        if ((c.volumeMounts ?? []).some((m: Any) => m.mountPath === mountPath)) continue;
        c.volumeMounts = [...(c.volumeMounts ?? []), { name: volName, readOnly: true, mountPath }];
      }
    }
    this.checkPodSecurity(r, o);
  }

  private checkPodSecurity(r: ResourceInfo, pod: KubeObject): void {
    const { level, version } = enforcedLevel(this.store.peek('namespaces', undefined, pod.metadata.namespace));
    const v = podSecurityViolations(pod, level);
    if (v.length) throw forbidden(r, pod.metadata.name, `violates PodSecurity "${level}:${version}": ${v.join(', ')}`);
  }

  private update(ctx: Ctx, decoded: { object: KubeObject; warnings: string[] }): undefined {
    const { r, namespace, name, sub } = ctx.route;
    const o = decoded.object;
    const dry = this.dryRun(ctx.q);
    this.checkTypeMeta(r, o);
    const old = this.store.peek(r.name, namespace, name as string);
    if (!old) throw notFound(r, name as string);
    const md = o.metadata;
    if (md.name !== undefined && md.name !== name)
      throw badRequest(`the name of the object (${md.name}) does not match the name on the URL (${name})`);
    if (r.namespaced && md.namespace !== undefined && md.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (
      md.resourceVersion !== undefined &&
      md.resourceVersion !== '' &&
      md.resourceVersion !== old.metadata.resourceVersion
    )
      throw conflict(r, name as string);
    let next: KubeObject;
    if (sub === 'status') {
      // The status subresource writes status only.
      next = { ...structuredClone(old), status: o.status };
    } else if (sub === 'ephemeralcontainers') {
      next = structuredClone(old);
      const eph = o.spec?.ephemeralContainers ?? [];
      for (const c of eph)
        if (!(old.spec.ephemeralContainers ?? []).some((e: Any) => e.name === c.name)) defaultContainer(c);
      next.spec.ephemeralContainers = eph;
      const errs = validateEphemeral(old, next);
      if (errs.length) throw invalid(r, name as string, errs);
      this.checkPodSecurity(r, next);
    } else {
      next = o;
      next.metadata.name = name;
      if (r.namespaced) next.metadata.namespace = namespace;
      for (const f of SERVER_META) {
        if (old.metadata[f] === undefined) delete next.metadata[f];
        else next.metadata[f] = old.metadata[f];
      }
      // Writes to the main resource leave status alone where status is a subresource.
      if (r.hasStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = structuredClone(old.status);
      }
      if (r.name === 'pods') {
        defaultPodSpec(next.spec);
        next.spec.ephemeralContainers = old.spec.ephemeralContainers;
        if (next.spec.ephemeralContainers === undefined) delete next.spec.ephemeralContainers;
        // Defaulting may have re-added what admission injected: keep the stored pod's admission results.
        next.spec.serviceAccountName ??= old.spec.serviceAccountName;
        next.spec.serviceAccount ??= old.spec.serviceAccount;
        next.spec.priority ??= old.spec.priority;
        next.spec.preemptionPolicy ??= old.spec.preemptionPolicy;
      }
      const errs = validateUpdate(r.name, old, next);
      if (errs.length) throw invalid(r, name as string, errs);
      if (old.metadata.generation !== undefined && !isDeepStrictEqual(old.spec, next.spec))
        next.metadata.generation = old.metadata.generation + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (isDeepStrictEqual(next, old)) return writeRawJson(ctx.res, 200, JSON.stringify(old), decoded.warnings);
    if (dry) return writeJson(ctx.res, 200, next, decoded.warnings);
    // An object waiting only for its finalizers goes once the last one is removed.
    if (
      next.metadata.deletionTimestamp &&
      !(next.metadata.finalizers ?? []).length &&
      (r.name !== 'pods' || next.metadata.deletionGracePeriodSeconds === 0)
    ) {
      this.store.remove(r.name, namespace, name as string);
      return writeJson(ctx.res, 200, next, decoded.warnings);
    }
    writeJson(ctx.res, 200, this.store.update(r.name, next), decoded.warnings);
  }

  private patch(ctx: Ctx): undefined {
    const { r, namespace, name } = ctx.route;
    const type = patchTypeOf(ctx.req.headers['content-type']);
    let patch: unknown;
    try {
      patch = JSON.parse(ctx.body);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const old = this.store.peek(r.name, namespace, name as string);
    if (!old) throw notFound(r, name as string);
    const result = applyPatch(type, old, patch);
    if (typeof result !== 'object' || result === null || Array.isArray(result))
      throw badRequest('the patch did not produce an object');
    // A patch that names no resourceVersion is unconditional.
    const patchRv = type === 'json' ? undefined : (patch as Any)?.metadata?.resourceVersion;
    if (
      patchRv === undefined &&
      type === 'json' &&
      (patch as Any[]).some((op) => op.path === '/metadata/resourceVersion')
    ) {
      /* an explicit JSON-patch precondition stays in place */
    } else if (patchRv === undefined)
      result.metadata = { ...result.metadata, resourceVersion: old.metadata.resourceVersion };
    this.update(ctx, this.checkFields(r, result, ctx.q));
  }

  private delete(ctx: Ctx): undefined {
    const { r, namespace, name } = ctx.route;
    const opts = this.deleteOptions(ctx);
    const dry = this.dryRun(ctx.q) || (opts.dryRun ?? []).includes('All');
    const old = this.store.peek(r.name, namespace, name as string);
    if (!old) throw notFound(r, name as string);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== old.metadata.uid)
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
        { name, kind: r.name },
      );
    if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
        { name, kind: r.name },
      );
    const now = isoSeconds(this.clock.now());
    if (r.name === 'pods') {
      const out = deletePodGracefully(this.store, old, opts.gracePeriodSeconds, now, dry);
      return writeJson(ctx.res, 200, out.object);
    }
    if (r.name === 'namespaces') {
      if (['default', 'kube-system', 'kube-public'].includes(name as string))
        throw forbidden(r, name, `this namespace may not be deleted`);
      const next = structuredClone(old);
      if (!next.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = now;
        next.metadata.deletionGracePeriodSeconds = 0;
        next.status = { ...(next.status ?? {}), phase: 'Terminating' };
        if (!dry) return writeJson(ctx.res, 200, this.store.update(r.name, next));
      }
      return writeJson(ctx.res, 200, next);
    }
    if ((old.metadata.finalizers ?? []).length) {
      const next = structuredClone(old);
      next.metadata.deletionTimestamp ??= now;
      next.metadata.deletionGracePeriodSeconds ??= 0;
      return writeJson(ctx.res, 200, dry ? next : this.store.update(r.name, next));
    }
    if (!dry) {
      if (opts.propagationPolicy === 'Orphan' || opts.orphanDependents === true) this.orphanDependents(old);
      this.store.remove(r.name, namespace, name as string);
    }
    if (RETURNS_DELETED.has(r.name)) return writeJson(ctx.res, 200, old);
    const details: Record<string, unknown> = { name };
    if (r.group) details.group = r.group;
    details.kind = r.name;
    details.uid = old.metadata.uid;
    writeJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
  }

  /** propagationPolicy=Orphan: dependents lose their reference to the owner instead of being collected. */
  private orphanDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const res of ['replicasets', 'pods']) {
      for (const d of this.store.scan(res, owner.metadata.namespace)) {
        const refs: Any[] = d.metadata.ownerReferences ?? [];
        if (!refs.some((ref) => ref.uid === uid)) continue;
        const next = structuredClone(d);
        next.metadata.ownerReferences = refs.filter((ref) => ref.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.store.update(res, next);
      }
    }
  }

  private deleteOptions(ctx: Ctx): Any {
    let opts: Any = {};
    if (ctx.body.trim()) {
      const r = findResource('', 'v1', 'pods') as ResourceInfo;
      opts = this.decodeBody(
        { ...r, kind: 'DeleteOptions' },
        ctx.body,
        ctx.q,
        'application/json',
        'deleteoptions',
      ).object;
    }
    const g = ctx.q.get('gracePeriodSeconds');
    if (g !== null) {
      const n = Number(g);
      if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${g}": invalid syntax`);
      opts.gracePeriodSeconds = n;
    }
    const p = ctx.q.get('propagationPolicy') ?? opts.propagationPolicy;
    if (p !== undefined) opts.propagationPolicy = p;
    if (p !== undefined && !['Orphan', 'Background', 'Foreground'].includes(p))
      throw new ApiError(
        422,
        'Invalid',
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    return opts;
  }

  private deleteCollection(ctx: Ctx): undefined {
    const { r, namespace } = ctx.route;
    const labels = parseLabelSelector(ctx.q.get('labelSelector'));
    const fields = parseFieldSelector(r.name, ctx.q.get('fieldSelector'));
    const opts = this.deleteOptions(ctx);
    const dry = this.dryRun(ctx.q);
    const now = isoSeconds(this.clock.now());
    const items: KubeObject[] = [];
    for (const o of this.store.scan(r.name, namespace)) {
      if (!matchLabels(labels, o.metadata.labels) || !matchFields(fields, o)) continue;
      if (r.name === 'pods') items.push(deletePodGracefully(this.store, o, opts.gracePeriodSeconds, now, dry).object);
      else {
        if (!dry) this.store.remove(r.name, namespace, o.metadata.name);
        items.push(o);
      }
    }
    writeJson(ctx.res, 200, {
      kind: `${r.kind}List`,
      apiVersion: apiVersionOf(r),
      metadata: { resourceVersion: this.store.currentResourceVersion() },
      items,
    });
  }

  private selfSubjectAccessReview(res: ServerResponse, user: string, body: string): undefined {
    let review: Any;
    try {
      review = JSON.parse(body);
    } catch {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE}`,
      );
    }
    const ra = review?.spec?.resourceAttributes;
    if (!ra)
      throw new ApiError(
        422,
        'Invalid',
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    const attrs: RequestAttributes = {
      user,
      verb: ra.verb ?? '',
      group: ra.group ?? '',
      resource: ra.resource ?? '',
      subresource: ra.subresource || undefined,
      namespace: ra.namespace || undefined,
      name: ra.name,
    };
    const allowed = this.rbac.allows(attrs);
    writeJson(res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec,
      status: allowed
        ? { allowed: true, reason: 'simulator: allowed by default' }
        : { allowed: false, denied: true, reason: 'simulator: denied by rule' },
    });
  }

  private allocateClusterIP(): string {
    const n = this.nextClusterIP++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  }

  private writeError(res: ServerResponse, e: unknown): void {
    const err = toApiError(e);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers['Retry-After'] = String(err.retryAfterSeconds);
    writeJson(res, err.code, err.toStatus(), [], headers);
  }
}

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  q: URLSearchParams;
  body: string;
  /** The body's media type; `application/json` once a protobuf body was decoded. */
  contentType: string | undefined;
  route: ResourceRoute;
}

/** Any failure as the Status the API server would answer with. */
function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof StoreError) {
    const r =
      findResource('', 'v1', e.resource) ??
      findResource('apps', 'v1', e.resource) ??
      findResource('batch', 'v1', e.resource);
    if (!r) return new ApiError(e.code, e.code === 404 ? 'NotFound' : 'AlreadyExists', e.message);
    return e.code === 404 ? notFound(r, e.objectName) : alreadyExists(r, e.objectName);
  }
  return new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? String(e)}`);
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function injectedError(f: { status: number; message?: string; retryAfterSeconds?: number }): ApiError {
  const reasons: Record<number, [string, string]> = {
    429: ['TooManyRequests', 'Too many requests, please try again later.'],
    500: ['InternalError', 'Internal error occurred: injected fault'],
    503: ['ServiceUnavailable', 'The server is currently unable to handle the request'],
    504: [
      'Timeout',
      'The server was unable to return a response in the time allotted, but may still be processing the request',
    ],
    404: ['NotFound', 'the server could not find the requested resource'],
    403: ['Forbidden', 'forbidden'],
    409: ['Conflict', 'conflict'],
  };
  const [reason, msg] = reasons[f.status] ?? ['InternalError', 'injected fault'];
  const retry = f.retryAfterSeconds ?? (f.status === 429 ? 1 : undefined);
  return new ApiError(
    f.status,
    reason,
    f.message ?? msg,
    retry !== undefined ? { retryAfterSeconds: retry } : undefined,
    retry,
  );
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A protobuf body as the JSON object it encodes, or the API server's 400 for it: an envelope it cannot read names
 * the type it expected and quotes the body's start; a kind it cannot decode names that kind.
 */
function decodeProtobufBody(raw: Buffer, expectedKind: string): Record<string, unknown> {
  try {
    return decodeKubeProtobuf(raw);
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    if (e.envelope)
      throw badRequest(
        `${e.envelope.kind} in version "${e.envelope.version}" cannot be handled as a ${expectedKind}: ${e.message}`,
      );
    throw badRequest(
      `the object provided is unrecognized (must be of type ${expectedKind}): ${e.message} (${summarizeBody(raw)})`,
    );
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function warningHeader(warnings: string[]): Record<string, string> {
  // RFC 7234 warn-code 299, as the apiserver sends `unknown field` warnings under fieldValidation=Warn.
  return warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
}

function writeRawJson(
  res: ServerResponse,
  code: number,
  json: string,
  warnings: string[] = [],
  headers: Record<string, string> = {},
): undefined {
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    ...warningHeader(warnings),
    ...headers,
  });
  res.end(json);
  return undefined;
}

function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
  headers: Record<string, string> = {},
): undefined {
  return writeRawJson(res, code, JSON.stringify(body), warnings, headers);
}

function writeText(res: ServerResponse, code: number, text: string): undefined {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.end(text);
  return undefined;
}
