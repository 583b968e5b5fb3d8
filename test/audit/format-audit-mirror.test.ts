import { describe, expect, it } from 'vitest';
import { type AuditRecord, formatAuditMirror } from '../../src/audit/index.js';

const base: AuditRecord = {
  seq: 1,
  time: '2026-12-07T09:00:00.000Z',
  actor: { type: 'user', id: 'U0ALICE01' },
  action: 'command.received',
  target: { cluster: 'prod', namespace: 'shop', pod: 'api-1' },
  result: 'denied',
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

describe('the audit channel copy of a record', () => {
  it('names the user as a mention and the target as namespace/pod', () => {
    expect(formatAuditMirror(base)).toBe('`command.received` <@U0ALICE01> shop/api-1 → denied');
  });

  it.each([
    ['a typed broadcast', 'invalid: <!channel> now', 'invalid: &lt;!channel&gt; now'],
    ['a forged mention', 'by <@U0BOB0002|bob>', 'by &lt;@U0BOB0002|bob&gt;'],
    ['a link', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['control, bidi and zero-width characters', 'a\u0000b\u202ec\u200bd\u009be', 'abcde'],
    ['an ampersand', 'a & b', 'a &amp; b'],
  ])('%s in the detail stays text', (_what, detail, shown) => {
    expect(formatAuditMirror({ ...base, detail })).toBe(
      `\`command.received\` <@U0ALICE01> shop/api-1 → denied: ${shown}`,
    );
  });

  it('an actor id that is not a Slack id is text, not a mention', () => {
    expect(formatAuditMirror({ ...base, actor: { type: 'user', id: '<!here>' } })).toContain('&lt;!here&gt;');
  });
});
