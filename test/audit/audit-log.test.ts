import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AuditLog,
  type AuditLogInput,
  type AuditRecord,
  auditLogSink,
  createAuditLogger,
  GENESIS_HASH,
  isAuditUnavailable,
} from '../../src/audit/index.js';
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

const click = (user: string, pod: string): AuditLogInput => ({
  actor: { type: 'user', id: user },
  action: 'button.clicked',
  target: { namespace: 'shop', pod },
  requestId: 'req1',
  result: 'ok',
});

function auditLog(redis: Redis, key: string, extra: Partial<ConstructorParameters<typeof AuditLog>[0]> = {}) {
  return new AuditLog({ redis, key, clusterName: 'prod', ...extra });
}

describe('the audit stream in Redis', () => {
  it('stores a record with its stream id, the cluster filled in, and links it to the one before', async () => {
    const log = auditLog(connection(), `${uniquePrefix('audit')}:audit`);
    const first = await log.record({ ...click('U1', 'api-1'), time: new Date('2026-11-23T09:00:00Z') });
    const second = await log.record(click('U2', 'api-2'));
    expect(first).toMatchObject({
      time: '2026-11-23T09:00:00.000Z',
      target: { cluster: 'prod' },
      prevHash: GENESIS_HASH,
    });
    expect(first.seq).toMatch(/^\d+-\d+$/);
    expect(second.prevHash).toBe(first.hash);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('two replicas appending in turn 100 times leave one chain that verifies', async () => {
    const key = `${uniquePrefix('replicas')}:audit`;
    const a = auditLog(connection(), key);
    const b = auditLog(connection(), key);
    // Each replica's idea of the head is stale every time it appends: the compare-and-set must catch up each time.
    for (let i = 0; i < 100; i++) {
      await a.record(click('UA', `pod-${i}`));
      await b.record(click('UB', `pod-${i}`));
    }
    expect(await a.verify()).toEqual({ ok: true, count: 200 });
    expect(await b.verify()).toEqual({ ok: true, count: 200 });
    const order = (await a.recent({ limit: 200 })).map((r) => (r.actor.type === 'user' ? r.actor.id : 'bot'));
    expect(order.filter((actor, i) => actor === (i % 2 ? 'UB' : 'UA'))).toHaveLength(200);
  });

  it('two replicas appending at the same time lose no record and break no link', async () => {
    const key = `${uniquePrefix('racing')}:audit`;
    const a = auditLog(connection(), key);
    const b = auditLog(connection(), key);
    const writes: Promise<AuditRecord>[] = [];
    for (let i = 0; i < 50; i++) writes.push(a.record(click('UA', `pod-${i}`)), b.record(click('UB', `pod-${i}`)));
    const records = await Promise.all(writes);
    expect(new Set(records.map((r) => r.prevHash)).size).toBe(100);
    expect(await b.verify()).toEqual({ ok: true, count: 100 });
  });

  it('a bounded stream keeps only about maxLen records and still verifies', async () => {
    const redis = connection();
    const key = `${uniquePrefix('bounded')}:audit`;
    const log = auditLog(redis, key, { maxLen: 100 });
    for (let i = 0; i < 400; i++) await log.record(click('U1', `pod-${i}`));
    const length = await redis.xlen(key);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(400);
    expect(await log.verify()).toEqual({ ok: true, count: length });
  });

  it('an edited record in the stream is reported as edited', async () => {
    const redis = connection();
    const key = `${uniquePrefix('edit')}:audit`;
    const log = auditLog(redis, key);
    const records: AuditRecord[] = [];
    for (let i = 0; i < 5; i++) records.push(await log.record(click('U1', `pod-${i}`)));
    // Streams cannot be edited in place: rewrite the whole stream with record 2 changed, as an attacker would.
    await redis.del(key);
    for (const [i, r] of records.entries()) {
      const { seq: _seq, ...stored } = r;
      const forged = i === 2 ? { ...stored, result: 'denied' } : stored;
      await redis.xadd(key, '*', 'r', JSON.stringify(forged));
    }
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 2, reason: 'edited' });
  });

  it('a record deleted from the middle or the end of the stream is detected', async () => {
    const redis = connection();
    const key = `${uniquePrefix('delete')}:audit`;
    const log = auditLog(redis, key);
    const records: AuditRecord[] = [];
    for (let i = 0; i < 5; i++) records.push(await log.record(click('U1', `pod-${i}`)));
    await redis.xdel(key, records[4]!.seq!);
    expect(await log.verify()).toEqual({ ok: false, brokenAt: 3, reason: 'head-mismatch', seq: records[3]!.seq });
    await redis.xdel(key, records[2]!.seq!);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 2, reason: 'missing' });
  });

  it('a record deleted from the start of an untrimmed stream is detected', async () => {
    const redis = connection();
    const key = `${uniquePrefix('first')}:audit`;
    const log = auditLog(redis, key);
    const first = await log.record(click('U1', 'pod-0'));
    await log.record(click('U1', 'pod-1'));
    await redis.xdel(key, first.seq!);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 0, reason: 'anchor-mismatch' });
  });

  it('shows the most recent records oldest first, filtered by pod, user or request', async () => {
    const log = auditLog(connection(), `${uniquePrefix('recent')}:audit`);
    for (let i = 0; i < 30; i++)
      await log.record({ ...click(i % 2 ? 'U1' : 'U2', `pod-${i % 3}`), requestId: `r${i}` });
    await log.record({
      actor: { type: 'bot' },
      action: 'pod.deleted',
      target: { namespace: 'shop', pod: 'pod-0' },
      result: 'ok',
    });

    const last3 = await log.recent({ limit: 3 });
    expect(last3.map((r) => r.requestId)).toEqual(['r28', 'r29', undefined]);
    const byPod = await log.recent({ limit: 4, pod: 'shop/pod-0' });
    expect(byPod.map((r) => r.requestId)).toEqual(['r21', 'r24', 'r27', undefined]);
    const byUser = await log.recent({ limit: 100, user: 'U1' });
    expect(byUser).toHaveLength(15);
    expect(byUser.every((r) => r.actor.type === 'user' && r.actor.id === 'U1')).toBe(true);
    expect(await log.recent({ requestId: 'r7' })).toHaveLength(1);
    expect(await log.recent({ pod: 'nothing-here' })).toEqual([]);
  });

  it('a mirror gets every stored record, and a failing mirror loses nothing', async () => {
    const mirrored: string[] = [];
    const failures: string[] = [];
    const log = auditLog(connection(), `${uniquePrefix('mirror')}:audit`, {
      mirror: async (r) => {
        if (r.target.pod === 'boom') throw new Error('channel_not_found');
        mirrored.push(r.target.pod!);
      },
      onMirrorError: (err, r) => failures.push(`${r.target.pod}: ${(err as Error).message}`),
    });
    await log.record(click('U1', 'api-1'));
    await log.record(click('U1', 'boom'));
    await log.idle();
    expect(mirrored).toEqual(['api-1']);
    expect(failures).toEqual(['boom: channel_not_found']);
    expect((await log.recent()).map((r) => r.target.pod)).toEqual(['api-1', 'boom']);
  });
});

