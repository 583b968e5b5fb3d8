import { type Edit, indexesOf, mergeEdits } from './edits.js';
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
 * Private keys that span lines, as edits of `text`: PEM, OpenSSH, PGP and PuTTY blocks whole, without their BEGIN
 * (cut by a line tail), and PuTTY's `Private-Lines`. BEGIN and END lines stay so the reader knows what was there.
 * Each kind is found in the original text, as if the kinds before it had been applied: a body above an END that a
 * whole block already took is skipped, and a `Private-Lines` run stops where a body before END starts. `begins` lists
 * every BEGIN marker, for the search for blocks whose END was cut (which must wait for the line rules).
 */
export function findKeyBlocks(text: string): { edits: Edit[]; begins: number[] } {
  if (!text.includes('PRIVATE KEY')) return { edits: findPrivateLines(text, []), begins: [] };
  const begins = indexesOf(text, '-----BEGIN ');
  const whole = findWholeBlocks(text, begins);
  const blocks = mergeEdits(whole, findBodiesBeforeEnd(text, whole));
  return { edits: mergeEdits(blocks, findPrivateLines(text, blocks)), begins };
}

/** BEGIN to END, tried at each BEGIN marker not inside the block before it. */
function findWholeBlocks(text: string, begins: readonly number[]): Edit[] {
  const edits: Edit[] = [];
  let done = 0;
  for (const at of begins) {
    if (at < done) continue;
    WHOLE.lastIndex = at;
    const m = WHOLE.exec(text);
    if (!m) continue;
    const [all, begin = '', , , inner = '', end = ''] = m;
    if (!body(begin, inner)) continue;
    done = at + all.length;
    edits.push({ start: at, end: done, text: `${begin}${REDACTED}${end}` });
  }
  return edits;
}

/** PuTTY's private key lines (`Private-Lines: N` and the base64 under it), up to where an earlier edit starts. */
function findPrivateLines(text: string, blocks: readonly Edit[]): Edit[] {
  if (!text.includes('Private-Lines:')) return [];
  const edits: Edit[] = [];
  const re = /(Private-Lines: \d+)((?:\r?\n[A-Za-z0-9+/=]{1,80})+)/g;
  let b = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const head = m[1]!;
    const start = m.index;
    let end = start + m[0].length;
    while (b < blocks.length && blocks[b]!.end <= start) b++;
    const next = blocks[b];
    // Inside a block already redacted, the line is gone.
    if (next !== undefined && next.start <= start) continue;
    // A body before END starts at a line start: the run of lines stops at the newline before it.
    if (next !== undefined && next.start < end) {
      end = next.start - 1;
      if (text[end - 1] === '\r') end--;
      if (end <= start + head.length) continue;
    }
    edits.push({ start, end, text: `${head}\n${REDACTED}` });
  }
  return edits;
}

const END_LINE = /^-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** Whether a character code is one of base64's (letters, digits, `+ / =`): a table, not a regex, per character. */
function isBase64Code(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 47 && c <= 57) || c === 43 || c === 61;
}

/**
 * A block whose BEGIN was cut off (a 200-line tail, a termination message that starts mid-key): walking back from
 * each END line over the base64 lines (real or JSON-escaped newlines) right above it, the first may be partial. An END
 * that closes a whole block has the marker above it, not base64, and is skipped.
 */
function findBodiesBeforeEnd(text: string, whole: readonly Edit[]): Edit[] {
  if (!text.includes('-----END ')) return [];
  const edits: Edit[] = [];
  let copied = 0;
  let w = 0;
  for (let end = text.indexOf('-----END '); end >= 0; end = text.indexOf('-----END ', end + 9)) {
    while (w < whole.length && whole[w]!.end <= end) w++;
    if (w < whole.length && whole[w]!.start <= end) continue;
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
    edits.push({ start, end, text: `${REDACTED}${escaped ? '\\n' : '\n'}` });
    copied = end;
  }
  return edits;
}

/**
 * A block whose END was cut off, starting at `at`: where its match ends, and its replacement (`text` undefined when
 * what follows BEGIN is not a key body); undefined when no block starts there. Looked for in the text the line rules
 * produced: a `key: value` this loose match swallows has been redacted already, and markers may sit inside.
 */
export function findCutKey(text: string, at: number): { end: number; text: string | undefined } | undefined {
  NO_END.lastIndex = at;
  const m = NO_END.exec(text);
  if (!m) return undefined;
  const [all, begin = '', , , inner = ''] = m;
  const end = at + all.length;
  if (!body(begin, inner) || /^(?:\s|\\[nr])*\[REDACTED\](?:\s|\\[nr])*$/.test(inner)) return { end, text: undefined };
  return { end, text: `${begin}${REDACTED}${/\n$/.test(inner) ? '\n' : ''}` };
}

/**
 * Two or more key-width base64 lines in a row (and the short line or checksum that ends them), starting with the line
 * `text[start, end)` and ending by `limit` (a line end), become one marker line: the replacement and where the run
 * ends, or undefined.
 */
export function redactBodyRun(
  text: string,
  start: number,
  end: number,
  limit: number,
): { text: string; end: number } | undefined {
  if (!isBodyLine(text.slice(start, end))) return undefined;
  let lines = 1;
  let last = end;
  for (;;) {
    if (last >= limit) break;
    const nl = text.indexOf('\n', last + 1);
    const lineEnd = nl < 0 || nl > limit ? limit : nl;
    if (!isBodyLine(text.slice(last + 1, lineEnd))) break;
    lines++;
    last = lineEnd;
  }
  if (lines < 2) return undefined;
  for (let tail = 0; tail < 2 && last < limit; tail++) {
    const nl = text.indexOf('\n', last + 1);
    const lineEnd = nl < 0 || nl > limit ? limit : nl;
    if (!TAIL_LINE.test(stripCr(text.slice(last + 1, lineEnd)))) break;
    last = lineEnd;
  }
  const indent = /^[ \t]*/.exec(text.slice(start, end))?.[0] ?? '';
  return { text: `${indent}${REDACTED}`, end: last };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
