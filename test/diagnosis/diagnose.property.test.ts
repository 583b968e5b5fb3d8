import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiagnosisFacts } from '../../src/diagnosis/index.js';
import { diagnose, formatDiagnosisText, toDiagnosisJson } from '../../src/diagnosis/index.js';
import type { ContainerStatus, Pod } from '../../src/kube/types.js';
import { NOW } from './fixtures.js';

const reason = fc.oneof(
  fc.constantFrom(
    'CrashLoopBackOff',
    'ErrImagePull',
    'ImagePullBackOff',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CreateContainerError',
    'RunContainerError',
    'ContainerCreating',
    'PodInitializing',
    'Error',
    'Completed',
    'OOMKilled',
    'StartError',
    'ContainerCannotRun',
    'ContainerStatusUnknown',
    '',
  ),
  fc.string(),
);
const message = fc.oneof(
  fc.constantFrom(
    'back-off 5m0s restarting failed container=app pod=p_demo(u)',
    'configmap "x" not found',
    "couldn't find key k in Secret demo/s",
    'exec: "sh": executable file not found in $PATH',
    'OCI runtime create failed: exec: "/x": permission denied',
    'rpc error: code = NotFound desc = manifest unknown',
    'Liveness probe failed: HTTP probe failed with statuscode: 500',
    'Container app failed liveness probe, will be restarted',
    'Readiness probe failed: connection refused',
  ),
  fc.string(),
  fc.constant(undefined),
);
const time = fc.oneof(
  fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
  fc.constant(undefined),
  fc.string(),
);
const terminatedState = fc.record(
  {
    exitCode: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constantFrom(0, 1, 2, 126, 127, 128, 137, 139, 143)),
    reason,
    message,
    signal: fc.integer({ min: 0, max: 70 }),
    startedAt: time,
    finishedAt: time,
  },
  { requiredKeys: ['exitCode'] },
);
const state = fc.oneof(
  fc.record({ waiting: fc.record({ reason, message }, { requiredKeys: [] }) }),
  fc.record({ running: fc.record({ startedAt: time }, { requiredKeys: [] }) }),
  fc.record({ terminated: terminatedState }),
  fc.constant({}),
  fc.constant(undefined),
);
const names = fc.constantFrom('app', 'init', 'side', 'web', 'worker');
const status = (name: fc.Arbitrary<string>) =>
  fc.record(
    {
      name,
      image: fc.constantFrom('nginx:1', 'ghcr.io/a/b@sha256:0', ''),
      imageID: fc.constant(''),
      ready: fc.boolean(),
      started: fc.boolean(),
      restartCount: fc.oneof(fc.nat(1000), fc.integer({ min: -3, max: 0 })),
      state,
      lastState: fc.oneof(fc.record({ terminated: terminatedState }), fc.constant(undefined)),
    },
    { requiredKeys: ['name', 'image', 'imageID', 'ready', 'restartCount'] },
  ) as fc.Arbitrary<ContainerStatus>;

const podArb: fc.Arbitrary<Pod> = fc
  .record({
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown', undefined),
    podReason: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('Evicted', 'DeadlineExceeded', 'NodeLost') },
    ),
    restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never', undefined),
    initNames: fc.uniqueArray(fc.constantFrom('init', 'side'), { maxLength: 2 }),
    appNames: fc.uniqueArray(fc.constantFrom('app', 'web', 'worker'), { maxLength: 3 }),
    initStatuses: fc.array(status(names), { maxLength: 3 }),
    statuses: fc.array(status(names), { maxLength: 4 }),
    deleting: fc.boolean(),
    nodeName: fc.constantFrom('node-a', undefined),
    conditions: fc.array(
      fc.record({
        type: fc.constantFrom('PodScheduled', 'Initialized', 'Ready', 'ContainersReady'),
        status: fc.constantFrom('True', 'False', 'Unknown'),
        reason: fc.constantFrom('Unschedulable', 'SchedulingGated', 'ContainersNotReady', undefined),
        message: message,
      }),
      { maxLength: 4 },
    ),
  })
  .map((o) => ({
    metadata: {
      name: 'p',
      namespace: 'demo',
      ...(o.deleting ? { deletionTimestamp: NOW } : {}),
    },
    spec: {
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      initContainers: o.initNames.map((name) => ({
        name,
        image: 'busybox',
        ...(name === 'side' ? { restartPolicy: 'Always' } : {}),
      })),
      containers: o.appNames.map((name) => ({ name, image: 'nginx' })),
    },
    status: {
      ...(o.phase ? { phase: o.phase } : {}),
      ...(o.podReason ? { reason: o.podReason } : {}),
      conditions: o.conditions,
      initContainerStatuses: o.initStatuses,
      containerStatuses: o.statuses,
    },
  })) as fc.Arbitrary<Pod>;

