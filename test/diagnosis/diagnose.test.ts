import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/index.js';
import { NOW, SCENARIOS } from './fixtures.js';

type Scenario = keyof typeof SCENARIOS;

const expectations: {
  scenario: Scenario;
  verdict: string;
  kind: string;
  action: string;
  summary: RegExp;
  evidence: RegExp[];
}[] = [
  {
    scenario: 'crash-exit1',
    verdict: 'demo/crash-exit1 — CrashLoopBackOff, exit 1 (23 restarts)',
    kind: 'ApplicationError',
    action: 'clone',
    summary: /app crashes with exit 1 after 2s: Error: connect ECONNREFUSED 10\.96\.0\.15:5432/,
    evidence: [
      /^Error: connect ECONNREFUSED/,
      /^ {4}at TCPConnectWrap\.afterConnect/,
      /23 restarts, next retry in up to 5m/,
    ],
  },
  {
    scenario: 'oom',
    verdict: 'demo/oom — CrashLoopBackOff, OOMKilled exit 137 (5 restarts)',
    kind: 'OOMKilled',
    action: 'clone',
    summary: /app was OOMKilled after 12s \(limit 64Mi\)/,
    evidence: [/memory limit: 64Mi, request: 32Mi/, /terminated: OOMKilled, exit 137 .* ran 12s/],
  },
  {
    scenario: 'liveness',
    verdict: 'demo/liveness — CrashLoopBackOff, exit 137, failing liveness probe (4 restarts)',
    kind: 'ProbeFailure',
    action: 'clone-without-probes',
    summary:
      /killed by its failing liveness probe \(GET :8080\/healthz: HTTP probe failed with statuscode: 500, 12 failures, 4 restarts\)/,
    evidence: [
      /Liveness probe failed: HTTP probe failed with statuscode: 500 \(×12\)/,
      /http-get http:\/\/:8080\/healthz/,
    ],
  },
  {
    scenario: 'imagepull',
    verdict:
      'demo/imagepull — ImagePullBackOff, cannot pull image registry.example.com/acme/app:v9.9.9 for app: the image or tag was not found',
    kind: 'ImagePull',
    action: 'none',
    summary: /not found/,
    evidence: [
      /^image: registry\.example\.com\/acme\/app:v9\.9\.9$/,
      /tag: v9\.9\.9/,
      /^imagePullSecrets: none$/,
      /v9\.9\.9: not found \(×4\)$/,
    ],
  },
  {
    scenario: 'configerr',
    verdict: 'demo/configerr — CreateContainerConfigError, app cannot start: ConfigMap "app-config" not found in demo',
    kind: 'MissingConfig',
    action: 'none',
    summary: /ConfigMap "app-config" not found/,
    evidence: [/configmap "app-config" not found/, /env LOG_LEVEL ← app-config\[LOG_LEVEL\]/],
  },
  {
    scenario: 'pending',
    verdict: 'demo/pending — Pending, not scheduled: 0/3 nodes are available: 3 Insufficient memory.',
    kind: 'Unschedulable',
    action: 'none',
    summary: /Insufficient memory/,
    evidence: [/PodScheduled=False \(Unschedulable\)/, /app requests memory=64Gi, cpu=500m/],
  },
  {
    scenario: 'init-crash',
    verdict: 'demo/init-crash — Init:CrashLoopBackOff, exit 1 in init container migrate (6 restarts)',
    kind: 'InitContainerFailure',
    action: 'clone',
    summary:
      /^init container migrate fails with exit 1 after 4s, so the app containers never start: ERROR: relation "users" already exists$/,
    evidence: [
      /ERROR: relation "users" already exists/,
      /migration 0042_add_users failed/,
      /command: \["\/migrate","up"\]/,
    ],
  },
  {
    scenario: 'scratch',
    verdict: 'demo/scratch — CrashLoopBackOff, StartError exit 128, no shell in the image (3 restarts)',
    kind: 'CommandNotFound',
    action: 'clone-with-busybox',
    summary: /app has no shell: \/bin\/sh is not in the image/,
    evidence: [/stat \/bin\/sh: no such file or directory/, /command: \["\/bin\/sh","-c","\/server --port 8080"\]/],
  },
  {
    scenario: 'multi',
    verdict: 'demo/multi — CrashLoopBackOff, exit 1 in worker (7 restarts)',
    kind: 'ApplicationError',
    action: 'clone',
    summary: /worker crashes with exit 1 after 1s: KeyError: 'QUEUE_URL'/,
    evidence: [/^Traceback/, /^ {2}File "\/app\/worker\.py", line 88/, /^KeyError: 'QUEUE_URL'$/],
  },
  {
    scenario: 'healthy',
    verdict: 'demo/healthy — Running, healthy',
    kind: 'Healthy',
    action: 'none',
    summary: /running and ready/,
    evidence: [/web: running, ready, 0 restarts/],
  },
  {
    scenario: 'evicted',
    verdict: 'demo/evicted — Evicted, evicted from node node-a: the node was low on memory',
    kind: 'Evicted',
    action: 'node-shell',
    summary: /low on memory/,
    evidence: [/Threshold quantity: 100Mi/, /^node: node-a$/],
  },
  {
    scenario: 'deadline',
    verdict: 'demo/report-28123 — DeadlineExceeded, killed after its activeDeadlineSeconds (60s) ran out',
    kind: 'DeadlineExceeded',
    action: 'none',
    summary: /activeDeadlineSeconds/,
    evidence: [/^activeDeadlineSeconds: 60$/, /owned by Job report/],
  },
  {
    scenario: 'exit0',
    verdict: 'demo/exit0 — CrashLoopBackOff, exit 0 (12 restarts)',
    kind: 'CleanExitUnderAlways',
    action: 'clone',
    summary: /app exits 0 .* restartPolicy Always restarts it \(12 restarts\)/,
    evidence: [/command: \["sh","-c","echo done"\]/, /^done$/],
  },
  {
    scenario: 'sidecar',
    verdict: 'demo/sidecar — Init:CrashLoopBackOff, exit 1 in sidecar container log-shipper (9 restarts)',
    kind: 'ApplicationError',
    action: 'clone',
    summary: /sidecar container log-shipper crashes with exit 1/,
    evidence: [/no upstream connections available/],
  },
];

