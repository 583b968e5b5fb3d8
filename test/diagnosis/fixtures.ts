/**
 * Realistic pod fixtures for the diagnosis tests, written as builders: each scenario returns the DiagnosisFacts the
 * gatherer would hand over for a pod in that state, with the kubelet's and scheduler's own wording
 * (as the API server returns them).
 */

import type { ContainerLogFacts, DiagnosisFacts, Fetched, OwnerLink } from '../../src/diagnosis/types.js';
import type { Container, ContainerStatus, KubeEvent, Pod } from '../../src/kube/types.js';

export const NOW = new Date('2026-11-23T10:00:00Z');
export const NS = 'demo';

/** A Date `seconds` before NOW. */
export function ago(seconds: number): Date {
  return new Date(NOW.getTime() - seconds * 1000);
}

function uidOf(name: string): string {
  const hex = Array.from(name)
    .reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(8, '0');
  return `${hex}-1111-4222-8333-${hex}0000`;
}

export function container(name: string, image: string, extra: Partial<Container> = {}): Container {
  return { name, image, ...extra };
}

export interface PodOptions {
  namespace?: string;
  initContainers?: Container[];
  containers: Container[];
  phase?: string;
  reason?: string;
  message?: string;
  initStatuses?: ContainerStatus[];
  statuses?: ContainerStatus[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  nodeName?: string | null;
  restartPolicy?: string;
  owner?: { kind: string; name: string };
  ageSeconds?: number;
  deleting?: boolean;
  spec?: Partial<NonNullable<Pod['spec']>>;
}

/** A pod as the API server returns it, with the defaults a created pod gets. */
export function pod(name: string, o: PodOptions): Pod {
  const namespace = o.namespace ?? NS;
  const owner = o.owner ?? { kind: 'ReplicaSet', name: `${name}-7d9f8b6c4d` };
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: uidOf(name),
      creationTimestamp: ago(o.ageSeconds ?? 7200),
      labels: { app: name },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: uidOf(owner.name), controller: true },
      ],
    },
    spec: {
      restartPolicy: o.restartPolicy ?? 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      containers: o.containers,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.nodeName === null ? {} : { nodeName: o.nodeName ?? 'node-a' }),
      ...o.spec,
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.message ? { message: o.message } : {}),
      conditions: o.conditions ?? [],
      startTime: ago(o.ageSeconds ?? 7200),
      ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
      ...(o.statuses ? { containerStatuses: o.statuses } : {}),
    },
  };
  if (o.deleting && p.metadata) p.metadata.deletionTimestamp = ago(5);
  return p;
}

const readyConditions = (ready: boolean, initialized = true) => [
  { type: 'PodReadyToStartContainers', status: 'True' },
  {
    type: 'Initialized',
    status: initialized ? 'True' : 'False',
    ...(initialized ? {} : { reason: 'ContainersNotInitialized' }),
  },
  { type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) },
  { type: 'ContainersReady', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) },
  { type: 'PodScheduled', status: 'True' },
];

export interface Termination {
  exitCode: number;
  reason?: string;
  message?: string;
  signal?: number;
  /** How long the instance ran. */
  ranSeconds?: number;
  /** How long ago it finished. */
  finishedSecondsAgo?: number;
}

function terminatedState(t: Termination) {
  const finished = t.finishedSecondsAgo ?? 30;
  return {
    exitCode: t.exitCode,
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
    ...(t.message ? { message: t.message } : {}),
    ...(t.signal ? { signal: t.signal } : {}),
    startedAt: ago(finished + (t.ranSeconds ?? 2)),
    finishedAt: ago(finished),
    containerID: 'containerd://0f3c9a',
  };
}

export function running(
  name: string,
  image: string,
  o: { ready?: boolean; restarts?: number; last?: Termination; started?: boolean } = {},
): ContainerStatus {
  return {
    name,
    image,
    imageID: `${image}@sha256:abc`,
    ready: o.ready ?? true,
    started: o.started ?? true,
    restartCount: o.restarts ?? 0,
    state: { running: { startedAt: ago(600) } },
    ...(o.last ? { lastState: { terminated: terminatedState(o.last) } } : {}),
  };
}

