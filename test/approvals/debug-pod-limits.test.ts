import { afterAll, describe, expect, it } from 'vitest';
import { DebugPodLimits } from '../../src/approvals/index.js';
import type { Limits } from '../../src/config/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const connections = [newRedis(), newRedis()];
afterAll(async () => {
  await Promise.all(connections.map((r) => r.quit()));
});

const now = new Date('2026-12-01T10:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const roomy: Limits = { activePerUser: 100, activePerNamespace: 100, activeCluster: 100, createdPerUserPerHour: 100 };

/** Two replicas of the bot: two connections, one prefix. */
function replicas(limits: Partial<Limits>) {
  const prefix = uniquePrefix('limits');
  return connections.map((redis) => new DebugPodLimits({ redis, prefix, limits: { ...roomy, ...limits } }));
}
const pod = (name: string, over: Partial<{ namespace: string; user: string; endsAt: Date }> = {}) => ({
  namespace: 'shop',
  name,
  user: 'UA',
  endsAt: later(60),
  ...over,
});

describe('limits on debug pods, held across replicas', () => {
  it('ten racing creations against a limit of three, from two replicas: exactly three pass', async () => {
    const [a, b] = replicas({ activePerUser: 3 });
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a! : b!).reserve(pod(`p${i}`), now)),
    );
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
    expect(verdicts.find((v) => !v.ok)).toMatchObject({ limit: 'activePerUser', max: 3 });
  });

  it('a retried reservation of the same pod counts once', async () => {
    const [a] = replicas({ activePerUser: 1 });
    expect((await a!.reserve(pod('p'), now)).ok).toBe(true);
    expect((await a!.reserve(pod('p'), now)).ok).toBe(true);
    expect((await a!.reserve(pod('q'), now)).ok).toBe(false);
  });

  it.each([
    ['activePerNamespace', { activePerNamespace: 1 }, pod('q', { user: 'UB' })],
    ['activeCluster', { activeCluster: 1 }, pod('q', { user: 'UB', namespace: 'other' })],
    ['createdPerUserPerHour', { createdPerUserPerHour: 1 }, pod('q', { namespace: 'other' })],
  ] as const)('%s stops the second pod and explains itself', async (limit, limits, second) => {
    const [a] = replicas(limits);
    expect((await a!.reserve(pod('p'), now)).ok).toBe(true);
    const refused = await a!.reserve(second, now);
    expect(refused).toMatchObject({ ok: false, limit, max: 1 });
    expect(refused.ok ? '' : refused.message).toMatch(new RegExp(`limits\\.${limit}`));
  });

  it('a released pod stops counting as active, but still counts among the hour’s creations', async () => {
    const [a] = replicas({ activePerUser: 1, createdPerUserPerHour: 2 });
    await a!.reserve(pod('p'), now);
    await a!.release({ namespace: 'shop', name: 'p', user: 'UA' });
    expect((await a!.reserve(pod('q'), now)).ok).toBe(true);
    await a!.release({ namespace: 'shop', name: 'q', user: 'UA' });
    expect(await a!.reserve(pod('r'), now)).toMatchObject({ ok: false, limit: 'createdPerUserPerHour' });
  });

  it('a pod past its latest end stops counting, even if nobody released it; an hour later creations are free again', async () => {
    const [a] = replicas({ activePerUser: 1, createdPerUserPerHour: 1 });
    await a!.reserve(pod('p', { endsAt: later(5) }), now);
    expect(await a!.reserve(pod('q'), later(10))).toMatchObject({ ok: false, limit: 'createdPerUserPerHour' });
    expect((await a!.reserve(pod('q'), later(61))).ok).toBe(true);
  });
});
