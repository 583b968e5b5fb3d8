import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  type AuditLine,
  AuditLog,
  type AuditLogInput,
  type AuditRecord,
  deriveAuditKey,
  GENESIS_HASH,
  parseAuditLogLines,
} from '../../src/audit/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { startRedis } from '../support/redis-server.js';

const connections: RedisClient[] = [];
function connection(): RedisClient {
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

const macKey = deriveAuditKey('test signing key');
const logs: AuditLog[] = [];
afterAll(() => {
  for (const log of logs) log.close();
});

function auditLog(redis: RedisClient, key: string, extra: Partial<ConstructorParameters<typeof AuditLog>[0]> = {}) {
  const log = new AuditLog({ redis, key, clusterName: 'prod', macKey, ...extra });
  logs.push(log);
  return log;
}

async function stored(log: AuditLog, input: AuditLogInput): Promise<AuditRecord> {
  const record = await log.record(input);
  if (!record) throw new Error('expected the record to be stored, not spooled');
  return record;
}

describe('the audit stream in Redis', () => {
  it('stores a record at seq 1, signed, the cluster filled in, and links the next one to it', async () => {
    const redis = connection();
    const key = `${uniquePrefix('audit')}:audit`;
    const log = auditLog(redis, key);
    const first = await stored(log, { ...click('U1', 'api-1'), time: new Date('2026-11-23T09:00:00Z') });
    const second = await stored(log, click('U2', 'api-2'));
    expect(first).toMatchObject({
      seq: 1,
      time: '2026-11-23T09:00:00.000Z',
      target: { cluster: 'prod' },
      prevHash: GENESIS_HASH,
    });
    expect(first.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect((await redis.xrange(key, '-', '+')).map(([id]) => id)).toEqual(['1-0', '2-0']);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
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
    expect(await a.verify()).toMatchObject({ ok: true, count: 200 });
    expect(await b.verify()).toMatchObject({ ok: true, count: 200 });
    const order = (await a.recent({ limit: 200 })).map((r) => (r.actor.type === 'user' ? r.actor.id : 'bot'));
    expect(order.filter((actor, i) => actor === (i % 2 ? 'UB' : 'UA'))).toHaveLength(200);
  });

  it('two replicas appending at the same time lose no record and break no link', async () => {
    const key = `${uniquePrefix('racing')}:audit`;
    const a = auditLog(connection(), key);
    const b = auditLog(connection(), key);
    const writes: Promise<AuditRecord>[] = [];
    for (let i = 0; i < 50; i++) writes.push(stored(a, click('UA', `pod-${i}`)), stored(b, click('UB', `pod-${i}`)));
    const records = await Promise.all(writes);
    expect(new Set(records.map((r) => r.seq)).size).toBe(100);
    expect(await b.verify()).toMatchObject({ ok: true, count: 100 });
  });

  it("2,000 commands' worth of records from two replicas at once: no error, none missing, one chain", async () => {
    const key = `${uniquePrefix('load')}:audit`;
    const lines: AuditLine[] = [];
    const errors: string[] = [];
    const replicas = [0, 1].map(() =>
      auditLog(connection(), key, { sink: (l) => lines.push(l), onOutage: (err) => errors.push(String(err)) }),
    );
    const writes: Promise<AuditRecord | undefined>[] = [];
    for (let i = 0; i < 2000; i++) {
      for (const action of [
        'command.received',
        'diagnosis.done',
        'button.clicked',
        'approval.granted',
        'job.queued',
      ] as const) {
        writes.push(replicas[i % 2]!.record({ ...click(`U${i}`, `pod-${i}`), action }));
      }
    }
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === 'rejected' || r.value === undefined)).toEqual([]);
    expect(errors).toEqual([]);
    const report = await replicas[0]!.verify({ logged: parseAuditLogLines(lines.map(lineJson).join('\n')).records });
    expect(report).toMatchObject({ ok: true, count: 10_000, first: 1, last: 10_000, logged: 10_000 });
  });

  it('a bounded stream keeps about maxLen records, declares each trim in the chain, and still verifies', async () => {
    const redis = connection();
    const key = `${uniquePrefix('bounded')}:audit`;
    const log = auditLog(redis, key, { maxLen: 100 });
    for (let i = 0; i < 400; i++) await log.record(click('U1', `pod-${i}`));
    const length = await redis.xlen(key);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(102);
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, count: length });
    expect(report.trimmedThrough).toBeGreaterThan(290);
    expect((await log.recent({ limit: 200 })).filter((r) => r.action === 'audit.trimmed').length).toBeGreaterThan(0);
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
  it('records are spooled to the audit log at once, then chained behind a gap record when Redis returns', async () => {
    const server = await startRedis({ private: true });
    const port = Number(new URL(server.url).port);
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => {});
    const lines: AuditLine[] = [];
    const outages: string[] = [];
    const log = auditLog(redis, 'x:audit', {
      sink: (l) => lines.push(l),
      retryMs: 200,
      timeoutMs: 1000,
      onOutage: (err) => outages.push(err ? 'down' : 'up'),
    });
    let back: Awaited<ReturnType<typeof startRedis>> | undefined;
    try {
      for (let i = 0; i < 3; i++) await stored(log, click('U1', `before-${i}`));
      await server.stop();
      // Nothing is lost and no caller waits: each record is answered as spooled, its line already written.
      for (let i = 0; i < 20; i++) expect(await log.record(click('U1', `during-${i}`))).toBeUndefined();
      expect(lines.filter((l) => l.kind === 'spooled')).toHaveLength(20);
      back = await startRedis({ private: true, port });
      // A flushed-looking Redis: the bot still knows its head, so it writes a reset record first, then the gap.
      await vi.waitFor(async () => expect(await redis.xlen('x:audit')).toBeGreaterThanOrEqual(22), { timeout: 10_000 });
      await log.idle();
      expect(outages).toEqual(['down', 'up']);
      const records = await log.readAll();
      expect(records.map((r) => r.action).slice(0, 2)).toEqual(['audit.reset', 'audit.gap']);
      expect(records[1]!.meta).toMatchObject({ count: 20, dropped: 0 });
      expect(records.slice(2).map((r) => r.target.pod)).toEqual([...Array(20).keys()].map((i) => `during-${i}`));
      // The audit log now holds every record chained; the lines alone verify the whole chain, outage included.
      const logged = parseAuditLogLines(lines.map(lineJson).join('\n'));
      expect(logged.records.map((r) => r.seq)).toEqual([...Array(25).keys()].map((i) => i + 1));
    } finally {
      redis.disconnect();
      await back?.stop();
    }
  });

  it('a Redis that never answers does not hold the caller: the record is spooled after the timeout', async () => {
    // maxRetriesPerRequest null (BullMQ's setting) queues commands until Redis comes back: forever, here.
    const port = await closedPort();
    const hanging = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    hanging.on('error', () => {});
    const lines: AuditLine[] = [];
    try {
      const log = auditLog(hanging, 'x:audit', { timeoutMs: 200, retryMs: 60_000, sink: (l) => lines.push(l) });
      expect(await log.record(click('U1', 'api-1'))).toBeUndefined();
      expect(lines).toEqual([{ kind: 'spooled', entry: expect.objectContaining({ action: 'button.clicked' }) }]);
    } finally {
      hanging.disconnect();
    }
  });

  it('the spool is bounded: the oldest beyond it stay only in the audit log, and the gap record counts them', async () => {
    const port = await closedPort();
    const down = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    down.on('error', () => {});
    const lines: AuditLine[] = [];
    try {
      const log = auditLog(down, 'x:audit', { spoolMax: 5, retryMs: 60_000, sink: (l) => lines.push(l) });
      for (let i = 0; i < 12; i++) await log.record(click('U1', `p-${i}`));
      expect(lines.filter((l) => l.kind === 'spooled')).toHaveLength(12);
      expect((log as unknown as { pending: unknown[] }).pending).toHaveLength(5);
    } finally {
      down.disconnect();
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
    expect((failure as { record?: AuditRecord }).record?.seq).toBe(1);
    expect((await log.recent()).map((r) => r.target.pod)).toEqual(['api-1']);
  });
});

/** A sink line as the audit logger writes it (the JSON parseAuditLogLines reads). */
function lineJson(line: AuditLine): string {
  if (line.kind === 'record') return JSON.stringify({ log: 'audit', audit: line.record });
  if (line.kind === 'spooled') return JSON.stringify({ log: 'audit', audit: line.entry, spooled: true });
  return JSON.stringify({ log: 'audit', anchor: line.anchor });
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