const factsArb: fc.Arbitrary<DiagnosisFacts> = fc.record({
  pod: podArb,
  events: fc.oneof(
    fc.record({
      ok: fc.constant(true as const),
      value: fc.array(
        fc.record({
          metadata: fc.constant({}),
          involvedObject: fc.record({
            fieldPath: fc.constantFrom('spec.containers{app}', 'spec.initContainers{init}', undefined),
          }),
          type: fc.constantFrom('Normal', 'Warning', undefined),
          reason: fc.constantFrom(
            'Unhealthy',
            'Killing',
            'Failed',
            'BackOff',
            'FailedScheduling',
            'FailedMount',
            'Evicted',
          ),
          message,
          count: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.constant(undefined)),
          lastTimestamp: time,
        }),
        { maxLength: 6 },
      ),
    }),
    fc.constant({ ok: false as const, kind: 'Forbidden' as const, message: 'no' }),
  ),
  logs: fc.array(
    fc.record({
      container: names,
      current: fc.oneof(fc.record({ ok: fc.constant(true as const), value: fc.string() }), fc.constant(undefined)),
      previous: fc.oneof(
        fc.record({ ok: fc.constant(true as const), value: fc.string() }),
        fc.constant({ ok: false as const, kind: 'Invalid' as const, message: 'bad' }),
        fc.constant(undefined),
      ),
    }),
    { maxLength: 3 },
  ),
  owners: fc.constant({ ok: true as const, value: [] }),
  now: fc.constant(NOW),
}) as fc.Arbitrary<DiagnosisFacts>;

describe('diagnose on arbitrary pods', () => {
  it('never throws, always yields a finding, and its verdict is one line', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const d = diagnose(facts);
        expect(d.findings.length).toBeGreaterThan(0);
        expect(d.verdict).not.toMatch(/[\r\n]/);
        expect(d.verdict.length).toBeLessThanOrEqual(300);
        expect(d.verdict.startsWith('demo/p — ')).toBe(true);
        for (const f of d.findings) {
          expect(f.summary.length).toBeGreaterThan(0);
          expect(f.recommendation.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('sorts findings most severe first', () => {
    const rank = { critical: 0, warning: 1, info: 2 };
    fc.assert(
      fc.property(factsArb, (facts) => {
        const ranks = diagnose(facts).findings.map((f) => rank[f.severity]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('renders text and JSON for whatever it diagnosed', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const d = diagnose(facts);
        expect(formatDiagnosisText(d).split('\n')[0]).toBe(d.verdict);
        expect(toDiagnosisJson(d).containers).toHaveLength(d.containers.length);
      }),
      { numRuns: 200 },
    );
  });
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

describe('diagnose is pure', () => {
  it('never writes to the facts it is given', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const before = JSON.stringify(facts);
        // Modules are strict mode: a write to a frozen object throws.
        diagnose(deepFreeze(facts));
        expect(JSON.stringify(facts)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same answer twice', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(diagnose(facts)).toEqual(diagnose(facts));
      }),
      { numRuns: 100 },
    );
  });
});
