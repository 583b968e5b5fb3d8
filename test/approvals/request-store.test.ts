import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type PendingRequest, RequestStore } from '../../src/approvals/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const connections: Redis[] = [];
function connection(): Redis {
  const redis = newRedis();
  connections.push(redis);
  return redis;
}
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

const request: PendingRequest = {
  kind: 'clone',
  namespace: 'shop',
  pod: 'api-7f9c',
  container: 'api',
  requestedBy: 'UBOB',
  channel: 'C1',
  messageTs: '1700000000.000100',
  createdAt: '2026-11-23T09:00:00.000Z',
  containers: ['api', 'sidecar'],
};

function store(redis: Redis = connection(), prefix = uniquePrefix('approvals')) {
  return new RequestStore({ redis, prefix, now: () => new Date('2026-11-23T09:05:00Z') });
}

describe('pending requests in Redis', () => {
  it('stores a request behind an opaque, URL-safe id and reads it back', async () => {
    const requests = store();
    const id = await requests.create(request, 600);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await requests.get(id)).toEqual({ id, request, progress: {} });
  });

  it('stores it under approval:<id> with the expiry asked for', async () => {
    const redis = connection();
    const prefix = uniquePrefix('key');
    const id = await store(redis, prefix).create(request, 600);
    const ttl = await redis.ttl(`${prefix}:approval:${id}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('of 20 racing claims on one request exactly one wins; the others learn who won', async () => {
    const prefix = uniquePrefix('race');
    const id = await store(connection(), prefix).create(request, 600);
    const replicas = Array.from({ length: 4 }, () => store(connection(), prefix));
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => replicas[i % replicas.length]!.claim(id, `U${i}`)),
    );
    const winners = outcomes.filter((o) => o.outcome === 'claimed');
    expect(winners).toHaveLength(1);
    const winner = outcomes.findIndex((o) => o.outcome === 'claimed');
    const losers = outcomes.filter((o) => o.outcome === 'already-claimed');
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser).toEqual({
        outcome: 'already-claimed',
        by: `U${winner}`,
        at: '2026-11-23T09:05:00.000Z',
        decision: 'approved',
        request,
      });
    }
  });

  it('a redelivered click by the same person sees already-claimed, by them', async () => {
    const requests = store();
    const id = await requests.create(request, 600);
    expect(await requests.claim(id, 'UALICE')).toEqual({ outcome: 'claimed', request });
    expect(await requests.claim(id, 'UALICE')).toMatchObject({ outcome: 'already-claimed', by: 'UALICE' });
    expect((await requests.get(id))?.settlement).toEqual({
      decision: 'approved',
      by: 'UALICE',
      at: '2026-11-23T09:05:00.000Z',
    });
  });

  it('an expired request is unknown to get, claim, deny and update, and is not brought back', async () => {
    const redis = connection();
    const prefix = uniquePrefix('expiry');
    const requests = store(redis, prefix);
    const id = await requests.create(request, 600);
    await redis.pexpire(`${prefix}:approval:${id}`, 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await requests.claim(id, 'UALICE')).toEqual({ outcome: 'unknown-or-expired' });
    expect(await requests.deny(id, 'UALICE', 'no')).toEqual({ outcome: 'unknown-or-expired' });
    expect(await requests.update(id, { state: 'creating' })).toBe(false);
    expect(await requests.get(id)).toBeUndefined();
    expect(await redis.exists(`${prefix}:approval:${id}`)).toBe(0);
  });

  it.each([
    ['an id never issued', 'abcdefghijklmnopqrstuv'],
    ['a value that is no id at all', 'approval:*'],
  ])('%s is unknown', async (_name, id) => {
    const requests = store();
    expect(await requests.claim(id, 'UALICE')).toEqual({ outcome: 'unknown-or-expired' });
    expect(await requests.get(id)).toBeUndefined();
  });

  it('a denial records who and why, and a later approval cannot override it', async () => {
    const requests = store();
    const id = await requests.create(request, 600);
    expect(await requests.deny(id, 'UROOT', 'not during the freeze')).toEqual({ outcome: 'denied', request });
    expect(await requests.claim(id, 'UALICE')).toEqual({
      outcome: 'already-claimed',
      by: 'UROOT',
      at: '2026-11-23T09:05:00.000Z',
      decision: 'denied',
      request,
    });
    expect((await requests.get(id))?.settlement).toMatchObject({ decision: 'denied', reason: 'not during the freeze' });
  });

  it('a denial after an approval changes nothing', async () => {
    const requests = store();
    const id = await requests.create(request, 600);
    await requests.claim(id, 'UALICE');
    expect(await requests.deny(id, 'UROOT', 'too late')).toMatchObject({
      outcome: 'already-claimed',
      decision: 'approved',
    });
  });

  it('job progress patches accumulate, and can make the request outlive its button TTL', async () => {
    const redis = connection();
    const prefix = uniquePrefix('progress');
    const requests = store(redis, prefix);
    const id = await requests.create(request, 60);
    await requests.claim(id, 'UALICE');
    expect(await requests.update(id, { state: 'creating', podName: 'api-7f9c-debug-abcde' })).toBe(true);
    expect(
      await requests.update(id, { state: 'ready', expiresAt: '2026-11-23T10:05:00.000Z' }, { keepForSeconds: 3600 }),
    ).toBe(true);
    expect((await requests.get(id))?.progress).toEqual({
      state: 'ready',
      podName: 'api-7f9c-debug-abcde',
      expiresAt: '2026-11-23T10:05:00.000Z',
    });
    expect(await redis.ttl(`${prefix}:approval:${id}`)).toBeGreaterThan(3500);
    await requests.update(id, { state: 'deleted' }, { keepForSeconds: 10 });
    expect(await redis.ttl(`${prefix}:approval:${id}`)).toBeGreaterThan(3500);
  });

  it('slots settle and track each action of one request on its own', async () => {
    const requests = store();
    const id = await requests.create(request, 600);
    expect(await requests.claim(id, 'UALICE', { slot: 'c0' })).toEqual({ outcome: 'claimed', request });
    expect(await requests.claim(id, 'UROOT', { slot: 'n' })).toEqual({ outcome: 'claimed', request });
    expect(await requests.claim(id, 'UCAROL', { slot: 'c0' })).toMatchObject({
      outcome: 'already-claimed',
      by: 'UALICE',
    });
    await requests.update(id, { state: 'ready' }, { slot: 'n' });
    expect(await requests.get(id, { slot: 'n' })).toMatchObject({
      settlement: { by: 'UROOT' },
      progress: { state: 'ready' },
    });
    expect(await requests.get(id, { slot: 'c0' })).toMatchObject({ settlement: { by: 'UALICE' }, progress: {} });
    expect(await requests.get(id)).toEqual({ id, request, progress: {} });
  });

  it('refuses a slot name that could collide with the stored fields', async () => {
    const requests = store();
    await expect(requests.claim('abcdefghijklmnop', 'U1', { slot: 'a:b' })).rejects.toThrow(/slot "a:b" must be/);
  });
});
