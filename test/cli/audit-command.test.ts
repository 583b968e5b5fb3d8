import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, auditLogSink, createAuditLogger, deriveAuditKey } from '../../src/audit/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { newRedis, testRedisEnv, uniquePrefix } from '../support/redis.js';
import { runCli } from './run-cli.js';

const SIGNING_KEY = 'k'.repeat(40);
let dir: string;
let redis: RedisClient;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'debugdead-audit-cli-'));
  redis = newRedis();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await redis.quit();
});

/** A bot's trail: 30 records in Redis under its own prefix, anchored every 10, its audit log in a file. */
async function trail(): Promise<{ cwd: string; auditLog: string; prefix: string }> {
  const prefix = uniquePrefix('cli');
  const cwd = mkdtempSync(join(dir, 'bot-'));
  const auditLog = join(cwd, 'audit.log');
  writeFileSync(join(cwd, 'debugdead.yaml'), `redis:\n  prefix: '${prefix}'\ncluster:\n  name: prod\n`);
  const log = new AuditLog({
    redis,
    key: `${prefix}:audit`,
    clusterName: 'prod',
    anchorEvery: 10,
    macKey: deriveAuditKey(SIGNING_KEY),
    sink: auditLogSink(createAuditLogger(auditLog)),
  });
  for (let i = 0; i < 30; i++) {
    await log.record({
      actor: { type: 'user', id: 'U1' },
      action: 'button.clicked',
      target: { pod: `p-${i}` },
      result: 'ok',
    });
  }
  log.close();
  return { cwd, auditLog, prefix };
}

/** Offline runs point at a port where no Redis listens: the export check must not need one. */
const env = { REDIS_URL: 'redis://127.0.0.1:1', DEBUGDEAD_SIGNING_KEY: SIGNING_KEY };

describe('debugdead audit verify / export', () => {
  it('verifies an intact trail against the anchors and copies in the audit log', async () => {
    const { cwd, auditLog } = await trail();
    const run = await runCli(['audit', 'verify', '--log', auditLog, '--no-slack'], {
      cwd,
      env: { ...env, ...testRedisEnv() },
    });
    expect(run.stdout).toBe(
      'Audit trail verified: records 1–30 (30), checked against 3 anchor(s) and 30 logged copies.\n',
    );
    expect(run.code).toBe(0);
  });

  it('names the records dropped from Redis, with exit code 1', async () => {
    const { cwd, auditLog, prefix } = await trail();
    for (let seq = 25; seq <= 30; seq++) await redis.xdel(`${prefix}:audit`, `${seq}-0`);
    await redis.hset(`${prefix}:audit:head`, 'seq', '24');
    const run = await runCli(['audit', 'verify', '--log', auditLog], {
      cwd,
      env: { ...env, ...testRedisEnv() },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Audit trail NOT verified: /);
    expect(run.stdout).toMatch(/ {2}- records 25–30 missing since the anchor of \d{4}-\d\d-\d\d \d\d:\d\dZ\n/);
  });

  it('exports records with their hashes, and the export verifies offline against the audit log', async () => {
    const { cwd, auditLog } = await trail();
    const out = join(cwd, 'export.jsonl');
    const exported = await runCli(['audit', 'export', '--since', '1h', '--format', 'jsonl', '--out', out], {
      cwd,
      env: { ...env, ...testRedisEnv() },
    });
    expect(exported.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(30);
    expect(JSON.parse(lines[0]!)).toMatchObject({ seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Offline: no Redis at all.
    const offline = await runCli(['audit', 'verify', '--file', out, '--log', auditLog, '--no-slack'], { cwd, env });
    expect(offline.stdout).toMatch(/^Audit trail verified: records 1–30 \(30\)/);
    expect(offline.code).toBe(0);

    writeFileSync(out, lines.map((l, i) => (i === 6 ? l.replace('"U1"', '"U2"') : l)).join('\n'));
    const edited = await runCli(['audit', 'verify', '--file', out, '--log', auditLog, '--no-slack'], { cwd, env });
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain('  - record 7 was changed after it was written');
  });

  it('a bad --since and an unknown audit action are usage errors', async () => {
    const { cwd } = await trail();
    expect((await runCli(['audit', 'export', '--since', 'soon'], { cwd, env })).code).toBe(2);
    expect((await runCli(['audit', 'rewrite'], { cwd, env })).code).toBe(2);
  });
});
