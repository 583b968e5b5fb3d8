import type { AuditRecord } from './types.js';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * The audit channel's copy of a record, one line of Slack mrkdwn. Everything that came from a person or a pod (the
 * detail, names) is escaped (`& < >`, as Slack asks of apps) and stripped of control, bidi and zero-width characters,
 * so a typed `<!channel>` or a forged mention stays text; only a well-formed user id becomes a mention.
 */
export function formatAuditMirror(record: AuditRecord): string {
  const who =
    record.actor.type === 'user'
      ? SLACK_USER_ID.test(record.actor.id)
        ? `<@${record.actor.id}>`
        : clean(record.actor.id)
      : 'bot';
  const what = clean([record.target.namespace, record.target.pod ?? record.target.node].filter(Boolean).join('/'));
  const detail = record.detail ? `: ${clean(record.detail.slice(0, 300))}` : '';
  return `\`${record.action}\` ${who} ${what} → ${record.result}${detail}`;
}

function clean(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
