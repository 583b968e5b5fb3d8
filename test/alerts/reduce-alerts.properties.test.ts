import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertModel, type Check, type PodShape, RULES, SharedWorld, testPod } from './alert-model.js';

const T0 = Date.parse('2026-12-07T09:00:00.000Z');
const DEPLOYMENTS = ['web', 'api', 'cart'];
const SHAPES: PodShape[] = ['ready', 'crash', 'between', 'starting'];

type Command =
  | { c: 'pod'; d: number; i: number; shape: PodShape }
  | { c: 'ours'; i: number; shape: PodShape; owned: boolean }
  | { c: 'remove'; d: number; i: number }
  | { c: 'mute'; d: number; untilRecovery: boolean }
  | { c: 'unmute'; d: number }
  | { c: 'advance'; ms: number }
  | { c: 'answer'; r: number; pick: number; fail: boolean }
  | { c: 'sync'; r: number; pick: number };

const command = (maxAdvanceMs: number): fc.Arbitrary<Command> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        c: fc.constant('pod' as const),
        d: fc.nat(2),
        i: fc.nat(3),
        shape: fc.constantFrom(...SHAPES),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        c: fc.constant('ours' as const),
        i: fc.nat(1),
        shape: fc.constantFrom(...SHAPES),
        owned: fc.boolean(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ c: fc.constant('remove' as const), d: fc.nat(2), i: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ c: fc.constant('mute' as const), d: fc.nat(2), untilRecovery: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ c: fc.constant('unmute' as const), d: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ c: fc.constant('advance' as const), ms: fc.nat(maxAdvanceMs) }) },
    {
      weight: 6,
      arbitrary: fc.record({
        c: fc.constant('answer' as const),
        r: fc.nat(1),
        pick: fc.nat(),
        fail: fc.nat(9).map((n) => n < 3),
      }),
    },
    { weight: 4, arbitrary: fc.record({ c: fc.constant('sync' as const), r: fc.nat(1), pick: fc.nat() }) },
  );

/** The cluster as it is: every pod of the test, and whether it is failing (sticky until Ready or gone). */
class Cluster {
  pods = new Map<string, { key: string; name: string; shape: PodShape; failing: boolean; ours: boolean }>();

  set(pod: ReturnType<typeof testPod>, key: string, shape: PodShape, ours: boolean): void {
    const prev = this.pods.get(pod.uid);
    const failing = !ours && shape !== 'ready' && (shape === 'crash' || (prev?.failing ?? false));
    this.pods.set(pod.uid, { key, name: pod.name, shape, failing, ours });
  }

  /** Pods in trouble (not Ready, not ours) of one workload. */
  troubled(key: string) {
    return [...this.pods.values()].filter((p) => p.key === key && !p.ours && p.shape !== 'ready');
  }

  failingNames(key: string): string[] {
    return this.troubled(key)
      .filter((p) => p.failing)
      .map((p) => p.name)
      .sort();
  }
}

const keyOf = (d: number) => `shop/Deployment/${DEPLOYMENTS[d]}`;
const OURS = 'shop/Pod/web-debug';

