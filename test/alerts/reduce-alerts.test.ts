import { describe, expect, it } from 'vitest';
import {
  type AlertEffect,
  type AlertState,
  INITIAL_SHARED,
  isPodInTrouble,
  reduceAlerts,
} from '../../src/alerts/index.js';
import { AlertModel, type PodShape, RULES, SharedWorld, testPod } from './alert-model.js';

const T0 = Date.parse('2026-12-07T09:00:00.000Z');
const WEB = 'shop/Deployment/web';

function model(rules = RULES, world = new SharedWorld()): AlertModel {
  return new AlertModel(world, rules, T0);
}

const types = (m: AlertModel, from = 0): string[] =>
  m.trace.slice(from).flatMap((p) => (p.effect.type === 'log' || p.effect.type === 'count' ? [] : [p.effect.type]));

const messages = (m: AlertModel, key = WEB) => m.world.messagesOf(key);

describe('reduceAlerts: one message per workload', () => {
  it('a pod entering CrashLoopBackOff claims its workload; the claim won posts one message naming it', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'ready'));
    m.upsert(testPod('web', 1, 'crash'));
    expect(types(m)).toEqual(['claim']);
    m.drain();
    expect(types(m)).toEqual(['claim', 'sync', 'read-mute', 'post', 'save-record']);
    expect(messages(m)).toEqual([
      expect.objectContaining({ failingPods: ['web-5f7c9d8b6-p1'], failingCount: 1, reason: 'CrashLoopBackOff' }),
    ]);
    expect(m.world.records.get(WEB)?.posted).toEqual({ channel: 'C0INCIDENT', ts: expect.any(String) });
    expect(m.counts.posted).toBe(1);
  });

  it('a second failing pod updates the message instead of posting another', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ failingCount: 2 })]);
    expect(m.counts).toMatchObject({ posted: 1, updated: 1 });
  });

  it.each<[string, PodShape[]]>([
    ['running between back-offs', ['between', 'crash', 'between', 'crash']],
    ['restarting (ContainerCreating)', ['starting', 'crash']],
  ])('a crash-looping pod %s leaves the message alone', (_name, shapes) => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    const before = m.trace.length;
    for (const shape of shapes) m.upsert(testPod('web', 0, shape));
    m.drain();
    expect(m.trace.slice(before)).toEqual([]);
    expect(messages(m)).toEqual([expect.objectContaining({ failingCount: 1 })]);
  });

  it('healthy Ready pods are not kept: memory grows with the pods in trouble', () => {
    const m = model();
    for (let i = 0; i < 50; i++) m.upsert(testPod('web', i, 'ready'));
    m.upsert(testPod('api', 0, 'starting'));
    expect(m.index.size).toBe(1);
    expect([...m.workloads.keys()]).toEqual(['shop/Deployment/api']);
  });

  it('when every pod is Ready again or gone the message says recovered, and the workload is forgotten', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    m.upsert(testPod('web', 0, 'ready'));
    m.drain();
    expect(messages(m)[0]?.recoveredAt).toBeUndefined();
    m.upsert(testPod('web', 1, 'starting'));
    m.drain();
    expect(messages(m)[0]?.recoveredAt).toBeUndefined();
    m.remove(testPod('web', 1, 'starting').uid);
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ recoveredAt: new Date(T0).toISOString() })]);
    expect(m.world.records.get(WEB)?.recoveredAt).toBe(new Date(T0).toISOString());
    expect(m.workloads.size).toBe(0);
    expect(m.index.size).toBe(0);
  });

  it('failing again within the cooldown brings the same message back to life with a new start', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    m.upsert(testPod('web', 0, 'ready'));
    m.drain();
    m.now += 60_000;
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    expect(messages(m)).toHaveLength(1);
    expect(messages(m)[0]?.recoveredAt).toBeUndefined();
    expect(m.world.records.get(WEB)?.recoveredAt).toBeUndefined();
  });

  it('an answer about an older episode changes nothing', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    const claim = m.pending[0]?.effect as Extract<AlertEffect, { type: 'claim' }>;
    const state: AlertState = { workload: m.workloads.get(WEB), shared: m.shared };
    const late = reduceAlerts(
      state,
      { type: 'post-done', episode: claim.episode + 7, posted: { channel: 'C', ts: '1.2' }, shown: '', version: 1 },
      new Date(T0),
      RULES,
    );
    expect(late.effects).toEqual([]);
    expect(late.state.workload).toEqual(state.workload);
  });
});

