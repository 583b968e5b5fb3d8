import { redact } from '../redact/index.js';
import { escapeCode } from './escape-mrkdwn.js';
import { truncateEnd, truncateStart } from './limits.js';

const FENCE_OVERHEAD = '```\n\n```'.length;

/** A rendered ``` block and whether the text had to be cut to fit. */
export interface CodeBlock {
  text: string;
  truncated: boolean;
}

/**
 * Renders untrusted text as a mrkdwn code block of at most `max` code units (`max` ≥ 20), secrets redacted and
 * escaped so it cannot be broken out of. Keeps the end by default (the last log lines explain a crash), cutting at a line boundary when one
 * is near, so the reader sees whole lines.
 */
export function renderCodeBlock(raw: string, max: number, keep: 'end' | 'start' = 'end'): CodeBlock {
  // Redacted before it is cut: half a token no longer matches its pattern (the original command of a debug clone
  // reaches this block straight from the pod spec).
  let body = escapeCode(redact(raw).text).replace(/\n+$/, '').replace(/^\n+/, '');
  if (body.trim() === '') body = '(no output)';
  const room = Math.max(1, max - FENCE_OVERHEAD);
  let truncated = false;
  if (body.length > room) {
    truncated = true;
    if (keep === 'end') {
      const cut = truncateStart(body, room);
      const nl = cut.indexOf('\n');
      body = nl >= 0 && nl <= room / 3 && nl < cut.length - 1 ? `…\n${cut.slice(nl + 1)}` : cut;
    } else {
      const cut = truncateEnd(body, room);
      const nl = cut.lastIndexOf('\n');
      body = nl >= 0 && nl >= (room * 2) / 3 ? `${cut.slice(0, nl)}\n…` : cut;
    }
  }
  return { text: '```\n' + body + '\n```', truncated };
}