/** CrashLoopBackOff: waiting with the kubelet's back-off message, the last crash in lastState. */
export function crashLooping(
  podName: string,
  name: string,
  image: string,
  last: Termination,
  o: { restarts: number; backOff?: string; started?: boolean },
): ContainerStatus {
  return {
    name,
    image,
    imageID: `${image}@sha256:abc`,
    ready: false,
    started: o.started ?? false,
    restartCount: o.restarts,
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${o.backOff ?? '5m0s'} restarting failed container=${name} pod=${podName}_${NS}(${uidOf(podName)})`,
      },
    },
    lastState: { terminated: terminatedState(last) },
  };
}

export function waiting(name: string, image: string, reason: string, message?: string, restarts = 0): ContainerStatus {
  return {
    name,
    image,
    imageID: '',
    ready: false,
    started: false,
    restartCount: restarts,
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  };
}

export function terminated(name: string, image: string, t: Termination, restarts = 0): ContainerStatus {
  return {
    name,
    image,
    imageID: `${image}@sha256:abc`,
    ready: false,
    started: false,
    restartCount: restarts,
    state: { terminated: terminatedState(t) },
  };
}

export interface EventOptions {
  count?: number;
  ageSeconds?: number;
  /** `spec.containers{app}`: the kubelet's pointer to the container. */
  fieldPath?: string;
  component?: string;
  podName?: string;
}

let eventSeq = 0;
export function event(type: string, reason: string, message: string, o: EventOptions = {}): KubeEvent {
  eventSeq++;
  const podName = o.podName ?? 'pod';
  const last = ago(o.ageSeconds ?? 10);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${podName}.${eventSeq.toString(16)}`, namespace: NS },
    involvedObject: { kind: 'Pod', name: podName, namespace: NS, ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}) },
    type,
    reason,
    message,
    count: o.count ?? 1,
    firstTimestamp: ago((o.ageSeconds ?? 10) + 3600),
    lastTimestamp: last,
    source: { component: o.component ?? 'kubelet', ...(o.component === 'default-scheduler' ? {} : { host: 'node-a' }) },
  };
}

export const ok = <T>(value: T): Fetched<T> => ({ ok: true, value });

export function logs(name: string, current?: string, previous?: string): ContainerLogFacts {
  return {
    container: name,
    ...(current !== undefined ? { current: ok(current) } : {}),
    ...(previous !== undefined ? { previous: ok(previous) } : {}),
  };
}

export function facts(
  p: Pod,
  o: { events?: KubeEvent[] | Fetched<KubeEvent[]>; logs?: ContainerLogFacts[]; owners?: Fetched<OwnerLink[]> } = {},
): DiagnosisFacts {
  const events = Array.isArray(o.events) ? ok(o.events) : (o.events ?? ok([]));
  const ownerRef = p.metadata?.ownerReferences?.[0];
  const deployment = ownerRef?.kind === 'ReplicaSet' ? ownerRef.name.replace(/-[a-z0-9]+$/, '') : undefined;
  const owners =
    o.owners ??
    ok<OwnerLink[]>(
      ownerRef
        ? [
            { kind: ownerRef.kind, name: ownerRef.name },
            ...(deployment ? [{ kind: 'Deployment', name: deployment }] : []),
          ]
        : [],
    );
  return {
    pod: p,
    events,
    logs: o.logs ?? [],
    owners,
    node: ok({ metadata: { name: p.spec?.nodeName ?? 'node-a' } }),
    now: NOW,
  };
}

const startEvents = (podName: string, c: string, image: string, n: number) => [
  event('Normal', 'Scheduled', `Successfully assigned ${NS}/${podName} to node-a`, {
    podName,
    component: 'default-scheduler',
    ageSeconds: 7200,
  }),
  event('Normal', 'Pulled', `Container image "${image}" already present on machine`, {
    podName,
    count: n,
    fieldPath: `spec.containers{${c}}`,
    ageSeconds: 40,
  }),
  event('Normal', 'Created', `Created container ${c}`, {
    podName,
    count: n,
    fieldPath: `spec.containers{${c}}`,
    ageSeconds: 40,
  }),
  event('Normal', 'Started', `Started container ${c}`, {
    podName,
    count: n,
    fieldPath: `spec.containers{${c}}`,
    ageSeconds: 39,
  }),
];

