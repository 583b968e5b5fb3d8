import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FailingHistory, failingSince } from '../../src/diagnosis/index.js';

const NOW = new Date('2026-12-07T10:00:00Z');
const at = (hhmmss: string) => `2026-12-07T${hhmmss}.000Z`;

describe('failingSince dates a failure from the pod’s own record, not from when anyone looked', () => {
  it.each<{ name: string; history: FailingHistory; want: ReturnType<typeof failingSince> }>([
    {
      name: 'the first BackOff event, however often it was counted since',
      history: {
        podStartedAt: at('08:00:00'),
        containers: [{ restartCount: 1, waitingReason: 'CrashLoopBackOff' }],
        events: [
          { reason: 'Pulled', type: 'Normal', firstTimestamp: at('08:00:05') },
          { reason: 'BackOff', type: 'Warning', firstTimestamp: at('08:41:00'), lastTimestamp: at('09:59:00') },
        ],
      },
      want: { at: at('08:41:00'), source: 'event', approximate: false },
    },
    {
      name: 'an events.k8s.io series: its eventTime',
      history: {
        containers: [{ restartCount: 0, waitingReason: 'ImagePullBackOff' }],
        events: [{ reason: 'Failed', type: 'Warning', eventTime: at('09:12:30') }],
      },
      want: { at: at('09:12:30'), source: 'event', approximate: false },
    },
    {
      name: 'one crash, no events: the termination time',
      history: {
        podStartedAt: at('08:00:00'),
        containers: [
          {
            restartCount: 1,
            waitingReason: 'CrashLoopBackOff',
            lastTerminated: { startedAt: at('09:30:00'), finishedAt: at('09:30:02'), exitCode: 1 },
          },
        ],
      },
      want: { at: at('09:30:02'), source: 'status', approximate: false },
    },
    {
      name: 'many restarts, events expired: counted back over the back-off schedule (10+20+40 s, 2 s runs)',
      history: {
        podStartedAt: at('08:00:00'),
        containers: [
          {
            restartCount: 4,
            waitingReason: 'CrashLoopBackOff',
            lastTerminated: { startedAt: at('09:50:00'), finishedAt: at('09:50:02'), exitCode: 1 },
          },
        ],
      },
      want: { at: at('09:48:46'), source: 'estimate', approximate: true },
    },
    {
      name: 'a first back-off event close to the count back: the recorded time wins',
      history: {
        podStartedAt: at('09:40:00'),
        containers: [
          {
            restartCount: 4,
            waitingReason: 'CrashLoopBackOff',
            lastTerminated: { startedAt: at('09:50:00'), finishedAt: at('09:50:02'), exitCode: 1 },
          },
        ],
        events: [{ reason: 'BackOff', type: 'Warning', firstTimestamp: at('09:49:00') }],
      },
      want: { at: at('09:49:00'), source: 'event', approximate: false },
    },
    {
      name: 'the count back never goes before the pod started',
      history: {
        podStartedAt: at('09:45:00'),
        containers: [
          {
            restartCount: 40,
            waitingReason: 'CrashLoopBackOff',
            lastTerminated: { startedAt: at('09:55:00'), finishedAt: at('09:55:01'), exitCode: 1 },
          },
        ],
      },
      want: { at: at('09:45:00'), source: 'estimate', approximate: true },
    },
    {
      name: 'a container that ran over ten minutes before dying reset its back-off: no count back',
      history: {
        podStartedAt: at('00:00:00'),
        containers: [
          {
            restartCount: 6,
            terminated: { startedAt: at('09:00:00'), finishedAt: at('09:40:00'), exitCode: 137, reason: 'OOMKilled' },
          },
        ],
      },
      want: { at: at('09:40:00'), source: 'status', approximate: false },
    },
    {
      name: 'a container that never started has failed since the pod started',
      history: {
        podStartedAt: at('07:00:00'),
        containers: [{ restartCount: 0, waitingReason: 'CreateContainerConfigError' }],
      },
      want: { at: at('07:00:00'), source: 'pod-start', approximate: false },
    },
    {
      name: 'a clean exit (0) is no failure',
      history: {
        containers: [{ restartCount: 1, lastTerminated: { finishedAt: at('09:00:00'), exitCode: 0 } }],
      },
      want: undefined,
    },
    {
      name: 'a clock ahead of ours: never later than now',
      history: { containers: [{ restartCount: 1, terminated: { finishedAt: at('11:00:00'), exitCode: 1 } }] },
      want: { at: NOW.toISOString(), source: 'status', approximate: false },
    },
    {
      name: 'nothing dated',
      history: { containers: [{ restartCount: 3, waitingReason: 'CrashLoopBackOff' }] },
      want: undefined,
    },
  ])('$name', ({ history, want }) => {
    expect(failingSince(history, NOW)).toEqual(want);
  });

  it('is never before the pod started nor after now, for any record', () => {
    const time = fc
      .integer({ min: Date.parse(at('00:00:00')), max: Date.parse(at('12:00:00')) })
      .map((ms) => new Date(ms).toISOString());
    const run = fc.record(
      { startedAt: time, finishedAt: time, exitCode: fc.integer({ min: 0, max: 255 }) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        time,
        fc.array(
          fc.record(
            { restartCount: fc.nat(1000), terminated: run, lastTerminated: run },
            { requiredKeys: ['restartCount'] },
          ),
        ),
        fc.array(fc.record({ reason: fc.constantFrom('BackOff', 'Failed', 'Pulled'), firstTimestamp: time })),
        (podStartedAt, containers, events) => {
          const found = failingSince({ podStartedAt, containers, events }, NOW);
          if (!found) return;
          expect(Date.parse(found.at)).toBeGreaterThanOrEqual(Math.min(Date.parse(podStartedAt), NOW.getTime()));
          expect(Date.parse(found.at)).toBeLessThanOrEqual(NOW.getTime());
        },
      ),
    );
  });
});