describe('reduceAlerts: replicas and restarts', () => {
  it('a claim already held with a posted message is adopted: updated, not posted again', () => {
    const world = new SharedWorld();
    const first = model(RULES, world);
    first.upsert(testPod('web', 0, 'crash'));
    first.drain();
    // A restarted bot (empty memory, same Redis) sees the workload with one more failing pod.
    const second = model(RULES, world);
    second.upsert(testPod('web', 0, 'crash'));
    second.upsert(testPod('web', 1, 'crash'));
    second.drain();
    expect(messages(second)).toEqual([expect.objectContaining({ failingCount: 2 })]);
    expect(types(second)).not.toContain('post');
    expect(second.counts.suppressed).toBe(1);
  });

  it('the start time comes from the record of the first alert', () => {
    const world = new SharedWorld();
    world.records.set(WEB, {
      since: '2026-12-07T07:00:00.000Z',
      claimedAt: '2026-12-07T07:00:00.000Z',
      posted: { channel: 'C0INCIDENT', ts: '1.1' },
    });
    world.messages.set('1.1', { key: WEB, alert: {} as never });
    const m = model(RULES, world);
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    expect(messages(m)[0]?.since).toBe('2026-12-07T07:00:00.000Z');
  });

  it.each([
    { name: 'fresh: the claimer will post', claimedAgoMs: 10_000, takesOver: false },
    { name: 'stale: its replica died, taken over once', claimedAgoMs: 10 * 60_000, takesOver: true },
  ])('a claim another replica never followed with a post, $name', ({ claimedAgoMs, takesOver }) => {
    const world = new SharedWorld();
    const at = new Date(T0 - claimedAgoMs).toISOString();
    world.records.set(WEB, { since: at, claimedAt: at });
    const a = model(RULES, world);
    const b = model(RULES, world);
    for (const r of [a, b]) r.upsert(testPod('web', 0, 'crash'));
    a.drain();
    b.drain();
    expect(messages(a)).toHaveLength(takesOver ? 1 : 0);
    expect(a.counts.posted + b.counts.posted).toBe(takesOver ? 1 : 0);
  });

  it('two replicas seeing the same pods post one message between them', () => {
    const world = new SharedWorld();
    const a = model(RULES, world);
    const b = model(RULES, world);
    for (const r of [a, b]) r.upsert(testPod('web', 0, 'crash'));
    // b's claim reaches Redis first.
    b.answer(0);
    a.answer(0);
    for (const r of [a, b]) r.upsert(testPod('web', 1, 'crash'));
    b.drain();
    a.drain();
    for (const r of [b, a]) r.upsert(testPod('web', 2, 'crash'));
    a.drain();
    b.drain();
    expect(messages(a)).toEqual([expect.objectContaining({ failingCount: 3 })]);
    expect(a.counts.posted + b.counts.posted).toBe(1);
  });
});