const backOffEvent = (podName: string, c: string, count: number, initContainer = false) =>
  event('Warning', 'BackOff', `Back-off restarting failed container ${c} in pod ${podName}_${NS}(${uidOf(podName)})`, {
    podName,
    count,
    fieldPath: `spec.${initContainer ? 'initContainers' : 'containers'}{${c}}`,
    ageSeconds: 5,
  });

export const CRASH_LOG = [
  '2026-11-23T09:59:01Z INFO starting api v1.4.2',
  '2026-11-23T09:59:01Z INFO loading config from /etc/api/config.yaml',
  '2026-11-23T09:59:02Z INFO connecting to postgres at db.demo.svc:5432',
  'Error: connect ECONNREFUSED 10.96.0.15:5432',
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
  '    at TCPConnectWrap.callbackTrampoline (node:internal/async_hooks:130:17)',
  '',
].join('\n');

/** demo/crash-exit1: the app exits 1 two seconds after start, 23 times over. */
export function crashExit1(): DiagnosisFacts {
  const name = 'crash-exit1';
  const image = 'ghcr.io/acme/api:1.4.2';
  return facts(
    pod(name, {
      containers: [container('app', image, { resources: { limits: { memory: '256Mi' } } })],
      conditions: readyConditions(false),
      statuses: [crashLooping(name, 'app', image, { exitCode: 1, reason: 'Error', ranSeconds: 2 }, { restarts: 23 })],
    }),
    {
      events: [...startEvents(name, 'app', image, 24), backOffEvent(name, 'app', 480)],
      logs: [logs('app', CRASH_LOG, CRASH_LOG)],
    },
  );
}

/** demo/oom: killed by the OOM killer 12 s after start, limit 64Mi. */
export function oomKilled(): DiagnosisFacts {
  const name = 'oom';
  const image = 'ghcr.io/acme/cache:2.0';
  const log = 'loading 2000000 entries into memory\nloaded 850000 entries\n';
  return facts(
    pod(name, {
      containers: [
        container('app', image, { resources: { limits: { memory: '64Mi' }, requests: { memory: '32Mi' } } }),
      ],
      conditions: readyConditions(false),
      statuses: [
        crashLooping(
          name,
          'app',
          image,
          { exitCode: 137, reason: 'OOMKilled', ranSeconds: 12 },
          { restarts: 5, backOff: '2m40s' },
        ),
      ],
    }),
    { events: [...startEvents(name, 'app', image, 6), backOffEvent(name, 'app', 30)], logs: [logs('app', log, log)] },
  );
}

/** demo/liveness: /healthz answers 500, the kubelet kills it after three failures. */
export function liveness(): DiagnosisFacts {
  const name = 'liveness';
  const image = 'ghcr.io/acme/web:3.1';
  const log = 'listening on :8080\nGET /healthz 500 (db pool exhausted)\nGET /healthz 500 (db pool exhausted)\n';
  return facts(
    pod(name, {
      containers: [
        container('app', image, {
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
        }),
      ],
      conditions: readyConditions(false),
      statuses: [
        crashLooping(
          name,
          'app',
          image,
          { exitCode: 137, reason: 'Error', ranSeconds: 35 },
          { restarts: 4, backOff: '40s' },
        ),
      ],
    }),
    {
      events: [
        ...startEvents(name, 'app', image, 5),
        event('Warning', 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', {
          podName: name,
          count: 12,
          fieldPath: 'spec.containers{app}',
          ageSeconds: 20,
        }),
        event('Normal', 'Killing', 'Container app failed liveness probe, will be restarted', {
          podName: name,
          count: 4,
          fieldPath: 'spec.containers{app}',
          ageSeconds: 20,
        }),
        backOffEvent(name, 'app', 8),
      ],
      logs: [logs('app', log, log)],
    },
  );
}

export type PullCause = 'not-found' | 'unauthorized' | 'network';

