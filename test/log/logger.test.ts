import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/index.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

describe('the application logger', () => {
  it('writes JSON lines with the level and message', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).info({ pod: 'demo/web-1' }, 'diagnosis done');
    expect(lines[0]).toMatchObject({ level: 30, msg: 'diagnosis done', pod: 'demo/web-1', app: 'debugdead' });
  });

  it.each([
    ['a bot token', { botToken: 'xoxb-secret' }, 'botToken'],
    ['a nested signing secret', { slack: { signingSecret: 'shh' } }, 'slack'],
    ['an authorization header', { req: { headers: { authorization: 'Bearer abc' } } }, 'req'],
    ['a password field', { password: 'hunter2' }, 'password'],
  ])('redacts %s', (_name, fields, _key) => {
    const { lines, destination } = capture();
    createLogger({ destination }).info(fields, 'x');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toMatch(/xoxb-secret|shh|Bearer abc|hunter2/);
    expect(text).toContain('[REDACTED]');
  });

  it('drops lines below its level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });
});
