import type {
  ContainerDiagnosis,
  ContainerLogFacts,
  Diagnosis,
  EventSummary,
  Finding,
  TerminationFacts,
} from '../../src/diagnosis/types.js';

// Hand-built diagnoses, shaped like what diagnose() returns for the simulator's scenario pods.

export function exit(code: number, meaning: string, extra: Partial<TerminationFacts> = {}): TerminationFacts {
  return {
    exitCode: code,
    reason: code === 137 ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error',
    startedAt: '2026-11-23T09:00:00Z',
    finishedAt: '2026-11-23T09:00:03Z',
    ranSeconds: 3,
    explanation: { code, meaning },
    ...extra,
  };
}

export function container(over: Partial<ContainerDiagnosis> & { name: string }): ContainerDiagnosis {
  return {
    kind: 'app',
    image: 'registry.example.com/shop/web:1.4.2',
    state: 'running',
    ready: true,
    restartCount: 0,
    failing: false,
    ...over,
  };
}

export const crashingApp = container({
  name: 'app',
  state: 'waiting',
  reason: 'CrashLoopBackOff',
  message: 'back-off 5m0s restarting failed container=app pod=web-1_demo(6c3e0f2a)',
  ready: false,
  restartCount: 23,
  lastTermination: exit(1, 'the application exited with an error'),
  backOffSeconds: 300,
  failing: true,
});

const appError: Finding = {
  kind: 'ApplicationError',
  severity: 'critical',
  container: 'app',
  summary: 'app exits with code 1 three seconds after start: "Error: connect ECONNREFUSED 10.0.0.12:5432"',
  evidence: [
    'Error: connect ECONNREFUSED 10.0.0.12:5432',
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
  ],
  recommendation:
    'Check that the database at 10.0.0.12:5432 is up and reachable from demo; a debug clone lets you test the connection.',
  action: 'clone',
};

const crashEvents: EventSummary[] = [
  {
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned demo/web-1 to node-1',
    count: 1,
    ageSeconds: 5400,
  },
  {
    type: 'Normal',
    reason: 'Pulled',
    message: 'Container image "registry.example.com/shop/web:1.4.2" already present on machine',
    count: 24,
    ageSeconds: 60,
  },
  {
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod web-1_demo(6c3e0f2a)',
    count: 410,
    ageSeconds: 12,
    source: 'kubelet',
  },
];

const crashLogs: ContainerLogFacts[] = [
  {
    container: 'app',
    current: { ok: true, value: 'listening on :8080\nError: connect ECONNREFUSED 10.0.0.12:5432\n' },
    previous: { ok: true, value: 'listening on :8080\nError: connect ECONNREFUSED 10.0.0.12:5432\n' },
  },
];

/** demo/web-1: a Deployment's pod crash-looping with exit 1, 23 restarts. */
export const crashLoop: Diagnosis = {
  pod: {
    name: 'web-1',
    namespace: 'demo',
    uid: '6c3e0f2a-8a4b-4c3b-9f7e-2d1a0b9c8d7e',
    phase: 'Running',
    status: 'CrashLoopBackOff',
    node: 'node-1',
    owners: [
      { kind: 'ReplicaSet', name: 'web-7d9f8b6c5d' },
      { kind: 'Deployment', name: 'web' },
    ],
    createdAt: '2026-11-23T07:30:00Z',
    ageSeconds: 5400,
    restartPolicy: 'Always',
    restarts: 23,
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [app]',
      },
    ],
  },
  verdict: 'demo/web-1 — CrashLoopBackOff, exit 1 (23 restarts)',
  containers: [crashingApp],
  findings: [appError],
  events: crashEvents,
  logs: crashLogs,
  missing: [],
};

/** demo/oom-1: killed by the OOM killer. */
export const oomKilled: Diagnosis = {
  ...crashLoop,
  pod: { ...crashLoop.pod, name: 'oom-1', restarts: 5 },
  verdict: 'demo/oom-1 — CrashLoopBackOff, OOMKilled (5 restarts)',
  containers: [
    container({
      name: 'app',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      ready: false,
      restartCount: 5,
      lastTermination: exit(137, 'killed by SIGKILL (often the OOM killer)', { signal: 9, ranSeconds: 12 }),
      failing: true,
    }),
  ],
  findings: [
    {
      kind: 'OOMKilled',
      severity: 'critical',
      container: 'app',
      summary: 'app was OOMKilled 12s after start (limit 64Mi)',
      evidence: ['lastState.terminated.reason: OOMKilled', 'resources.limits.memory: 64Mi'],
      recommendation: 'Raise the memory limit above 64Mi or find what allocates so much at start-up.',
      action: 'clone',
    },
  ],
};