const PULL_ERRORS: Record<PullCause, (image: string) => string> = {
  'not-found': (i) =>
    `Failed to pull image "${i}": rpc error: code = NotFound desc = failed to pull and unpack image "${i}": failed to resolve reference "${i}": ${i}: not found`,
  unauthorized: (i) =>
    `Failed to pull image "${i}": rpc error: code = Unknown desc = failed to pull and unpack image "${i}": failed to resolve reference "${i}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.com/token?scope=repository%3Aacme%2Fapp%3Apull: 401 Unauthorized`,
  network: (i) =>
    `Failed to pull image "${i}": rpc error: code = Unavailable desc = failed to pull and unpack image "${i}": failed to resolve reference "${i}": failed to do request: Head "https://registry.example.com/v2/acme/app/manifests/v9.9.9": dial tcp: lookup registry.example.com on 10.96.0.10:53: no such host`,
};

/** demo/imagepull: the tag does not exist (or the registry says no, or cannot be reached). */
export function imagePull(cause: PullCause = 'not-found', o: { pullSecret?: string } = {}): DiagnosisFacts {
  const name = 'imagepull';
  const image = 'registry.example.com/acme/app:v9.9.9';
  const at = { podName: name, fieldPath: 'spec.containers{app}' };
  return facts(
    pod(name, {
      phase: 'Pending',
      containers: [container('app', image)],
      conditions: readyConditions(false),
      statuses: [waiting('app', image, 'ImagePullBackOff', `Back-off pulling image "${image}"`)],
      ...(o.pullSecret ? { spec: { imagePullSecrets: [{ name: o.pullSecret }] } } : {}),
    }),
    {
      events: [
        event('Normal', 'Pulling', `Pulling image "${image}"`, { ...at, count: 4, ageSeconds: 60 }),
        event('Warning', 'Failed', PULL_ERRORS[cause](image), { ...at, count: 4, ageSeconds: 60 }),
        event('Warning', 'Failed', 'Error: ErrImagePull', { ...at, count: 4, ageSeconds: 60 }),
        event('Normal', 'BackOff', `Back-off pulling image "${image}"`, { ...at, count: 20, ageSeconds: 8 }),
        event('Warning', 'Failed', 'Error: ImagePullBackOff', { ...at, count: 20, ageSeconds: 8 }),
      ],
      logs: [
        {
          container: 'app',
          current: {
            ok: false,
            kind: 'Invalid',
            message: `container "app" in pod "${name}" is waiting to start: trying and failing to pull image`,
          },
        },
      ],
    },
  );
}

/** demo/configerr: env from ConfigMap app-config, which does not exist. */
export function configErr(message = 'configmap "app-config" not found'): DiagnosisFacts {
  const name = 'configerr';
  const image = 'ghcr.io/acme/api:1.4.2';
  return facts(
    pod(name, {
      phase: 'Pending',
      containers: [
        container('app', image, {
          env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'LOG_LEVEL' } } }],
          envFrom: [{ secretRef: { name: 'app-secrets' } }],
        }),
      ],
      conditions: readyConditions(false),
      statuses: [waiting('app', image, 'CreateContainerConfigError', message)],
    }),
    {
      events: [
        event('Normal', 'Pulled', `Container image "${image}" already present on machine`, {
          podName: name,
          count: 9,
          fieldPath: 'spec.containers{app}',
        }),
        event('Warning', 'Failed', `Error: ${message}`, { podName: name, count: 9, fieldPath: 'spec.containers{app}' }),
      ],
    },
  );
}

export const UNSCHEDULABLE_MESSAGE =
  '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

/** demo/pending: asks for 64Gi, no node has it. */
export function pendingUnschedulable(): DiagnosisFacts {
  const name = 'pending';
  return facts(
    pod(name, {
      phase: 'Pending',
      nodeName: null,
      containers: [
        container('app', 'ghcr.io/acme/big:1', { resources: { requests: { memory: '64Gi', cpu: '500m' } } }),
      ],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE_MESSAGE }],
    }),
    {
      events: [
        event('Warning', 'FailedScheduling', UNSCHEDULABLE_MESSAGE, {
          podName: name,
          component: 'default-scheduler',
          count: 7,
        }),
      ],
    },
  );
}

export const MIGRATE_LOG = [
  'running migrations against postgres://db.demo.svc:5432/app',
  'applying 0041_add_orders ... ok',
  'applying 0042_add_users ...',
  'ERROR: relation "users" already exists',
  'migration 0042_add_users failed',
  '',
].join('\n');