describe('reduceAlerts: mutes, storms, failures', () => {
  it('a muted workload gets no message; its claim is given back so the first change after the mute alerts', () => {
    const m = model();
    m.world.mutes.set(WEB, { untilRecovery: false });
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    expect(messages(m)).toEqual([]);
    expect(m.world.records.has(WEB)).toBe(false);
    m.world.mutes.delete(WEB);
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ failingCount: 2 })]);
  });

  it('a muted message is not updated, but its recovery is shown and ends an "until it recovers" mute', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    m.world.mutes.set(WEB, { untilRecovery: true });
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ failingCount: 1 })]);
    m.upsert(testPod('web', 0, 'ready'));
    m.upsert(testPod('web', 1, 'ready'));
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ recoveredAt: expect.any(String) })]);
    expect(m.world.mutes.has(WEB)).toBe(false);
  });

  it('a timed mute outlives the recovery', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    m.world.mutes.set(WEB, { untilRecovery: false });
    m.upsert(testPod('web', 0, 'ready'));
    m.drain();
    expect(m.world.mutes.has(WEB)).toBe(true);
  });

  it('past maxWorkloadsPerBurst in a burst window the rest go into one summary per channel', () => {
    const m = model({ ...RULES, maxWorkloadsPerBurst: 3 });
    for (let d = 0; d < 7; d++) m.upsert(testPod(`job${d}`, 0, 'crash'));
    m.drain();
    expect(m.world.messages.size).toBe(3);
    expect(m.world.summaries).toHaveLength(4);
    expect(m.counts.suppressed).toBe(4);
    expect([...m.world.records.values()].filter((r) => r.summarized)).toHaveLength(4);
    // A new window admits alerts again.
    m.now += RULES.burstWindowMs + 1;
    m.upsert(testPod('late', 0, 'crash'));
    m.drain();
    expect(m.world.messages.size).toBe(4);
  });

  it('a post Slack refuses gives the claim back; the next change alerts again', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.answer(0);
    m.runSync(WEB);
    m.answer(0); // read-mute
    m.answer(0, true); // post refused
    expect(m.counts.dropped).toBe(1);
    expect(m.world.records.has(WEB)).toBe(false);
    expect(m.workloads.get(WEB)?.episode).toBeUndefined();
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    expect(messages(m)).toEqual([expect.objectContaining({ failingCount: 2 })]);
  });

  it('a claim Redis could not answer is forgotten; the next change claims again', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.answer(0, true);
    expect(m.workloads.get(WEB)?.episode).toBeUndefined();
    m.upsert(testPod('web', 1, 'crash'));
    m.drain();
    expect(messages(m)).toHaveLength(1);
  });

  it('recovered before its first message: nothing is posted and the claim is given back', () => {
    const m = model();
    m.upsert(testPod('web', 0, 'crash'));
    m.answer(0);
    m.upsert(testPod('web', 0, 'ready'));
    m.drain();
    expect(messages(m)).toEqual([]);
    expect(m.world.records.has(WEB)).toBe(false);
    expect(m.workloads.size).toBe(0);
  });

  it('our own debug pods never alert, even when they carry a workload owner', () => {
    const m = model();
    m.upsert(testPod('web-debug', 0, 'crash', { managed: true, bare: true }));
    m.upsert(testPod('web', 9, 'crash', { managed: true }));
    m.drain();
    expect(m.trace).toEqual([]);
    expect(m.workloads.size).toBe(0);
  });

  it('routes each namespace to its channel, and alerts nowhere without one', () => {
    const m = model({ ...RULES, channel: undefined });
    m.upsert(testPod('ingress', 0, 'crash', { namespace: 'platform-x' }));
    m.upsert(testPod('web', 0, 'crash'));
    m.drain();
    expect([...m.world.messages.values()].map((x) => x.alert.channel)).toEqual(['G0PLATFORM']);
  });

  it('"failing since" is the pod\'s own record of its first failure, not when the bot saw it', () => {
    const m = model();
    const pod = testPod('web', 0, 'crash');
    const c = pod.containers[0]!;
    pod.startedAt = '2026-12-07T08:00:00.000Z';
    c.lastTerminated = { exitCode: 1, startedAt: '2026-12-07T08:19:00.000Z', finishedAt: '2026-12-07T08:20:00.000Z' };
    c.restartCount = 6;
    m.upsert(pod);
    m.drain();
    expect(Date.parse(messages(m)[0]!.since)).toBeLessThan(T0);
  });
});

describe('isPodInTrouble', () => {
  it.each<[string, ReturnType<typeof testPod>, boolean]>([
    ['Ready', testPod('web', 0, 'ready'), false],
    ['crash-looping', testPod('web', 0, 'crash'), true],
    ['running between back-offs', testPod('web', 0, 'between'), true],
    ['starting', testPod('web', 0, 'starting'), true],
    ['ours, crash-looping', testPod('web', 0, 'crash', { managed: true }), false],
  ])('%s → %s', (_name, pod, want) => {
    expect(isPodInTrouble(pod, RULES)).toBe(want);
    // The runner skips the reducer for such a pod it does not know; the reducer agrees.
    if (!want) {
      const r = reduceAlerts(
        { workload: undefined, shared: INITIAL_SHARED },
        { type: 'pod-upserted', pod },
        new Date(T0),
        RULES,
      );
      expect(r).toEqual({ state: { workload: undefined, shared: INITIAL_SHARED }, effects: [] });
    }
  });
});