/** Runs the commands against `replicas` models sharing Redis and Slack; returns them, the cluster and what was muted. */
function run(commands: Command[], replicas: number, extraChecks: Check[] = []) {
  const world = new SharedWorld();
  const cluster = new Cluster();
  const everMuted = new Set<string>();
  const failed = new Set<string>();
  const ourNames = new Set<string>();
  /** Per workload, the moments (model time) when none of its pods was in trouble. */
  const quiet = new Map<string, Set<number>>();
  const noteQuiet = (now: number) => {
    for (const key of [...DEPLOYMENTS.keys()].map(keyOf))
      if (cluster.troubled(key).length === 0) quiet.set(key, (quiet.get(key) ?? new Set()).add(now));
  };

  /** Checked on every effect, as it is emitted. */
  const checks: Check[] = [
    // No post or update for a muted workload, except the recovery.
    (_m, key, e) => {
      if ((e.type === 'post' || e.type === 'update') && !e.alert.recoveredAt)
        expect(world.mutes.has(key), `${e.type} of ${key} while muted`).toBe(false);
    },
    // A recovery is said only when no pod is failing, dated at a moment every pod was Ready or gone.
    (_m, key, e) => {
      if ((e.type !== 'post' && e.type !== 'update') || !e.alert.recoveredAt) return;
      expect(cluster.failingNames(key), `recovery of ${key}`).toEqual([]);
      expect(quiet.get(key)?.has(Date.parse(e.alert.recoveredAt)), `recovery of ${key} dated when quiet`).toBe(true);
    },
    // Our own debug pods never alert, nor count among a workload's failing pods.
    (_m, key, e) => {
      expect(key).not.toBe(OURS);
      if (e.type === 'post' || e.type === 'update')
        for (const name of e.alert.failingPods) expect(ourNames.has(name), name).toBe(false);
    },
    ...extraChecks,
  ];
  const models = Array.from({ length: replicas }, () => new AlertModel(world, RULES, T0, checks));

  for (const cmd of commands) {
    noteQuiet(models[0]!.now);
    switch (cmd.c) {
      case 'pod': {
        const pod = testPod(DEPLOYMENTS[cmd.d]!, cmd.i, cmd.shape);
        cluster.set(pod, keyOf(cmd.d), cmd.shape, false);
        for (const m of models) m.upsert(pod);
        break;
      }
      case 'ours': {
        const pod = cmd.owned
          ? testPod('web', 10 + cmd.i, cmd.shape, { managed: true })
          : testPod('web-debug', cmd.i, cmd.shape, { managed: true, bare: true });
        ourNames.add(pod.name);
        cluster.set(pod, cmd.owned ? keyOf(0) : OURS, cmd.shape, true);
        for (const m of models) m.upsert(pod);
        break;
      }
      case 'remove': {
        const uid = testPod(DEPLOYMENTS[cmd.d]!, cmd.i, 'ready').uid;
        cluster.pods.delete(uid);
        for (const m of models) m.remove(uid);
        break;
      }
      case 'mute':
        everMuted.add(keyOf(cmd.d));
        world.mutes.set(keyOf(cmd.d), { untilRecovery: cmd.untilRecovery });
        break;
      case 'unmute':
        world.mutes.delete(keyOf(cmd.d));
        break;
      case 'advance':
        for (const m of models) m.now += cmd.ms;
        break;
      case 'answer': {
        const m = models[cmd.r % replicas]!;
        if (!m.pending.length) break;
        const i = cmd.pick % m.pending.length;
        const effect = m.pending[i]!.effect;
        const fail = cmd.fail && (effect.type === 'claim' || effect.type === 'post');
        if (fail) failed.add(m.pending[i]!.key);
        m.answer(i, fail);
        break;
      }
      case 'sync': {
        const m = models[cmd.r % replicas]!;
        const runnable = m.runnableSyncs();
        if (runnable.length) m.runSync(runnable[cmd.pick % runnable.length]!);
        break;
      }
    }
    noteQuiet(models[0]!.now);
    // At most one message per workload, however the answers interleave.
    for (let d = 0; d < DEPLOYMENTS.length; d++) expect(world.messagesOf(keyOf(d)).length).toBeLessThanOrEqual(1);
  }
  return { world, cluster, models, everMuted, failed };
}

describe('alert reducer properties (random pod changes, mutes, answers in any order, time passing)', () => {
  it('one message per workload; none while muted; a recovery exactly when the last failing pod is Ready or gone; memory follows trouble', () => {
    fc.assert(
      fc.property(fc.array(command(90_000), { minLength: 10, maxLength: 150, size: 'max' }), (commands) => {
        const { world, cluster, models, everMuted, failed } = run(commands, 1);
        const [m] = models as [AlertModel];
        // Only pods in trouble are kept, under their workload.
        const troubledUids = [...cluster.pods.entries()]
          .filter(([, p]) => !p.ours && p.shape !== 'ready')
          .map(([uid]) => uid);
        expect([...m.index.keys()].sort()).toEqual(troubledUids.sort());

        // Once every answer is in and every sync has run:
        m.drain();
        for (let d = 0; d < DEPLOYMENTS.length; d++) {
          const key = keyOf(d);
          const [message] = world.messagesOf(key);
          const troubled = cluster.troubled(key);
          // the recovery always follows the last failing pod becoming Ready or gone;
          if (message && troubled.length === 0) expect(message.recoveredAt, `recovery of ${key}`).toBeDefined();
          // a workload failing, never muted and never refused, has its message, current.
          const failing = cluster.failingNames(key);
          if (failing.length && !everMuted.has(key) && !failed.has(key)) {
            expect(message, `alert of ${key}`).toBeDefined();
            expect(message?.recoveredAt).toBeUndefined();
            expect(message?.failingPods).toEqual(failing);
          }
          // nothing is remembered about a workload with no pod in trouble.
          if (troubled.length === 0) expect(m.workloads.has(key), `memory of ${key}`).toBe(false);
        }
        expect(m.workloads.has(OURS)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('two replicas sharing Redis post at most one message per workload, in any interleaving', () => {
    fc.assert(
      fc.property(
        // Time stays short of staleClaimMs: past it, a follower rightly takes over a claim whose post never came.
        fc.array(command(1000), { minLength: 10, maxLength: 120, size: 'max' }),
        (commands) => {
          const { world, models } = run(commands, 2);
          for (const m of models) m.drain();
          for (let d = 0; d < DEPLOYMENTS.length; d++) expect(world.messagesOf(keyOf(d)).length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
