import { REDACTED } from './judge-value.js';

const PEM_BEGIN = '-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----';

/**
 * A whole block, BEGIN to END. The body stops at the next `-----`: a PEM body has none, and a lazy scan to a far END
 * would be quadratic.
 */
const WHOLE = new RegExp(String.raw`(${PEM_BEGIN})((?:(?!-----)[\s\S]){0,16384})(-----END \2PRIVATE KEY\3-----)`, 'y');

/**
 * A block whose END was cut off (a log tail, a byte limit): everything base64-looking after BEGIN goes, headers of an
 * armoured PGP key (`Version: …`) and escaped newlines included.
 */
const NO_END = new RegExp(
  String.raw`(${PEM_BEGIN})((?:(?!-----END )(?:[A-Za-z0-9+/=\s:,.()-]|\\[nr]|\[REDACTED\])){1,65536})`,
  'y',
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
    const whole = replaceAtMarkers(out, '-----BEGIN ', WHOLE, (m) => {
      const [, begin = '', , , inner = '', end = ''] = m;
      return body(begin, inner) ? `${begin}${REDACTED}${end}` : undefined;
    });
    out = whole.text;
    count += whole.count;
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
/** Whether a character code is one of base64's (letters, digits, `+ / =`): a table, not a regex, per character. */
function isBase64Code(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 47 && c <= 57) || c === 43 || c === 61;
}

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
        isBase64Code(text.charCodeAt(k - 1)) &&
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
  return replaceAtMarkers(text, '-----BEGIN ', NO_END, (m) => {
    const [, begin = '', , , inner = ''] = m;
    if (!body(begin, inner) || /^(?:\s|\\[nr])*\[REDACTED\](?:\s|\\[nr])*$/.test(inner)) return undefined;
    return `${begin}${REDACTED}${/\n$/.test(inner) ? '\n' : ''}`;
  });
}

/**
 * Like String.replace with a sticky regex tried only where `marker` occurs (found with indexOf, which is far faster
 * than letting the regex engine scan a 10 MB log for a pattern that starts with a group).
 */
function replaceAtMarkers(
  text: string,
  marker: string,
  sticky: RegExp,
  replace: (m: RegExpExecArray) => string | undefined,
): { text: string; count: number } {
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    if (at < copied) continue;
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (!m) continue;
    const replacement = replace(m);
    if (replacement === undefined) continue;
    out.push(text.slice(copied, at), replacement);
    copied = at + m[0].length;
    count++;
  }
  if (count === 0) return { text, count };
  out.push(text.slice(copied));
  return { text: out.join(''), count };
}

/**
 * Two or more key-width base64 lines in a row (and the short line or checksum that ends them), starting with the line
 * `text[start, end)`, become one marker line: the replacement and where the run ends, or undefined.
 */
export function redactBodyRun(text: string, start: number, end: number): { text: string; end: number } | undefined {
  if (!isBodyLine(text.slice(start, end))) return undefined;
  let lines = 1;
  let last = end;
  for (;;) {
    if (last >= text.length) break;
    const nl = text.indexOf('\n', last + 1);
    const lineEnd = nl < 0 ? text.length : nl;
    if (!isBodyLine(text.slice(last + 1, lineEnd))) break;
    lines++;
    last = lineEnd;
  }
  if (lines < 2) return undefined;
  for (let tail = 0; tail < 2 && last < text.length; tail++) {
    const nl = text.indexOf('\n', last + 1);
    const lineEnd = nl < 0 ? text.length : nl;
    if (!TAIL_LINE.test(stripCr(text.slice(last + 1, lineEnd)))) break;
    last = lineEnd;
  }
  const indent = /^[ \t]*/.exec(text.slice(start, end))?.[0] ?? '';
  return { text: `${indent}${REDACTED}`, end: last };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
