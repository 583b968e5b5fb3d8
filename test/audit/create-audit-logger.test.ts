import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditLogSink, createAuditLogger, parseAuditLogLines } from '../../src/audit/index.js';

const record: AuditRecord = {
  seq: 1,
  time: '2026-11-23T09:00:00.000Z',
  actor: { type: 'user', id: 'U1' },
  action: 'approval.granted',
  target: { cluster: 'prod', namespace: 'shop', pod: 'api-1' },
  requestId: 'req1',
  result: 'ok',
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

describe('the audit log stream', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'debugdead-auditlog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the audit line even when the application log level is silent', async () => {
    const file = join(dir, 'audit.log');
    const appFile = join(dir, 'app.log');
    const app = pino({ level: 'silent' }, pino.destination({ dest: appFile, sync: true }));
    const write = auditLogSink(createAuditLogger(file));
    app.info('an application line nobody will see');
    write({ kind: 'record', record });
    // Synchronous destination: the line is in the file as soon as the call returns, no flush needed.
    const line = JSON.parse(await readFile(file, 'utf8'));
    expect(line).toMatchObject({ level: 30, log: 'audit', msg: 'audit', audit: record });
    expect(await readFile(appFile, 'utf8')).toBe('');
  });

  it('writes one JSON line per record, in order, into a directory it creates', async () => {
    const file = join(dir, 'nested', 'audit.log');
    const write = auditLogSink(createAuditLogger(file));
    write({ kind: 'record', record });
    write({ kind: 'record', record: { ...record, seq: 2, action: 'pod.created' } });
    write({ kind: 'anchor', anchor: { seq: 2, hash: 'b'.repeat(64), time: '2026-11-23T10:00:00.000Z' } });
    write({ kind: 'spooled', entry: { ...record, action: 'pod.deleted' } });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.audit?.action ?? 'anchor')).toEqual([
      'approval.granted',
      'pod.created',
      'anchor',
      'pod.deleted',
    ]);
    expect(typeof lines[0].time).toBe('string');
    // Read back as the verifier reads an audit log, application lines mixed in.
    const parsed = parseAuditLogLines(`${await readFile(file, 'utf8')}{"level":30,"msg":"app line"}\nnot json\n`);
    expect(parsed.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(parsed.anchors).toEqual([{ seq: 2, hash: 'b'.repeat(64), time: '2026-11-23T10:00:00.000Z' }]);
    expect(parsed.spooled.map((e) => e.action)).toEqual(['pod.deleted']);
    expect(parsed.skipped).toBe(2);
  });
});
