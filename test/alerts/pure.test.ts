import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompactPod,
  classifyPod,
  formatDuration,
  renderAlertContext,
  renderAlertSummary,
  routeAlert,
  type WorkloadAlert,
  workloadOf,
} from '../../src/alerts/index.js';
import { backoffDelay, compactPod } from '../../src/kube/watch-pods.js';

const pod = (
  over: Partial<CompactPod> = {},
  container: Partial<CompactPod['containers'][number]> = {},
): CompactPod => ({
  namespace: 'demo',
  name: 'web-7d4b9c-x1',
  uid: 'u1',
  labels: {},
  ready: false,
  deleting: false,
  containers: [{ name: 'app', restartCount: 0, ready: false, ...container }],
  ...over,
});

const opts = { reasons: ['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff'], restartThreshold: 3 };

describe('classifyPod', () => {
  it.each([
    {
      name: 'crash-looping at the threshold',
      c: { waitingReason: 'CrashLoopBackOff', restartCount: 3 },
      want: 'CrashLoopBackOff',
    },
    {
      name: 'crash-looping below the threshold',
      c: { waitingReason: 'CrashLoopBackOff', restartCount: 2 },
      want: undefined,
    },
    {
      name: 'image pull back-off with no restarts',
      c: { waitingReason: 'ImagePullBackOff' },
      want: 'ImagePullBackOff',
    },
    { name: 'a reason not configured', c: { waitingReason: 'CreateContainerConfigError' }, want: undefined },
    { name: 'OOM-killed and not ready', c: { terminatedReason: 'OOMKilled', restartCount: 4 }, want: 'OOMKilled' },
    {
      name: 'OOM-killed once but running and ready',
      c: { terminatedReason: 'OOMKilled', restartCount: 4, ready: true },
      want: undefined,
    },
    { name: 'running', c: { restartCount: 0, ready: true }, want: undefined },
  ])('$name → $want', ({ c, want }) => {
    const v = classifyPod(pod({}, c), opts);
    expect(v.failing ? v.reason : undefined).toBe(want);
  });

  const reasonArb = fc.constantFrom(
    undefined,
    'CrashLoopBackOff',
    'OOMKilled',
    'ImagePullBackOff',
    'Error',
    'Completed',
    'ContainerCreating',
  );
  const containerArb = fc.record({
    name: fc.constantFrom('app', 'sidecar', 'init'),
    waitingReason: reasonArb,
    terminatedReason: reasonArb,
    restartCount: fc.nat(20),
    ready: fc.boolean(),
  });

  it('only ever reports a configured reason, and a pod whose containers all run Ready is never failing', () => {
    fc.assert(
      fc.property(fc.array(containerArb, { minLength: 1, maxLength: 4 }), fc.boolean(), (raw, podReady) => {
        const containers = raw.map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));
        const p = pod({ ready: podReady, containers: containers as unknown as CompactPod['containers'] });
        const v = classifyPod(p, opts);
        if (v.failing) expect(opts.reasons).toContain(v.reason);
        const healthy = raw.every((c) => c.ready && c.waitingReason === undefined);
        if (healthy) expect(v.failing).toBe(false);
      }),
    );
  });

  it('a pod being deleted is not failing', () => {
    expect(
      classifyPod(pod({ deleting: true }, { waitingReason: 'CrashLoopBackOff', restartCount: 9 }), opts).failing,
    ).toBe(false);
  });

  it('a crash-looping init container makes the pod fail', () => {
    const p = pod({
      containers: [{ name: 'migrate', init: true, waitingReason: 'CrashLoopBackOff', restartCount: 5, ready: false }],
    });
    expect(classifyPod(p, opts)).toMatchObject({ failing: true, container: 'migrate' });
  });

  it('a succeeded pod (finished Job) counts as ready', () => {
    expect(classifyPod(pod({ phase: 'Succeeded' }), opts)).toEqual({ failing: false, ready: true });
  });
});

