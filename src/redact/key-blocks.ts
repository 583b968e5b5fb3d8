import { REDACTED } from './judge-value.js';

/** A newline as it appears in a log, or escaped inside a JSON string (a service-account key file, a termination message). */
const NL = String.raw`(?:\r?\n|(?:\\r)?\\n)`;
const PEM_BEGIN = '-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----';
const PEM_END = '-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----';

/**
 * A whole block, BEGIN to END. The body stops at the next `-----`: a PEM body has none, and a lazy scan to a far END
 * would be quadratic.
 */
const WHOLE = new RegExp(String.raw`(${PEM_BEGIN})((?:(?!-----)[\s\S]){0,65536})(-----END \2PRIVATE KEY\3-----)`, 'g');

/**
 * A block whose END was cut off (a log tail, a byte limit): everything base64-looking after BEGIN goes, headers of an
 * armoured PGP key (`Version: …`) and escaped newlines included.
 */
const NO_END = new RegExp(
  String.raw`(${PEM_BEGIN})((?:(?!-----END )(?:[A-Za-z0-9+/=\s:,.()-]|\\[nr]|\[REDACTED\])){1,65536})`,
  'g',
);

/** A line that is nothing but base64 of the width PEM (64), OpenSSH (70), PGP (64) and PuTTY (64) wrap key bodies at. */
const BODY_LINE = /^[ \t]*[A-Za-z0-9+/]{56,80}={0,2}[ \t]*$/;
/** The short last line of a body, or a PGP checksum (`=AbCd`). */
const TAIL_LINE = /^[ \t]*(?:[A-Za-z0-9+/]{16,80}={0,2}|[A-Za-z0-9+/]{1,80}={1,2}|=[A-Za-z0-9+/]{4})[ \t]*$/;

function isBodyLine(raw: string): boolean {
  // Length first: almost every log line fails it, at the cost of reading one property.
  if (raw.length < 56 || raw.length > 96) return false;
  const line = stripCr(raw);
  // Mixed case and digits: hex digests (sha256, 64 lowercase hex) have the width but not the alphabet.
  return BODY_LINE.test(line) && /[A-Z]/.test(line) && /[a-z]/.test(line) && /\d/.test(line);
}

function body(begin: string, text: string): boolean {
  return text.replace(/\\[nr]|\s/g, '').replace(/\[REDACTED\]/g, '').length > 0 || begin === '';
}

/**
 * Private keys that span lines: PEM, OpenSSH, PGP and PuTTY blocks whole, without their END (cut by a byte limit),
 * without their BEGIN (cut by a line tail), or without either: two or more lines of base64 at key width in a row.
 * BEGIN and END lines stay so the reader knows what was there.
 */
export function redactKeyBlocks(text: string): { text: string; count: number } {
  let count = 0;
  let out = text;
  const hasKeyMarker = out.includes('PRIVATE KEY');
  if (hasKeyMarker && out.includes('-----BEGIN ')) {
    out = out.replace(WHOLE, (m, begin: string, _a, _b, inner: string, end: string) => {
      if (!body(begin, inner)) return m;
      count++;
      return `${begin}${REDACTED}${end}`;
    });
  }
  if (hasKeyMarker && out.includes('-----END ')) {
    const cut = redactBeforeEnd(out);
    out = cut.text;
    count += cut.count;
  }
  if (out.includes('Private-Lines:')) {
    out = out.replace(/(Private-Lines: \d+)((?:\r?\n[A-Za-z0-9+/=]{1,80})+)/g, (_m, head: string) => {
      count++;
      return `${head}\n${REDACTED}`;
    });
  }
  return { text: out, count };
}

const END_LINE = /^-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * A block whose BEGIN was cut off (a 200-line tail, a termination message that starts mid-key): walking back from
 * each END line over the base64 lines (real or JSON-escaped newlines) right above it, the first may be partial.
 */
function redactBeforeEnd(text: string): { text: string; count: number } {
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  for (let end = text.indexOf('-----END '); end >= 0; end = text.indexOf('-----END ', end + 9)) {
    if (!END_LINE.test(text.slice(end, end + 48))) continue;
    let start = end;
    let chars = 0;
    let escaped = false;
    for (let lines = 0; lines < 400; lines++) {
      let j = start;
      while (j > 0 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
      let nl = 0;
      if (text[j - 1] === '\n') nl = text[j - 2] === '\r' ? 2 : 1;
      else if (text[j - 1] === 'n' && text[j - 2] === '\\') {
        nl = text.slice(j - 4, j - 2) === '\\r' ? 4 : 2;
        escaped = true;
      }
      if (nl === 0) break;
      let k = j - nl;
      while (
        k > 0 &&
        j - nl - k < 100 &&
        BASE64_CHAR.test(text[k - 1]!) &&
        !(text[k - 1] === 'n' && text[k - 2] === '\\')
      )
        k--;
      if (k === j - nl) break;
      // The segment must start a line (or a JSON string, or the text).
      const before = text[k - 1];
      const startsLine =
        k === 0 ||
        before === '\n' ||
        before === '"' ||
        before === "'" ||
        before === ' ' ||
        (before === 'n' && text[k - 2] === '\\');
      if (!startsLine) break;
      chars += j - nl - k;
      start = k;
    }
    if (chars < 8 || start < copied) continue;
    out.push(text.slice(copied, start), REDACTED, escaped ? '\\n' : '\n');
    copied = end;
    count++;
  }
  if (count === 0) return { text, count };
  out.push(text.slice(copied));
  return { text: out.join(''), count };
}

/**
 * A block whose END was cut off. Applied after the line rules, so that a `key: value` this loose match swallows has
 * been redacted already (markers may sit inside).
 */
export function redactCutKeys(text: string): { text: string; count: number } {
  if (!text.includes('PRIVATE KEY') || !text.includes('-----BEGIN ')) return { text, count: 0 };
  let count = 0;
  const out = text.replace(NO_END, (m, begin: string, _a, _b, inner: string) => {
    if (!body(begin, inner) || /^(?:\s|\\[nr])*\[REDACTED\](?:\s|\\[nr])*$/.test(inner)) return m;
    count++;
    return `${begin}${REDACTED}${/\n$/.test(inner) ? '\n' : ''}`;
  });
  return { text: count > 0 ? out : text, count };
}

/**
 * Two or more key-width base64 lines in a row (and the short line or checksum that ends them) become one marker
 * line, in place in `lines`. Returns how many runs were redacted.
 */
export function redactBodyRuns(lines: string[]): number {
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!isBodyLine(lines[i]!)) continue;
    let j = i + 1;
    while (j < lines.length && isBodyLine(lines[j]!)) j++;
    if (j - i < 2) continue;
    for (let tail = 0; tail < 2 && j < lines.length && TAIL_LINE.test(stripCr(lines[j]!)); tail++) j++;
    const indent = /^[ \t]*/.exec(lines[i]!)?.[0] ?? '';
    lines[i] = `${indent}${REDACTED}`;
    for (let k = i + 1; k < j; k++) lines[k] = DROPPED;
    count++;
    i = j - 1;
  }
  return count;
}

/** Marks a line folded into the marker line above it; `redact` leaves such lines out when it joins. */
export const DROPPED = '\u0000debugdead:dropped\u0000';

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
