import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/kube/index.js';
import { HEALTH_ORDER, rankPodHealth, sortByHealth } from '../../src/workloads/index.js';

type Status = NonNullable<Pod['status']>;
const pod = (name: string, status: Status, deleting = false): Pod => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: new Date(0) } : {}) },
  status,
});
const ready = { type: 'Ready', status: 'True' };
const notReady = { type: 'Ready', status: 'False' };
const container = (state: object, restartCount = 0) => ({
  name: 'app',
  image: 'app:1',
  imageID: '',
  ready: false,
  restartCount,
  state,
});

describe('rankPodHealth says how sick one pod is, as kubectl get pods would', () => {
  it.each([
    {
      name: 'CrashLoopBackOff',
      status: {
        phase: 'Running',
        containerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff' } }, 7)],
      },
      want: { health: 'failing', state: 'CrashLoopBackOff', restarts: 7 },
    },
    {
      name: 'image pull back-off',
      status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })] },
      want: { health: 'failing', state: 'ImagePullBackOff', restarts: 0 },
    },
    {
      name: 'a failed init container',
      status: {
        phase: 'Pending',
        initContainerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff' } }, 3)],
      },
      want: { health: 'failing', state: 'CrashLoopBackOff', restarts: 3 },
    },
    {
      name: 'terminated with an error, not yet restarted',
      status: {
        phase: 'Running',
        containerStatuses: [container({ terminated: { exitCode: 137, reason: 'OOMKilled' } }, 2)],
      },
      want: { health: 'failing', state: 'OOMKilled', restarts: 2 },
    },
    {
      name: 'evicted',
      status: { phase: 'Failed', reason: 'Evicted' },
      want: { health: 'failing', state: 'Evicted', restarts: 0 },
    },
    {
      name: 'unschedulable',
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
      want: { health: 'pending', state: 'Unschedulable', restarts: 0 },
    },
    {
      name: 'still creating its container',
      status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ContainerCreating' } })] },
      want: { health: 'pending', state: 'Pending', restarts: 0 },
    },
    {
      name: 'running, readiness failing',
      status: { phase: 'Running', conditions: [notReady], containerStatuses: [container({ running: {} }, 1)] },
      want: { health: 'not-ready', state: 'Running, not ready', restarts: 1 },
    },
    {
      name: 'ready',
      status: { phase: 'Running', conditions: [ready], containerStatuses: [container({ running: {} })] },
      want: { health: 'ready', state: 'Ready', restarts: 0 },
    },
    {
      name: 'a finished job pod',
      status: { phase: 'Succeeded', containerStatuses: [container({ terminated: { exitCode: 0 } })] },
      want: { health: 'completed', state: 'Completed', restarts: 0 },
    },
  ] as { name: string; status: Status; want: object }[])('$name', ({ name, status, want }) => {
    expect(rankPodHealth(pod('p', status))).toEqual({ name: 'p', ...want });
    expect(name).not.toBe('');
  });

  it('a terminating pod counts as not ready', () => {
    expect(rankPodHealth(pod('p', { phase: 'Running', conditions: [ready] }, true)).health).toBe('not-ready');
  });
});

describe('sortByHealth puts the worst pod first', () => {
  it('failing before pending before not ready before ready, then more restarts, then name', () => {
    const sorted = sortByHealth([
      { name: 'r', health: 'ready', state: 'Ready', restarts: 9 },
      { name: 'p', health: 'pending', state: 'Pending', restarts: 0 },
      { name: 'f1', health: 'failing', state: 'CrashLoopBackOff', restarts: 2 },
      { name: 'n', health: 'not-ready', state: 'Running, not ready', restarts: 0 },
      { name: 'f2', health: 'failing', state: 'CrashLoopBackOff', restarts: 5 },
      { name: 'f0', health: 'failing', state: 'Error', restarts: 5 },
    ]);
    expect(sorted.map((s) => s.name)).toEqual(['f0', 'f2', 'f1', 'p', 'n', 'r']);
  });

  it('picks the same worst pod whatever order the API listed them in', () => {
    const standing = fc.record({
      name: fc.stringMatching(/^[a-z]{1,4}$/),
      health: fc.constantFrom(...HEALTH_ORDER),
      state: fc.constant('x'),
      restarts: fc.nat(20),
    });
    fc.assert(
      fc.property(fc.uniqueArray(standing, { minLength: 1, selector: (s) => s.name }), fc.nat(), (list, seed) => {
        const shuffled = [...list].sort(
          (a, b) => ((a.name.charCodeAt(0) * seed) % 7) - ((b.name.charCodeAt(0) * seed) % 7),
        );
        const worst = sortByHealth(list)[0]!;
        expect(sortByHealth(shuffled)[0]).toEqual(worst);
        for (const s of list)
          expect(HEALTH_ORDER.indexOf(worst.health)).toBeLessThanOrEqual(HEALTH_ORDER.indexOf(s.health));
      }),
    );
  });
});