describe('workloadOf', () => {
  it.each([
    {
      name: 'ReplicaSet with the pod-template-hash suffix',
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c' },
      labels: { 'pod-template-hash': '7d4b9c' },
      want: 'Deployment web',
    },
    {
      name: 'ReplicaSet whose name does not end in the hash',
      owner: { kind: 'ReplicaSet', name: 'web-manual' },
      labels: { 'pod-template-hash': '7d4b9c' },
      want: 'ReplicaSet web-manual',
    },
    {
      name: 'ReplicaSet without the label',
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c' },
      labels: {},
      want: 'ReplicaSet web-7d4b9c',
    },
    { name: 'StatefulSet', owner: { kind: 'StatefulSet', name: 'db' }, labels: {}, want: 'StatefulSet db' },
    { name: 'DaemonSet', owner: { kind: 'DaemonSet', name: 'agent' }, labels: {}, want: 'DaemonSet agent' },
    {
      name: 'Job of a CronJob',
      owner: { kind: 'Job', name: 'nightly-report-28934567' },
      labels: {},
      want: 'CronJob nightly-report',
    },
    { name: 'a hand-made Job', owner: { kind: 'Job', name: 'migrate-2' }, labels: {}, want: 'Job migrate-2' },
    { name: 'a bare pod', owner: undefined, labels: {}, want: 'Pod web-7d4b9c-x1' },
  ])('$name → $want', ({ owner, labels, want }) => {
    const w = workloadOf(pod({ labels: labels as Record<string, string>, ...(owner ? { owner } : {}) }));
    expect(`${w.kind} ${w.name}`).toBe(want);
    expect(w.namespace).toBe('demo');
  });

  it('every pod of a Deployment maps to the Deployment whatever the hash', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/),
        fc.stringMatching(/^[b-df-hj-np-tv-z2-9]{6,10}$/),
        (name, hash) => {
          const w = workloadOf(
            pod({ owner: { kind: 'ReplicaSet', name: `${name}-${hash}` }, labels: { 'pod-template-hash': hash } }),
          );
          expect(w).toEqual({ namespace: 'demo', kind: 'Deployment', name });
        },
      ),
    );
  });
});

describe('routeAlert', () => {
  const routing = {
    channel: 'C0DEFAULT',
    routes: [
      { namespaces: ['prod-*'], channel: 'C0PROD000' },
      { namespaces: ['prod-payments', 'billing'], channel: 'C0PAY0000' },
    ],
  };
  it.each([
    { ns: 'prod-web', want: 'C0PROD000' },
    { ns: 'prod-payments', want: 'C0PROD000' }, // first match wins
    { ns: 'billing', want: 'C0PAY0000' },
    { ns: 'staging', want: 'C0DEFAULT' },
  ])('namespace $ns goes to $want', ({ ns, want }) => {
    expect(routeAlert(ns, routing)).toBe(want);
  });
  it('without a default channel an unrouted namespace has nowhere to go', () => {
    expect(routeAlert('staging', { routes: routing.routes })).toBeUndefined();
  });
});

