import { formatAge } from '../diagnosis/time.js';
import type { EventSummary } from '../diagnosis/types.js';
import type { Block } from './block-kit-types.js';
import { section } from './blocks.js';
import { renderCodeBlock } from './code-block.js';
import { escapeCode } from './escape-mrkdwn.js';
import { SLACK_LIMITS, truncateEnd } from './limits.js';
import { scrubbed } from './safe-mrkdwn.js';
import { sanitizeText } from './sanitize-text.js';

const MAX_EVENTS = 100;
const MAX_MESSAGE = 300;
/** Room for the fences of one code block inside a section. */
const CHUNK = SLACK_LIMITS.sectionText - 20;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** One table line per event, kubectl style; newlines inside messages are flattened so a row stays a row. */
function tableLines(events: EventSummary[]): string[] {
  const rows = events.map((e) => ({
    type: truncateEnd(sanitizeText(e.type || '?'), 10),
    reason: truncateEnd(sanitizeText(e.reason || '?'), 32),
    count: String(e.count),
    age: formatAge(e.ageSeconds),
    message: sanitizeText(scrubbed(e.message, MAX_MESSAGE)).replace(/\s*\n\s*/g, ' '),
  }));
  const w = {
    type: Math.max(4, ...rows.map((r) => r.type.length)),
    reason: Math.max(6, ...rows.map((r) => r.reason.length)),
    count: Math.max(5, ...rows.map((r) => r.count.length)),
    age: Math.max(3, ...rows.map((r) => r.age.length)),
  };
  const line = (r: { type: string; reason: string; count: string; age: string; message: string }) =>
    `${pad(r.type, w.type)}  ${pad(r.reason, w.reason)}  ${pad(r.count, w.count)}  ${pad(r.age, w.age)}  ${r.message}`.trimEnd();
  return [line({ type: 'TYPE', reason: 'REASON', count: 'COUNT', age: 'AGE', message: 'MESSAGE' }), ...rows.map(line)];
}

/**
 * The pod's events (already folded by diagnose) as a compact table in code blocks, split over as many sections as
 * needed, each repeating the header row; at most 100 events, the rest counted.
 */
export function renderEventsTable(events: EventSummary[]): Block[] {
  const shown = events.slice(0, MAX_EVENTS);
  const [head = '', ...rows] = tableLines(shown);
  const title = `:calendar: *Events* (${events.length}${events.some((e) => e.count > 1) ? ', repeats folded' : ''})`;
  const blocks: Block[] = [];
  let chunk: string[] = [head];
  let size = escapeCode(head).length;
  const flush = () => {
    const prefix = blocks.length === 0 ? `${title}\n` : '';
    blocks.push(section(prefix + renderCodeBlock(chunk.join('\n'), CHUNK - prefix.length, 'start').text));
  };
  for (const row of rows) {
    const n = escapeCode(row).length + 1;
    if (chunk.length > 1 && size + n > CHUNK - 100) {
      flush();
      chunk = [head];
      size = escapeCode(head).length;
    }
    chunk.push(row);
    size += n;
  }
  flush();
  if (events.length > MAX_EVENTS) {
    blocks.push(section(`… ${events.length - MAX_EVENTS} more events not shown (\`kubectl get events\` lists them)`));
  }
  return blocks;
}
