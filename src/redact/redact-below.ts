import { REDACTED } from './judge-value.js';
import { redact } from './redact.js';

/**
 * `text` with its first line judged together with `above`, the line just before it that a cut left out. A secret
 * may be named on one line and given on the next (`- name: DB_PASSWORD` then `  value: …`, a YAML env list or a
 * `{name, value}` pair); when a tail of the log starts between the two, the value alone reads as an ordinary line.
 * Only the first line can lose its context this way (the rest of `text` keeps its own). Pure; the first line comes
 * back as `redact` judged it with its context, or whole as `[REDACTED]` when that judgement took the line break.
 */
export function redactBelow(above: string, text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  const joined = redact(`${above}\n${first}`).text;
  if (joined.endsWith(`\n${first}`)) return text;
  const cut = joined.lastIndexOf('\n');
  return (cut < 0 ? REDACTED : joined.slice(cut + 1)) + (end < 0 ? '' : text.slice(end));
}
