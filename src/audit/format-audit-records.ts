import type { AuditRecord } from './types.js';

/**
 * Short Slack mrkdwn lines for the ephemeral `/debugdead audit` answer, one per record:
 * `2026-11-23 09:24:11Z <@U1> button.clicked prod:shop/api-7f ok`. Users appear as mentions, so the reader sees
 * names while the stored record keeps ids.
 */
export function formatAuditRecords(records: readonly AuditRecord[]): string {
  if (records.length === 0) return 'No audit records match.';
  return records.map(formatAuditRecord).join('\n');
}

function formatAuditRecord(r: AuditRecord): string {
  const time = `\`${r.time.slice(0, 19).replace('T', ' ')}Z\``;
  const actor = r.actor.type === 'user' ? `<@${escapeMrkdwn(r.actor.id)}>` : 'bot';
  return [time, actor, r.action, escapeMrkdwn(formatTarget(r.target)), r.result].join(' ');
}

function formatTarget(t: AuditRecord['target']): string {
  if (t.pod !== undefined) return `${t.cluster}:${t.namespace ?? '?'}/${t.pod}`;
  if (t.node !== undefined) return `${t.cluster}:node/${t.node}`;
  if (t.namespace !== undefined) return `${t.cluster}:${t.namespace}`;
  return t.cluster;
}

/** Slack mrkdwn reads &, < and > as control characters; Slack asks apps to escape them as &amp; &lt; &gt;. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