describe('renderAlertContext', () => {
  const alert: WorkloadAlert = {
    workload: { namespace: 'demo', kind: 'Deployment', name: 'web' },
    channel: 'C1',
    pod: 'web-7d4b9c-x1',
    reason: 'CrashLoopBackOff',
    failingPods: ['web-7d4b9c-x1', 'web-7d4b9c-x2', 'web-7d4b9c-x3'],
    failingCount: 3,
    since: '2026-11-23T09:12:00Z',
  };
  const text = (blocks: { text?: { text: string }; elements?: { text: string }[] }[]) =>
    blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ')).join('\n');

  it('says which workload is crash-looping, how many pods and since when', () => {
    const t = text(renderAlertContext(alert, new Date('2026-11-23T09:24:00Z')));
    expect(t).toContain(':rotating_light:');
    expect(t).toContain('Deployment `demo/web`* is crash-looping — 3 pods failing since 09:12 UTC (12 min)');
    expect(t).toContain('`web-7d4b9c-x2`');
  });

  it('says how long the workload was down once it recovered', () => {
    const t = text(
      renderAlertContext({ ...alert, recoveredAt: '2026-11-23T09:26:00Z' }, new Date('2026-11-23T10:00:00Z')),
    );
    expect(t).toContain('recovered after 14 min');
    expect(t).toContain(':white_check_mark:');
  });

  it('escapes names so a pod name cannot inject Slack markup', () => {
    const t = text(renderAlertContext({ ...alert, pod: '<!channel>', failingPods: ['<!here>'] }, new Date()));
    expect(t).not.toMatch(/<!/);
  });

  it.each([
    { ms: 0, want: '0 min' },
    { ms: 14 * 60_000, want: '14 min' },
    { ms: 125 * 60_000, want: '2 h 5 min' },
    { ms: 76 * 3_600_000, want: '3 d 4 h' },
  ])('$ms ms reads as $want', ({ ms, want }) => {
    expect(formatDuration(ms)).toBe(want);
  });
});

describe('renderAlertSummary', () => {
  const entry = (i: number) => ({
    workload: { namespace: `ns-${i}`, kind: 'Deployment', name: `app-${i}` },
    reason: 'CrashLoopBackOff',
    failingCount: 50,
  });
  it('lists each workload with its reason and pod count', () => {
    const m = renderAlertSummary([entry(1), entry(2)]);
    expect(m.text).toBe('2 more workloads are failing');
    expect(m.blocks[1].text.text).toContain('Deployment `ns-1/app-1`: CrashLoopBackOff, 50 pods');
  });
  it('stays within a section block for any number of workloads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (n) => {
        const m = renderAlertSummary(Array.from({ length: n }, (_, i) => entry(i)));
        for (const b of m.blocks) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      }),
      { numRuns: 30 },
    );
  });
});

describe('compactPod', () => {
  it('keeps only what alerting needs from a whole pod', () => {
    const raw = {
      metadata: {
        name: 'web-7d4b9c-x1',
        namespace: 'demo',
        uid: 'u1',
        labels: { app: 'web', 'pod-template-hash': '7d4b9c', 'debugdead.io/managed': 'true' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', controller: true }],
        managedFields: [{ manager: 'kubelet' }],
      },
      spec: { containers: [{ name: 'app', image: 'web:1' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: {
                reason: 'OOMKilled',
                exitCode: 137,
                startedAt: '2026-12-07T09:00:00Z',
                finishedAt: '2026-12-07T09:00:04Z',
              },
            },
          },
        ],
        startTime: '2026-12-07T08:00:00Z',
      },
    };
    expect(compactPod(raw, ['pod-template-hash', 'debugdead.io/managed'])).toEqual({
      namespace: 'demo',
      name: 'web-7d4b9c-x1',
      uid: 'u1',
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c' },
      labels: { 'pod-template-hash': '7d4b9c', 'debugdead.io/managed': 'true' },
      phase: 'Running',
      ready: false,
      deleting: false,
      containers: [
        {
          name: 'app',
          restartCount: 5,
          ready: false,
          waitingReason: 'CrashLoopBackOff',
          terminatedReason: 'OOMKilled',
          // When it failed, for "failing since".
          lastTerminated: {
            exitCode: 137,
            startedAt: '2026-12-07T09:00:00.000Z',
            finishedAt: '2026-12-07T09:00:04.000Z',
          },
        },
      ],
      startedAt: '2026-12-07T08:00:00.000Z',
    });
  });
});

describe('watch back-off', () => {
  it.each([
    { failures: 1, want: 1000 },
    { failures: 2, want: 2000 },
    { failures: 5, want: 16000 },
    { failures: 9, want: 30000 },
  ])('failure $failures waits $want ms', ({ failures, want }) => {
    expect(backoffDelay(failures, 1000, 30_000)).toBe(want);
  });
});
