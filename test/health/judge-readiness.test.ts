import { describe, expect, it } from 'vitest';
import { type CheckResult, judgeReadiness } from '../../src/health/index.js';

describe('judgeReadiness', () => {
  it.each<{ name: string; checks: Record<string, CheckResult>; ready: boolean }>([
    { name: 'every check passes', checks: { redis: { ok: true }, slack: { ok: true } }, ready: true },
    { name: 'one check fails', checks: { redis: { ok: false, reason: 'down' }, slack: { ok: true } }, ready: false },
    { name: 'no checks at all', checks: {}, ready: true },
  ])('$name: ready is $ready', ({ checks, ready }) => {
    const verdict = judgeReadiness(checks);
    expect(verdict.ready).toBe(ready);
    expect(verdict.text.endsWith(ready ? 'readyz check passed\n' : 'readyz check failed\n')).toBe(true);
  });

  it('lists each check in name order, a failed one with its reason', () => {
    const { text } = judgeReadiness({ slack: { ok: true }, redis: { ok: false, reason: 'Redis is not connected' } });
    expect(text).toBe('[-]redis failed: Redis is not connected\n[+]slack ok\nreadyz check failed\n');
  });
});
