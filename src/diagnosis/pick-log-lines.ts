import { cutAround } from './cut-around.js';
import { rankLogLine } from './rank-log-line.js';

/** Bounds for the log lines kept as evidence. */
export interface PickLogOptions {
  /** Most lines returned. @defaultValue 15 */
  maxLines?: number;
  /** Longer lines are cut with "…" around their telling phrase (the cause is often at the end). @defaultValue 300 */
  maxLineLength?: number;
  /** Only this many lines from the end are examined: the crash is at the end. @defaultValue 300 */
  window?: number;
}

export const PICK_LOG_DEFAULTS = { maxLines: 15, maxLineLength: 300, window: 300 } satisfies Required<PickLogOptions>;

/** Lines that say something went wrong, in the usual languages and loggers. */
const ERROR_LINE =
  /\b(error|err|exception|fatal|panic|panicked|traceback|critical|crit|segmentation fault|core dumped|unhandled|uncaught|killed|refused|denied|cannot|can't|could not|couldn't|unable to|failed|failure|no such file|not found|timed? ?out|abort(ed)?)\b|^E\d{4} |"level":\s*(50|60)\b|"level":\s*"(error|fatal|panic|critical)"/i;

/** Lines that continue a stack trace: Java/JS "at ...", Python "File ...", Go goroutine dumps, "Caused by". */
const STACK_LINE =
  /^\s+at\s|^\s+File "|^\s*Caused by:|^goroutine \d+|^\[signal |^\s+\S+\.go:\d+|^\s*\.\.\. \d+ more|^\s{2,}\S|^\t|^[\w.$]+(Error|Exception)\b/;

/** A Go frame such as `net/http.(*conn).serve(0xc000)`: tested without a regex, which would backtrack on noise. */
function isGoFrame(line: string): boolean {
  return line.endsWith(')') && line.includes('(') && !/\s/.test(line);
}

/** Lines are tested on their head only: the patterns look at the start, and logs may hold megabyte lines. */
const TEST_CHARS = 2000;

/** Strips terminal colour codes and other control characters that loggers leave in. */
function clean(line: string): string {
  return line
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    .trimEnd();
}

function cut(line: string, max: number): string {
  if (Array.from(line).length <= max) return line;
  const r = rankLogLine(line);
  // A structured line's phrase was found in its message: locate the same words in the raw line.
  const words = r.phrase ? r.text.slice(r.phrase.start, r.phrase.start + r.phrase.length) : '';
  const at = words ? line.indexOf(words) : -1;
  return cutAround(line, max, at >= 0 ? { start: at, length: words.length } : undefined);
}

/** An error line: the old word list, or any line the ranking calls telling (DNS, TLS, logfmt level=error...). */
function isErrorLine(line: string): boolean {
  if (ERROR_LINE.test(line)) return true;
  const r = rankLogLine(line);
  return r.family !== undefined || r.severity >= 2;
}

/**
 * Picks the log lines that matter for a crash: the error, exception, fatal and panic lines near the end, with the
 * stack lines that follow them, bounded in count and width. Logs without such lines give their last few lines,
 * since a process often says what it was doing just before it died.
 */
export function pickLogLines(text: string, options: PickLogOptions = {}): string[] {
  const { maxLines, maxLineLength, window } = { ...PICK_LOG_DEFAULTS, ...options };
  if (maxLines <= 0) return [];
  const lines = text.split(/\r?\n/);
  while (lines.length && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  const tail = lines.slice(-window).map(clean);
  const keep = new Set<number>();
  let inStack = false;
  for (let i = 0; i < tail.length; i++) {
    const line = (tail[i] ?? '').slice(0, TEST_CHARS);
    // A blank line does not end a trace: Go separates the panic from its goroutine dump with one.
    if (line.trim() === '') continue;
    if (isErrorLine(line)) {
      keep.add(i);
      inStack = true;
    } else if (inStack && (STACK_LINE.test(line) || isGoFrame(line))) {
      keep.add(i);
    } else {
      inStack = false;
    }
  }
  let picked: number[];
  if (keep.size === 0) {
    picked = tail.map((_, i) => i).filter((i) => (tail[i] ?? '').trim() !== '');
    picked = picked.slice(-Math.min(maxLines, 5));
  } else {
    // The last lines are closest to the crash; a long trace keeps its head (the error) and its end.
    picked = [...keep].sort((a, b) => a - b);
    if (picked.length > maxLines && maxLines === 1) {
      picked = picked.slice(-1);
    } else if (picked.length > maxLines) {
      const rest = picked.slice(-(maxLines - 1));
      const first = rest[0] ?? 0;
      // Keep the line that opened the trace the kept lines belong to, so "at ..." lines never stand alone.
      const head = picked.filter((i) => i < first && isErrorLine(tail[i] ?? '')).pop();
      picked = head !== undefined && !isErrorLine(tail[first] ?? '') ? [head, ...rest] : picked.slice(-maxLines);
    }
  }
  return picked.map((i) => cut(tail[i] ?? '', maxLineLength));
}
