import type { AuditRecord } from './types.js';

/**
 * Short Slack mrkdwn lines for the ephemeral `/debugdead audit` answer, one per record:
 * `2026-11-23 09:24:11Z <@U1> button.clicked prod:shop/api-7f ok`. Users appear as mentions, so the reader sees
 * names while the stored record keeps ids. The text stays within `maxChars` (default 4000, the message text length
 * Slack advises) by leaving out the oldest records and saying how many.
 */
export function formatAuditRecords(records: readonly AuditRecord[], options: { maxChars?: number } = {}): string {
  if (records.length === 0) return 'No audit records match.';
  const maxChars = options.maxChars ?? 4000;
  const lines = records.map(formatAuditRecord);
  const full = lines.join('\n');
  if (full.length <= maxChars) return full;
  // Records come oldest first: the newest that fit stay, under a note saying how many older ones gave way.
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const note = omitted(i);
    if (used + lines[i]!.length + 1 + note.length > maxChars) break;
    used += lines[i]!.length + 1;
    kept.unshift(lines[i]!);
  }
  return [omitted(lines.length - kept.length), ...kept].join('\n');
}

function omitted(count: number): string {
  return `_${count} older record(s) not shown; ask for fewer._`;
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
