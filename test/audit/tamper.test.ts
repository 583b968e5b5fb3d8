import { afterAll, describe, expect, it } from 'vitest';
import {
  type AuditLine,
  AuditLog,
  type AuditLogInput,
  type AuditRecord,
  chainRecord,
  deriveAuditKey,
  formatAuditReport,
} from '../../src/audit/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

/**
 * The attacks of someone who holds Redis (any pod in the cluster, if Redis were open), each tampering with the real
 * stream the bot wrote. Each must be detected, and reported with the records it concerns, by verifying the stream
 * against the anchors and copies the bot wrote outside Redis (the audit log and the audit channel).
 */
const macKey = deriveAuditKey('test signing key');
const redis: RedisClient = newRedis();
const logs: AuditLog[] = [];
afterAll(async () => {
  for (const log of logs) log.close();
  await redis.quit();
});

const click = (i: number): AuditLogInput => ({
  actor: { type: 'user', id: `U${i % 4}` },
  action: 'button.clicked',
  target: { namespace: 'shop', pod: `api-${i}` },
  result: 'ok',
});

/** A bot that wrote `n` records, anchoring every 10, with its audit log kept in memory. */
async function botWith(n: number, options: { macKey?: Buffer } = { macKey }) {
  const key = `${uniquePrefix('tamper')}:audit`;
  const lines: AuditLine[] = [];
  const log = new AuditLog({
    redis,
    key,
    clusterName: 'prod',
    anchorEvery: 10,
    sink: (l) => lines.push(l),
    ...options,
  });
  logs.push(log);
  for (let i = 1; i <= n; i++) await log.record(click(i));
  const anchors = () => lines.flatMap((l) => (l.kind === 'anchor' ? [l.anchor] : []));
  const logged = () => lines.flatMap((l) => (l.kind === 'record' ? [l.record] : []));
  const report = async (evidence: { logged?: boolean } = {}) =>
    formatAuditReport(await log.verify({ anchors: anchors(), ...(evidence.logged ? { logged: logged() } : {}) }));
  return { key, log, lines, anchors, report };
}

async function streamRecords(key: string): Promise<AuditRecord[]> {
  return (await redis.xrange(key, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!) as AuditRecord);
}

async function rewrite(key: string, records: readonly AuditRecord[]): Promise<void> {
  await redis.del(key);
  for (const r of records) await redis.xadd(key, `${r.seq}-0`, 'r', JSON.stringify(r));
  const last = records[records.length - 1];
  if (last) await redis.hset(`${key}:head`, 'hash', last.hash, 'seq', String(last.seq));
}

describe('tampering with the audit stream in Redis is detected and reported with its range', () => {
  it('the newest records dropped and the head rewound to match', async () => {
    const bot = await botWith(30);
    const kept = (await streamRecords(bot.key)).slice(0, 23);
    await rewrite(bot.key, kept);
    await redis.hincrby(`${bot.key}:head`, 'count', -7);
    const report = await bot.report();
    expect(report[0]).toMatch(/^Audit trail NOT verified/);
    expect(report.slice(1)).toEqual([
      expect.stringMatching(/^records 24–30 missing since the anchor of \d{4}-\d\d-\d\d \d\d:\d\dZ$/),
    ]);
  });

  it('the declared trim raised in the head, then the oldest records deleted', async () => {
    const bot = await botWith(30);
    await redis.hset(`${bot.key}:head`, 'trimmed', '12', 'count', '500000');
    for (let seq = 1; seq <= 12; seq++) await redis.xdel(bot.key, `${seq}-0`);
    expect((await bot.report()).slice(1)).toEqual([
      'records 1–12 deleted from the start of the stream: the chain declares trimming only of no record',
    ]);
  });

  it('the stream and its head deleted', async () => {
    const bot = await botWith(30);
    await redis.del(bot.key, `${bot.key}:head`);
    expect((await bot.report()).slice(1)).toEqual([
      expect.stringMatching(/^records 1–30 missing since the anchor of /),
    ]);
  });

  it('a record edited and the SHA-256 chain and head recomputed after it', async () => {
    const bot = await botWith(30);
    const records = await streamRecords(bot.key);
    const forged: AuditRecord[] = records.slice(0, 16);
    for (const r of records.slice(16)) {
      const { prevHash: _p, hash: _h, mac: _m, seq: _s, ...fields } = r;
      const edited = r.seq === 17 ? { ...fields, actor: { type: 'user' as const, id: 'UVICTIM' } } : fields;
      forged.push(chainRecord(forged[forged.length - 1]!, edited)); // no key: the attacker has none
    }
    await rewrite(bot.key, forged);
    const report = await bot.report({ logged: true });
    expect(report).toContain('record 17 is not signed by the bot: forged, or rewritten with a recomputed hash');
    expect(report).toContain('record 17 differs from the logged copy');
    expect(report).toEqual(expect.arrayContaining([expect.stringMatching(/^record 20 differs from the anchor of /)]));
  });

  it('a forged record appended that frames another user', async () => {
    const bot = await botWith(30);
    const records = await streamRecords(bot.key);
    const { mac: _m, ...framed } = chainRecord(records[29]!, {
      time: new Date().toISOString(),
      actor: { type: 'user', id: 'UVICTIM' },
      action: 'approval.granted',
      target: { cluster: 'prod', namespace: 'kube-system', pod: 'kube-proxy-x' },
      result: 'ok',
    });
    await rewrite(bot.key, [...records, framed]);
    expect((await bot.report()).slice(1)).toEqual([
      'record 31 is not signed by the bot: forged, or rewritten with a recomputed hash',
    ]);
    // Without the signing key the logged copies still tell: the bot goes on writing, and the log lacks record 31.
    await bot.log.record(click(99));
    const unsigned = new AuditLog({ redis, key: bot.key, clusterName: 'prod' });
    logs.push(unsigned);
    const logged = bot.lines.flatMap((l) => (l.kind === 'record' ? [l.record] : []));
    expect(formatAuditReport(await unsigned.verify({ logged }))).toContain(
      'record 31 is in the stream but not in the audit log: it was not written by the bot',
    );
  });

  it('Redis flushed while the bot runs: the chain does not restart silently at genesis', async () => {
    const bot = await botWith(30);
    await redis.del(bot.key, `${bot.key}:head`); // what FLUSHALL does to our keys, without disturbing other tests
    for (let i = 31; i <= 37; i++) await bot.log.record(click(i));
    const records = await streamRecords(bot.key);
    expect(records[0]).toMatchObject({ seq: 31, action: 'audit.reset', meta: { foundSeq: 0, expectedSeq: 30 } });
    expect((await bot.report()).slice(1)).toEqual([
      expect.stringMatching(
        /^records 1–30 missing: the bot found the stream empty at .* \(Redis flushed or tampered with\)$/,
      ),
    ]);
  });

  it('Redis flushed and the bot restarted: a new chain from genesis is caught by the older anchors', async () => {
    const bot = await botWith(30);
    await redis.del(bot.key, `${bot.key}:head`);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the new records are written after the last anchor
    const restarted = new AuditLog({ redis, key: bot.key, clusterName: 'prod', macKey });
    logs.push(restarted);
    for (let i = 0; i < 7; i++) await restarted.record(click(i));
    const report = formatAuditReport(await restarted.verify({ anchors: bot.anchors() }));
    expect(report.slice(1)).toEqual([
      expect.stringMatching(/^stream restarted at genesis after record 30 \(the anchor of /),
    ]);
    expect(formatAuditReport(await restarted.verify())[0]).toMatch(
      /^Audit trail verified: records 1–7 \(7\), with no anchors/,
    );
  });
});