/** demo/init-crash: the migrate init container exits 1, the app never starts. */
export function initCrash(): DiagnosisFacts {
  const name = 'init-crash';
  return facts(
    pod(name, {
      phase: 'Pending',
      initContainers: [container('migrate', 'ghcr.io/acme/migrate:2', { command: ['/migrate', 'up'] })],
      containers: [container('app', 'ghcr.io/acme/api:1.4.2')],
      conditions: readyConditions(false, false),
      initStatuses: [
        crashLooping(
          name,
          'migrate',
          'ghcr.io/acme/migrate:2',
          { exitCode: 1, reason: 'Error', ranSeconds: 4 },
          { restarts: 6 },
        ),
      ],
      statuses: [waiting('app', 'ghcr.io/acme/api:1.4.2', 'PodInitializing')],
    }),
    {
      events: [backOffEvent(name, 'migrate', 25, true)],
      logs: [logs('migrate', MIGRATE_LOG, MIGRATE_LOG)],
    },
  );
}

export const SCRATCH_START_ERROR =
  'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown';

/** demo/scratch: a FROM-scratch image whose command is a shell it does not have. */
export function scratchStartError(
  message = SCRATCH_START_ERROR,
  command = ['/bin/sh', '-c', '/server --port 8080'],
): DiagnosisFacts {
  const name = 'scratch';
  const image = 'ghcr.io/acme/static-server:1.0';
  return facts(
    pod(name, {
      containers: [container('app', image, { command })],
      conditions: readyConditions(false),
      statuses: [
        crashLooping(
          name,
          'app',
          image,
          { exitCode: 128, reason: 'StartError', message, ranSeconds: 0 },
          { restarts: 3, backOff: '40s' },
        ),
      ],
    }),
    {
      events: [
        event('Warning', 'Failed', `Error: ${message}`, { podName: name, count: 4, fieldPath: 'spec.containers{app}' }),
        backOffEvent(name, 'app', 10),
      ],
      logs: [logs('app', '', '')],
    },
  );
}

/** demo/multi: web and metrics run fine; worker crashes with exit 1. */
export function multiContainer(): DiagnosisFacts {
  const name = 'multi';
  const workerLog =
    'worker 4.2 starting\nconsuming from queue jobs\nTraceback (most recent call last):\n  File "/app/worker.py", line 88, in <module>\n    main()\n  File "/app/worker.py", line 51, in main\n    raise KeyError("QUEUE_URL")\nKeyError: \'QUEUE_URL\'\n';
  return facts(
    pod(name, {
      initContainers: [container('setup', 'busybox:1.36', { command: ['sh', '-c', 'cp /defaults/* /work/'] })],
      containers: [
        container('web', 'nginx:1.27'),
        container('worker', 'ghcr.io/acme/worker:4.2'),
        container('metrics', 'prom/statsd-exporter:v0.27.1'),
      ],
      conditions: readyConditions(false),
      initStatuses: [
        terminated('setup', 'busybox:1.36', { exitCode: 0, reason: 'Completed', finishedSecondsAgo: 3600 }),
      ],
      statuses: [
        running('web', 'nginx:1.27'),
        crashLooping(
          name,
          'worker',
          'ghcr.io/acme/worker:4.2',
          { exitCode: 1, reason: 'Error', ranSeconds: 1 },
          { restarts: 7 },
        ),
        running('metrics', 'prom/statsd-exporter:v0.27.1'),
      ],
    }),
    {
      events: [...startEvents(name, 'worker', 'ghcr.io/acme/worker:4.2', 8), backOffEvent(name, 'worker', 60)],
      logs: [
        logs('setup', 'copied 3 files\n'),
        logs('web', '10.0.0.1 - - "GET / HTTP/1.1" 200 612\n'),
        logs('worker', workerLog, workerLog),
        logs('metrics', 'level=info msg="Accepting StatsD Traffic"\n'),
      ],
    },
  );
}

/** demo/healthy: one container, running and ready, never restarted. */
export function healthy(): DiagnosisFacts {
  const name = 'healthy';
  const image = 'nginx:1.27';
  return facts(
    pod(name, {
      containers: [container('web', image)],
      conditions: readyConditions(true),
      statuses: [running('web', image)],
    }),
    { events: startEvents(name, 'web', image, 1), logs: [logs('web', 'ready\n')] },
  );
}