/** demo/multi-1: an init container that passed, a sidecar, and three crashing app containers. */
export const multiFailing: Diagnosis = {
  ...crashLoop,
  pod: { ...crashLoop.pod, name: 'multi-1', restarts: 31 },
  verdict: 'demo/multi-1 — CrashLoopBackOff, exit 2 (31 restarts)',
  containers: [
    container({
      name: 'migrate',
      kind: 'init',
      state: 'terminated',
      reason: 'Completed',
      terminated: exit(0, 'success'),
    }),
    container({
      name: 'worker',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      ready: false,
      restartCount: 10,
      lastTermination: exit(1, 'error'),
      failing: true,
    }),
    container({
      name: 'api',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      ready: false,
      restartCount: 11,
      lastTermination: exit(2, 'misuse of a shell builtin'),
      failing: true,
    }),
    container({ name: 'envoy', kind: 'sidecar', image: 'envoyproxy/envoy:v1.31' }),
    container({
      name: 'cron',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      ready: false,
      restartCount: 10,
      lastTermination: exit(127, 'command not found'),
      failing: true,
    }),
    container({
      name: 'reporter',
      state: 'terminated',
      reason: 'Error',
      terminated: exit(1, 'error'),
      ready: false,
      failing: true,
    }),
  ],
  findings: [{ ...appError, container: 'api', summary: 'api exits with code 2' }],
  logs: [
    { container: 'worker', current: { ok: true, value: 'worker boom' } },
    { container: 'api', current: { ok: true, value: 'api boom' }, previous: { ok: true, value: 'api boom before' } },
  ],
};

/** demo/pending-1: unschedulable, so no node, no logs and nothing failing yet. */
export const unschedulable: Diagnosis = {
  pod: {
    name: 'pending-1',
    namespace: 'demo',
    phase: 'Pending',
    status: 'Pending',
    owners: [],
    ageSeconds: 300,
    restartPolicy: 'Always',
    restarts: 0,
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient cpu.',
      },
    ],
  },
  verdict: 'demo/pending-1 — Pending, unschedulable',
  containers: [
    container({ name: 'setup', kind: 'init', state: 'waiting', reason: 'PodInitializing', ready: false }),
    container({ name: 'app', state: 'waiting', reason: 'ContainerCreating', ready: false }),
  ],
  findings: [
    {
      kind: 'Unschedulable',
      severity: 'critical',
      summary: 'No node can run the pod: 0/3 nodes are available: 3 Insufficient cpu.',
      evidence: ['FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu.'],
      recommendation: 'Lower the CPU request or add capacity.',
      action: 'none',
    },
  ],
  events: [],
  logs: [],
  missing: [],
};

/** demo/partial-1: events forbidden and the previous log timed out. */
export const partialEvidence: Diagnosis = {
  ...crashLoop,
  pod: { ...crashLoop.pod, name: 'partial-1' },
  verdict: 'demo/partial-1 — CrashLoopBackOff, exit 1 (23 restarts)',
  events: [],
  logs: [
    {
      container: 'app',
      current: { ok: true, value: 'starting\nfatal: config missing' },
      previous: { ok: false, kind: 'Timeout', message: 'GET pods/log timed out after 10s' },
    },
  ],
  missing: [
    {
      what: 'events',
      kind: 'Forbidden',
      message:
        'events is forbidden: User "system:serviceaccount:debugdead:bot" cannot list resource "events" in API group "" in the namespace "demo"',
    },
    { what: 'logs of app (previous)', kind: 'Timeout', message: 'GET pods/log timed out after 10s' },
  ],
};

/** A long log: 500 numbered lines. */
export function longLog(lines = 500): string {
  return Array.from(
    { length: lines },
    (_, i) => `2026-11-23T09:00:${String(i % 60).padStart(2, '0')}Z line ${i + 1} of the log`,
  ).join('\n');
}

/** A copy of `d` whose app container logs are replaced. */
export function withLogs(d: Diagnosis, current: string, previous?: string): Diagnosis {
  const logs: ContainerLogFacts = { container: d.containers[0]?.name ?? 'app', current: { ok: true, value: current } };
  if (previous !== undefined) logs.previous = { ok: true, value: previous };
  return { ...d, logs: [logs] };
}
