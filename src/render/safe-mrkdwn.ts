import { redact } from '../redact/index.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { truncateEnd } from './limits.js';

// Redaction runs before any cut: a token cut in half no longer matches its pattern and its first half would leak.
// Only a bounded prefix is scrubbed, with room past the cut for the longest secret (a PEM key is ~3,300 chars).
const SECRET_ROOM = 8192;

/**
 * The start of untrusted text, at most `max` code units, with secrets scrubbed again (defence in depth: the caller
 * redacts the facts before diagnosis, and redact is idempotent).
 */
export function scrubbed(text: string, max: number): string {
  const head = text.length > max * 6 + SECRET_ROOM ? text.slice(0, max * 6 + SECRET_ROOM) : text;
  return truncateEnd(redact(head).text, max);
}

/**
 * Untrusted text (pod facts, log lines, event messages) made fit for mrkdwn: secrets scrubbed, escaped, then cut
 * to `max` code units counted after escaping, as Slack counts them.
 */
export function safeMrkdwn(text: string, max: number): string {
  const head = text.length > max * 6 + SECRET_ROOM ? text.slice(0, max * 6 + SECRET_ROOM) : text;
  return truncateEnd(escapeMrkdwn(redact(head).text), max);
}

/** Untrusted text as inline code: its own backticks become ˋ, so it can neither end the span nor form a ``` fence. */
export function inlineCode(text: string, max: number): string {
  const inner = safeMrkdwn(text, max)
    .replace(/`/g, 'ˋ')
    .replace(/\u200b/g, '');
  return `\`${inner.trim() === '' ? '?' : inner}\``;
}
