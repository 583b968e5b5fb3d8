import { type Redacted, redact } from '../redact/index.js';

/**
 * ESC sequences (CSI, OSC, and two-character escapes), then the C0 controls but tab and newline, DEL and the C1
 * controls (U+0080–U+009F: a terminal takes U+009B as CSI, the start of a command), bidirectional overrides and
 * isolates (text that reads backwards), and carriage returns that would overwrite a line.
 */
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text a terminal shows as written: secrets redacted, escape sequences and control characters removed. */
export function toTerminal(text: string): Redacted {
  return redact(text)
    .text.replace(ESCAPE_SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(TERMINAL_UNSAFE, '') as Redacted;
}

function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redact(value).text;
  if (Array.isArray(value)) return value.map(redactStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v)]));
  }
  return value;
}

/**
 * A value as JSON for `--json`: every string redacted, and every character a terminal could act on kept but written
 * as a `\u` escape (JSON.stringify escapes C0 controls but passes DEL, C1 controls, bidi and line separators raw).
 */
export function toTerminalJson(value: unknown): Redacted {
  return JSON.stringify(redactStrings(value), null, 2).replace(
    /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  ) as Redacted;
}

/** Writes to stdout through the egress boundary: the only way CLI output reaches the terminal. */
export function printOut(text: string): void {
  process.stdout.write(toTerminal(text));
}

/** Writes to stderr through the egress boundary. */
export function printErr(text: string): void {
  process.stderr.write(toTerminal(text));
}

/** Writes a value as redacted, escaped JSON and a newline to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toTerminalJson(value)}\n`);
}