describe('when Redis is down', () => {
  it('the record still reaches the audit log file, and the caller is told Redis did not take it', async () => {
    const port = await closedPort();
    const down = new Redis(`redis://127.0.0.1:${port}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const dir = await mkdtemp(join(tmpdir(), 'debugdead-audit-'));
    try {
      const file = join(dir, 'audit.log');
      const log = auditLog(down, 'x:audit', { sink: auditLogSink(createAuditLogger(file)) });
      const failure = await log.record(click('U1', 'api-1')).catch((e: unknown) => e);
      expect(isAuditUnavailable(failure)).toBe(true);
      expect(failure).toMatchObject({ store: 'redis', entry: { target: { pod: 'api-1' } } });
      const lines = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual([
        expect.objectContaining({
          level: 30,
          log: 'audit',
          audit: expect.objectContaining({ action: 'button.clicked', actor: { type: 'user', id: 'U1' } }),
        }),
      ]);
    } finally {
      down.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a Redis that never answers is reported after the timeout instead of holding the caller', async () => {
    // maxRetriesPerRequest null (BullMQ's setting) queues commands until Redis comes back: forever, here.
    const port = await closedPort();
    const hanging = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    hanging.on('error', () => {});
    const lines: string[] = [];
    try {
      const log = auditLog(hanging, 'x:audit', { timeoutMs: 200, sink: (e) => lines.push(e.action) });
      await expect(log.record(click('U1', 'api-1'))).rejects.toMatchObject({
        name: 'AuditUnavailable',
        store: 'redis',
      });
      expect(lines).toEqual(['button.clicked']);
    } finally {
      hanging.disconnect();
    }
  });
});

describe('when the audit log cannot be written', () => {
  it('Redis still gets the record, and the caller is told the log line is missing', async () => {
    const log = auditLog(connection(), `${uniquePrefix('nolog')}:audit`, {
      sink: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    });
    const failure = await log.record(click('U1', 'api-1')).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'AuditUnavailable', kind: 'Unavailable', store: 'log' });
    expect((failure as { record?: AuditRecord }).record?.seq).toMatch(/^\d+-\d+$/);
    expect((await log.recent()).map((r) => r.target.pod)).toEqual(['api-1']);
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
