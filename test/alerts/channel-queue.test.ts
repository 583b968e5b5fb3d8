import { describe, expect, it } from 'vitest';
import { ChannelQueue } from '../../src/alerts/channel-queue.js';
import type { AlertClock } from '../../src/alerts/index.js';

/** A clock whose pauses pass at once, moving its time forward. */
function manualClock(start = 0): AlertClock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** A queue whose tasks record when (clock time) and in which order they ran. */
function recorder(intervalMs = 1000) {
  const clock = manualClock(1_000_000);
  const q = new ChannelQueue({ intervalMs, clock });
  const ran: { key: string; at: number }[] = [];
  const task = (key: string, urgent = false, during?: () => void) => ({
    key,
    urgent,
    run: async () => {
      ran.push({ key, at: clock.now().getTime() });
      during?.();
    },
  });
  return { q, clock, ran, task };
}

describe('ChannelQueue', () => {
  it('starts calls on one channel at least intervalMs apart, through the injected clock', async () => {
    const { q, ran, task, clock } = recorder(1000);
    for (const k of ['a', 'b', 'c']) q.push(task(k));
    await q.idle();
    expect(ran.map((r) => r.at - 1_000_000)).toEqual([0, 1000, 2000]);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('a task queued again while it waits runs once', async () => {
    const { q, ran, task } = recorder();
    q.push(task('first'));
    for (let i = 0; i < 5; i++) q.push(task('web'));
    await q.idle();
    expect(ran.map((r) => r.key)).toEqual(['first', 'web']);
  });

  it('new alerts go before updates queued earlier', async () => {
    const { q, ran, task } = recorder();
    q.push(task('running'));
    q.push(task('update-1'));
    q.push(task('update-2'));
    q.push(task('new-alert', true));
    await q.idle();
    expect(ran.map((r) => r.key)).toEqual(['running', 'new-alert', 'update-1', 'update-2']);
  });

  it('a task queued while it runs runs again after it, so the newest state reaches the channel', async () => {
    const { q, ran, task } = recorder();
    q.push(task('web', false, () => q.push(task('web'))));
    await q.idle();
    expect(ran.map((r) => r.key)).toEqual(['web', 'web']);
  });

  it('a task that throws is reported and the queue goes on', async () => {
    const failed: string[] = [];
    const q = new ChannelQueue({ intervalMs: 0, clock: manualClock(), onFailed: (key) => failed.push(key) });
    const ran: string[] = [];
    q.push({ key: 'bad', urgent: false, run: () => Promise.reject(new Error('no')) });
    q.push({ key: 'good', urgent: false, run: async () => void ran.push('good') });
    await q.idle();
    expect(failed).toEqual(['bad']);
    expect(ran).toEqual(['good']);
  });

  it('stop drops what is pending', async () => {
    const { q, ran, task } = recorder();
    q.push(task('a', false, () => q.stop()));
    q.push(task('b'));
    await q.idle();
    q.push(task('c'));
    await q.idle();
    expect(ran.map((r) => r.key)).toEqual(['a']);
  });
});
