import { describe, expect, it } from 'vitest';
import { type AuditRecord, formatAuditRecords } from '../../src/audit/index.js';

const base: AuditRecord = {
  seq: 1,
  time: '2026-11-23T09:24:11.123Z',
  actor: { type: 'user', id: 'U1' },
  action: 'button.clicked',
  target: { cluster: 'prod', namespace: 'shop', pod: 'api-7f' },
  result: 'ok',
  detail: 'a long detail that the short listing leaves out',
  prevHash: 'a',
  hash: 'b',
};

describe('the /debugdead audit listing', () => {
  it.each([
    ['a user acting on a pod', base, '`2026-11-23 09:24:11Z` <@U1> button.clicked prod:shop/api-7f ok'],
    [
      'the bot deleting a pod at its TTL',
      { ...base, actor: { type: 'bot' }, action: 'pod.deleted' },
      '`2026-11-23 09:24:11Z` bot pod.deleted prod:shop/api-7f ok',
    ],
    [
      'a node shell request',
      { ...base, action: 'approval.requested', target: { cluster: 'prod', node: 'node-1' }, result: 'pending' },
      '`2026-11-23 09:24:11Z` <@U1> approval.requested prod:node/node-1 pending',
    ],
    [
      'a denied click in a namespace',
      { ...base, target: { cluster: 'prod', namespace: 'kube-system' }, result: 'denied' },
      '`2026-11-23 09:24:11Z` <@U1> button.clicked prod:kube-system denied',
    ],
    [
      'an error with only the cluster known',
      { ...base, actor: { type: 'bot' }, action: 'error', target: { cluster: 'a<b>&c' }, result: 'error' },
      '`2026-11-23 09:24:11Z` bot error a&lt;b&gt;&amp;c error',
    ],
  ] as [string, AuditRecord, string][])('shows %s on one short line', (_name, record, line) => {
    expect(formatAuditRecords([record])).toBe(line);
  });

  it('lists records one per line in the order given', () => {
    const text = formatAuditRecords([base, { ...base, action: 'approval.granted' }]);
    expect(text.split('\n').map((l) => l.split(' ')[3])).toEqual(['button.clicked', 'approval.granted']);
  });

  it('leaves out the oldest records, and says how many, when the listing is too long for one message', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      ...base,
      target: { cluster: 'prod', namespace: 'shop', pod: `pod-${i}` },
    }));
    const text = formatAuditRecords(many, { maxChars: 1000 });
    expect(text.length).toBeLessThanOrEqual(1000);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`_${200 - (lines.length - 1)} older record(s) not shown; ask for fewer._`);
    expect(lines.at(-1)).toContain('pod-199');
    expect(formatAuditRecords(many).length).toBeLessThanOrEqual(4000);
  });

  it('says so when nothing matches', () => {
    expect(formatAuditRecords([])).toBe('No audit records match.');
  });
});
