import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, auditLogSink, createAuditLogger } from '../../src/audit/index.js';

const entry: AuditEntry = {
  time: '2026-11-23T09:00:00.000Z',
  actor: { type: 'user', id: 'U1' },
  action: 'approval.granted',
  target: { cluster: 'prod', namespace: 'shop', pod: 'api-1' },
  requestId: 'req1',
  result: 'ok',
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
    write(entry);
    // Synchronous destination: the line is in the file as soon as the call returns, no flush needed.
    const line = JSON.parse(await readFile(file, 'utf8'));
    expect(line).toMatchObject({ level: 30, log: 'audit', msg: 'audit', audit: entry });
    expect(await readFile(appFile, 'utf8')).toBe('');
  });

  it('writes one JSON line per record, in order, into a directory it creates', async () => {
    const file = join(dir, 'nested', 'audit.log');
    const write = auditLogSink(createAuditLogger(file));
    write(entry);
    write({ ...entry, action: 'pod.created' });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.audit.action)).toEqual(['approval.granted', 'pod.created']);
    expect(typeof lines[0].time).toBe('string');
  });
});
