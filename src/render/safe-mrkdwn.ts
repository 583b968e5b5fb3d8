import { redact } from '../redact/index.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { truncateEnd } from './limits.js';

/**
 * Untrusted text (pod facts, log lines, event messages) made fit for mrkdwn: secrets scrubbed again (defence in
 * depth: the caller redacts the facts before diagnosis, and redact is idempotent), escaped, then cut to `max` code
 * units counted after escaping, as Slack counts them.
 */
export function safeMrkdwn(text: string, max: number): string {
  // Cutting the raw text first bounds the work on huge inputs; ×6 leaves room for what escaping adds.
  const raw = text.length > max * 6 ? text.slice(0, max * 6) : text;
  return truncateEnd(escapeMrkdwn(redact(raw).text), max);
}