describe('diagnose, pod by pod', () => {
  it.each(expectations)('$scenario reads "$verdict"', ({ scenario, verdict }) => {
    expect(diagnose(SCENARIOS[scenario]()).verdict).toBe(verdict);
  });

  it.each(expectations)(
    '$scenario puts $kind first and recommends $action',
    ({ scenario, kind, action, summary, evidence }) => {
      const top = diagnose(SCENARIOS[scenario]()).findings[0];
      expect(top?.kind).toBe(kind);
      expect(top?.action).toBe(action);
      expect(top?.summary).toMatch(summary);
      for (const e of evidence)
        expect(
          top?.evidence.some((line) => e.test(line)),
          `evidence ${e}`,
        ).toBe(true);
      expect(top?.recommendation.length).toBeGreaterThan(20);
    },
  );

  it.each(Object.keys(SCENARIOS) as Scenario[])('%s reports no missing evidence when every read worked', (scenario) => {
    expect(diagnose(SCENARIOS[scenario]()).missing).toEqual([]);
  });

  it('reports one healthy finding, and nothing else, for a healthy pod', () => {
    expect(diagnose(SCENARIOS.healthy()).findings.map((f) => f.kind)).toEqual(['Healthy']);
  });

  it('does not blame the containers the kubelet killed when it evicted the pod', () => {
    expect(diagnose(SCENARIOS.evicted()).findings.map((f) => f.kind)).toEqual(['Evicted']);
    expect(diagnose(SCENARIOS.deadline()).findings.map((f) => f.kind)).toEqual(['DeadlineExceeded']);
  });

  it('gives only the crashing container of a multi-container pod a finding', () => {
    const d = diagnose(SCENARIOS.multi());
    expect(d.findings.map((f) => f.container)).toEqual(['worker']);
    expect(d.containers.filter((c) => c.failing).map((c) => c.name)).toEqual(['worker']);
  });

  it('describes every container in spec order: init, sidecar, app', () => {
    expect(diagnose(SCENARIOS.multi()).containers.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'init:setup',
      'app:web',
      'app:worker',
      'app:metrics',
    ]);
    expect(diagnose(SCENARIOS.sidecar()).containers.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'sidecar:log-shipper',
      'app:web',
    ]);
  });

  it('tells the state, last termination, restarts and back-off of a crash-looping container', () => {
    const [app] = diagnose(SCENARIOS['crash-exit1']()).containers;
    expect(app).toMatchObject({
      name: 'app',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      restartCount: 23,
      backOffSeconds: 300,
      failing: true,
      ready: false,
      lastTermination: {
        exitCode: 1,
        reason: 'Error',
        ranSeconds: 2,
        finishedAt: '2026-11-23T09:59:30.000Z',
        startedAt: '2026-11-23T09:59:28.000Z',
        explanation: { code: 1 },
      },
    });
  });

  it('keeps the pod facts a person asks first: node, owners, age, restarts', () => {
    const d = diagnose(SCENARIOS['crash-exit1']());
    expect(d.pod).toMatchObject({
      name: 'crash-exit1',
      namespace: 'demo',
      phase: 'Running',
      status: 'CrashLoopBackOff',
      node: 'node-a',
      ageSeconds: 7200,
      restarts: 23,
      restartPolicy: 'Always',
      owners: [
        { kind: 'ReplicaSet', name: 'crash-exit1-7d9f8b6c4d' },
        { kind: 'Deployment', name: 'crash-exit1' },
      ],
    });
  });

  it('gives the same diagnosis from facts that went through JSON (timestamps as strings)', () => {
    for (const make of Object.values(SCENARIOS)) {
      const f = make();
      const roundTripped = { ...JSON.parse(JSON.stringify(f)), now: NOW };
      expect(diagnose(roundTripped)).toEqual(diagnose(f));
    }
  });

  it('returns the logs it was given for the thread', () => {
    const f = SCENARIOS.multi();
    expect(diagnose(f).logs).toEqual(f.logs);
  });
});