export const EVICTION_MESSAGE =
  'The node was low on resource: memory. Threshold quantity: 100Mi, available: 61312Ki. Container app was using 1843Mi, request is 0, has larger consumption of memory.';

/** demo/evicted: the kubelet evicted it under memory pressure. */
export function evicted(): DiagnosisFacts {
  const name = 'evicted';
  const image = 'ghcr.io/acme/api:1.4.2';
  return facts(
    pod(name, {
      phase: 'Failed',
      reason: 'Evicted',
      message: EVICTION_MESSAGE,
      containers: [container('app', image)],
      conditions: [
        { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: EVICTION_MESSAGE },
      ],
      statuses: [
        terminated('app', image, { exitCode: 137, reason: 'Error', ranSeconds: 3000, finishedSecondsAgo: 300 }),
      ],
    }),
    { events: [event('Warning', 'Evicted', EVICTION_MESSAGE, { podName: name, ageSeconds: 300 })] },
  );
}

/** demo/deadline: a Job pod killed when activeDeadlineSeconds (60) ran out. */
export function deadline(): DiagnosisFacts {
  const name = 'report-28123';
  const image = 'ghcr.io/acme/report:1';
  return facts(
    pod(name, {
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
      restartPolicy: 'Never',
      owner: { kind: 'Job', name: 'report' },
      ageSeconds: 600,
      spec: { activeDeadlineSeconds: 60 },
      containers: [container('report', image)],
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodFailed' }],
      statuses: [
        terminated('report', image, { exitCode: 137, reason: 'Error', ranSeconds: 60, finishedSecondsAgo: 540 }),
      ],
    }),
    {
      events: [
        event('Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline', {
          podName: name,
          ageSeconds: 540,
        }),
      ],
      owners: ok([{ kind: 'Job', name: 'report' }]),
    },
  );
}

/** demo/exit0: `echo done` under restartPolicy Always: every clean exit is restarted. */
export function cleanExitAlways(): DiagnosisFacts {
  const name = 'exit0';
  const image = 'busybox:1.36';
  return facts(
    pod(name, {
      containers: [container('app', image, { command: ['sh', '-c', 'echo done'] })],
      conditions: readyConditions(false),
      statuses: [
        crashLooping(name, 'app', image, { exitCode: 0, reason: 'Completed', ranSeconds: 0 }, { restarts: 12 }),
      ],
    }),
    {
      events: [...startEvents(name, 'app', image, 13), backOffEvent(name, 'app', 55)],
      logs: [logs('app', 'done\n', 'done\n')],
    },
  );
}

/** demo/sidecar: the native sidecar log-shipper (init container, restartPolicy Always) crash-loops; web runs. */
export function sidecarCrash(): DiagnosisFacts {
  const name = 'sidecar';
  const shipper = 'fluent/fluent-bit:3.1';
  const log =
    '[error] [output:http:http.0] no upstream connections available to logs.demo.svc:9880\n[engine] caught signal (SIGTERM)\n';
  return facts(
    pod(name, {
      initContainers: [container('log-shipper', shipper, { restartPolicy: 'Always' })],
      containers: [container('web', 'nginx:1.27')],
      conditions: readyConditions(true),
      initStatuses: [
        crashLooping(name, 'log-shipper', shipper, { exitCode: 1, reason: 'Error', ranSeconds: 5 }, { restarts: 9 }),
      ],
      statuses: [running('web', 'nginx:1.27')],
    }),
    {
      events: [backOffEvent(name, 'log-shipper', 40, true)],
      logs: [logs('log-shipper', log, log), logs('web', 'ready\n')],
    },
  );
}

/** Every scenario by name: the e2e simulator's default scenario uses the same names. */
export const SCENARIOS = {
  'crash-exit1': crashExit1,
  oom: oomKilled,
  liveness,
  imagepull: () => imagePull(),
  configerr: () => configErr(),
  pending: pendingUnschedulable,
  'init-crash': initCrash,
  scratch: () => scratchStartError(),
  multi: multiContainer,
  healthy,
  evicted,
  deadline,
  exit0: cleanExitAlways,
  sidecar: sidecarCrash,
} satisfies Record<string, () => DiagnosisFacts>;
