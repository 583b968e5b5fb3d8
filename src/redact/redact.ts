import { applyEdits, type Edit, indexesOf, mergeEdits } from './edits.js';
import { REDACTED } from './judge-value.js';
import { findCutKey, findKeyBlocks, redactBodyRun } from './key-blocks.js';
import { findTokenRuns, hasVendorToken, mayBeEncodedText, redactVendorTokens } from './redact-tokens.js';
import { type PendingName, scanKeyValues } from './scan-key-values.js';
import { hasLoginContext, SECRET_RULES, type SecretRule } from './secret-rules.js';

declare const redactedBrand: unique symbol;

/**
 * Text that went through `redact`: the only kind of text the egress boundary (Slack, files, terminal) accepts. The
 * brand exists at compile time only; at run time it is a plain string.
 */
export type Redacted = string & { readonly [redactedBrand]: true };

/** Text with its secrets replaced by `[REDACTED]`, and how many were removed. */
export interface Redaction {
  text: Redacted;
  count: number;
}

// A replacement can, in odd inputs, complete a pattern that a later pass would see; a few passes reach the
// fixed point that makes redact(redact(x)) === redact(x). Real lines settle after the first pass.
const MAX_PASSES = 4;
/** How deep base64 inside base64 is unwrapped (a .dockerconfigjson holding an `auth` is two levels). */
const MAX_DEPTH = 2;

/**
 * Lines worth the full rule set: a sensitive word, a URL, a PEM marker, a non-ASCII letter (keys in other
 * languages, full-width separators), an escape sequence, or the prefix of a vendor token whose random part may be
 * too short or too uniform for `RUN` to notice (Slack, GitLab, Flutterwave, 1Password, HubSpot, Plaid, Mailchimp,
 * a Cloudflare origin CA key). Other lines are read only when `RUN` finds key material in them, and then only for
 * vendor tokens and encoded text; the rest is copied as is, which is what makes redaction fast on real logs. Factored by first letter: an alternation V8 can dispatch on one character scans several times faster
 * than a flat one.
 */
const CONTEXT = new RegExp(
  [
    'a(?:uth|ppid|ccess-(?:sandbox|development|production)|(?:kia|sia|roa|ida|gpa)[a-z0-9]{16}|3-[a-z0-9]{6}-)',
    'bearer',
    'c(?:red|ookie)',
    'd(?:sn|ockerconfig)',
    'flw(?:sec|pub)k',
    'gl(?:pat|dt|rt|ptt|cbt|oas|ft|soat|imt|agent|ff|wt)-',
    'h(?:mac|ook)',
    'identified',
    'jdbc:',
    'key',
    'l(?:icen|ogin)',
    'm(?:nemonic|ysql)',
    'otp',
    'p(?:ass|wd|in|riv|at-[a-z]{2}\\d)',
    'redis-cli',
    's(?:ecret|ig|ess|alt|eed|qlcmd)',
    'tok',
    'v1\\.0-[0-9a-f]{24}-',
    'xox[a-z]-',
    '-(?:us\\d|----)',
    ':\\/\\/',
    '[^\\x00-\\x7f]',
    '\\x1b',
  ].join('|'),
  'i',
);
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)/g;
/** Base64 (standard or URL-safe) long enough to hold a credential once decoded. */
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])(?:[A-Za-z0-9+/]{32,}={0,2}|[A-Za-z0-9_-]{32,}={0,2})(?![A-Za-z0-9+/=_-])/g;

/**
 * Removes secrets (vendor tokens, JWTs, authorization headers of any scheme, private keys whole or cut, URL
 * credentials, `key=value` credentials in any casing, quoting, escaping or language, credential flags, base64 that
 * decodes to any of these) from text before it leaves the cluster. Pure and total: never throws.
 */
export function redact(text: string): Redaction {
  const r = redactDepth(typeof text === 'string' ? text : String(text), 0);
  return { text: r.text as Redacted, count: r.count };
}

/** The text of `redact(text)`, branded for the egress boundary. */
export function redactText(text: string): Redacted {
  return redact(text).text;
}

/**
 * Three finders, each giving edits of `input`: key blocks first (the line rules then read the lines they changed, as
 * changed), then the line rules, and last the keys whose END was cut (they must see what the line rules redacted).
 * The redacted text is built once, from the last list.
 */
function redactDepth(input: string, depth: number): { text: string; count: number } {
  const blocks = findKeyBlocks(input);
  const lines = redactLines(input, blocks.edits, depth);
  const cut = withCutKeys(input, lines.edits, blocks.begins);
  return { text: applyEdits(input, cut.edits), count: blocks.edits.length + lines.count + cut.count };
}

/** Lines that hold a key block edit, with the text the edits give them. */
interface Segment {
  /** The start of the first line. */
  start: number;
  /** The end of the last line (its newline, or the end of the text). */
  end: number;
  text: string;
}

/**
 * The lines the key block edits touch, edited: the line rules read them as they read the rest, but from this text.
 * Edits on the same line share one segment.
 */
function segmentsOf(text: string, blocks: readonly Edit[]): Segment[] {
  const segments: Segment[] = [];
  for (let i = 0; i < blocks.length; ) {
    const start = text.lastIndexOf('\n', blocks[i]!.start - 1) + 1;
    const first = i;
    let end = lineEnd(text, blocks[i]!.end);
    for (i++; i < blocks.length && blocks[i]!.start <= end; i++) end = lineEnd(text, blocks[i]!.end);
    const edits = blocks.slice(first, i).map((e) => ({ start: e.start - start, end: e.end - start, text: e.text }));
    segments.push({ start, end, text: applyEdits(text.slice(start, end), edits) });
  }
  return segments;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl;
}

/**
 * The line rules over the whole text: stretches of original lines, and the segments that key block edits changed,
 * in order. A name read on the last line of one carries to the first line of the next. Every edit replaces whole
 * lines; the segments come back as edits too.
 */
function redactLines(text: string, blocks: readonly Edit[], depth: number): { edits: Edit[]; count: number } {
  const toRead = findLinesToRead(text);
  const edits: Edit[] = [];
  let count = 0;
  let from = 0;
  let carried: PendingName | undefined;
  for (const segment of segmentsOf(text, blocks)) {
    if (segment.start > from) {
      const stretch = readLines(text, toRead, from, segment.start - 1, carried, depth);
      for (const edit of stretch.edits) edits.push(edit);
      count += stretch.count;
      carried = stretch.pending;
    }
    const inside = readLines(segment.text, findLinesToRead(segment.text), 0, segment.text.length, carried, depth);
    edits.push({ start: segment.start, end: segment.end, text: applyEdits(segment.text, inside.edits) });
    count += inside.count;
    carried = segment.end < text.length ? inside.pending : undefined;
    from = segment.end + 1;
  }
  if (from <= text.length) {
    const rest = readLines(text, toRead, from, text.length, carried, depth);
    // One at a time: spreading a long list into push's arguments can overflow the stack.
    for (const edit of rest.edits) edits.push(edit);
    count += rest.count;
  }
  return { edits, count };
}

/**
 * What reading a stretch of lines gives: whole-line edits, and a name on its last line whose value the next line (if
 * any) may hold.
 */
interface ReadLines {
  edits: Edit[];
  count: number;
  pending: PendingName | undefined;
}

/**
 * Reads the lines of `text` that start in [from, last] (`last` is the end of the stretch's last line) and that are
 * worth it: a context word, key material, or the line after a `name: DB_PASSWORD` (`carried` holds one from the line
 * before `from`).
 */
function readLines(
  text: string,
  toRead: LinesToRead,
  from: number,
  last: number,
  carried: PendingName | undefined,
  depth: number,
): ReadLines {
  const { starts, context } = toRead;
  const edits: Edit[] = [];
  let count = 0;
  let copied = from;
  let lastRead = from - 1;
  let pending = carried;
  // A `name: DB_PASSWORD` line makes the next line worth reading whatever it holds (`value: …`).
  let forced = carried === undefined ? undefined : from;
  let pendingAtEnd: PendingName | undefined;
  for (let h = firstAtOrAfter(starts, from); ; ) {
    let start: number;
    if (forced !== undefined) start = forced;
    else if (h < starts.length && starts[h]! <= last) start = starts[h++]!;
    else break;
    forced = undefined;
    if (start <= lastRead || start < copied) continue;
    lastRead = start;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 || nl > last ? last : nl;
    const carry = pending;
    pending = undefined;
    const body = redactBodyRun(text, start, end, last);
    if (body) {
      edits.push({ start, end: body.end, text: body.text });
      copied = body.end;
      lastRead = body.end;
      count++;
      continue;
    }
    const line = text.slice(start, end);
    if (carry === undefined && !context.has(start) && !worthReading(line, depth)) continue;
    const r = redactLine(line, carry, depth);
    if (r.pending !== undefined) {
      if (end < last) {
        pending = r.pending;
        forced = end + 1;
      } else pendingAtEnd = r.pending;
    }
    if (r.count > 0) {
      edits.push({ start, end, text: r.text });
      copied = end;
      count += r.count;
    }
  }
  return { edits, count, pending: pendingAtEnd };
}

/** The index of the first element of a sorted array that is at least `value`. */
function firstAtOrAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Blocks whose END was cut off, looked for in the text the edits produce (the line rules may have redacted part of
 * what a cut key swallows) without building all of it: from each line holding a BEGIN marker, only the lines up to
 * where the match stops are built. Each stretch where a cut key was found becomes one edit, in place of the edits
 * inside it.
 */
function withCutKeys(
  text: string,
  edits: readonly Edit[],
  begins: readonly number[],
): { edits: Edit[]; count: number } {
  const found: Edit[] = [];
  let count = 0;
  let done = 0;
  for (const anchor of cutKeyAnchors(text, edits, begins)) {
    if (anchor < done) continue;
    const stretch = cutKeysFrom(text, edits, anchor);
    if (stretch.count > 0) {
      found.push({ start: anchor, end: stretch.end, text: stretch.text });
      count += stretch.count;
    }
    done = stretch.end;
  }
  if (found.length === 0) return { edits: [...edits], count };
  // Both lists are sorted: one walk drops the edits a stretch replaces.
  const kept: Edit[] = [];
  let f = 0;
  for (const edit of edits) {
    while (f < found.length && found[f]!.end < edit.end) f++;
    if (f < found.length && found[f]!.start <= edit.start) continue;
    kept.push(edit);
  }
  return { edits: mergeEdits(kept, found), count };
}

/** The line starts of BEGIN markers in the edited text: on lines no edit touched, or inside an edit. */
function cutKeyAnchors(text: string, edits: readonly Edit[], begins: readonly number[]): number[] {
  const anchors: number[] = [];
  let e = 0;
  let lineStart = 0;
  let lineEnds = -1;
  for (const at of begins) {
    while (e < edits.length && edits[e]!.end <= at) e++;
    if (e < edits.length && edits[e]!.start <= at) continue;
    // Markers on the line of the one before share its start: no scan back over a long line for each.
    if (at > lineEnds) {
      lineStart = text.lastIndexOf('\n', at - 1) + 1;
      lineEnds = lineEnd(text, at);
    }
    if (anchors.at(-1) !== lineStart) anchors.push(lineStart);
  }
  for (const edit of edits) if (edit.text.includes('-----BEGIN ')) anchors.push(edit.start);
  return anchors.sort((x, y) => x - y);
}

/**
 * Cut keys in the edited lines from `anchor` (a line start) on, growing the stretch until every match stops inside
 * it: the edited text of the stretch, where it ends in the original, and how many were found.
 */
function cutKeysFrom(
  text: string,
  edits: readonly Edit[],
  anchor: number,
): { text: string; end: number; count: number } {
  let end = lineEndOutsideEdits(text, edits, anchor);
  for (;;) {
    const first = firstEditAtOrAfter(edits, anchor);
    let last = first;
    while (last < edits.length && edits[last]!.start < end) last++;
    const inner = edits.slice(first, last).map((e) => ({ start: e.start - anchor, end: e.end - anchor, text: e.text }));
    const built = applyEdits(text.slice(anchor, end), inner);
    const cut = cutKeysIn(built, end === text.length);
    if (cut !== undefined) return { text: cut.text, end, count: cut.count };
    end = lineEndOutsideEdits(text, edits, Math.min(text.length, end + Math.max(4096, end - anchor)));
  }
}

/**
 * Cut keys in a stretch of the edited text; undefined when one may run on past it. Unless the stretch ends the
 * text, a newline follows it: reading that newline too tells a match that stops inside from one that goes on.
 */
function cutKeysIn(built: string, atEnd: boolean): { text: string; count: number } | undefined {
  const followed = atEnd ? built : `${built}\n`;
  const edits: Edit[] = [];
  let done = 0;
  for (const at of indexesOf(built, '-----BEGIN ')) {
    if (at < done) continue;
    const cut = findCutKey(followed, at);
    if (cut === undefined) continue;
    if (cut.end > built.length) return undefined;
    if (cut.text === undefined) continue;
    edits.push({ start: at, end: cut.end, text: cut.text });
    done = cut.end;
  }
  return { text: applyEdits(built, edits), count: edits.length };
}

/** The end of the line at `at`, or of the edit holding it (edits replace whole lines). */
function lineEndOutsideEdits(text: string, edits: readonly Edit[], at: number): number {
  let end = lineEnd(text, at);
  const i = firstEditAtOrAfter(edits, at + 1) - 1;
  if (i >= 0 && edits[i]!.end > end) end = edits[i]!.end;
  return end;
}

/** The index of the first edit that starts at or after `at`. */
function firstEditAtOrAfter(edits: readonly Edit[], at: number): number {
  let lo = 0;
  let hi = edits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edits[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A line without a context word is read only for a vendor token or base64 that decodes to a secret. */
function worthReading(line: string, depth: number): boolean {
  const runs = findTokenRuns(line);
  return hasVendorToken(line, runs) || (depth < MAX_DEPTH && runs.some((run) => mayBeEncodedText(line, run)));
}

/** `RUN`: 16 or more of `A-Za-z0-9_+/=-` in a row, bounded by anything else. */
const RUN_MIN = 16;
/**
 * What each character of a `RUN` adds to it, as bits (0 for the characters that end a run): whether a run could be
 * key material is decided from its bits and length, without slicing it out.
 */
const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
/** Outside `0-9a-fA-F-`: a run of hex and dashes (a digest, a trace id, a UUID) has none. */
const NOT_HEX = 8;
const HEX_DASH = 16;
const RUN_CLASS = (() => {
  const table = new Uint8Array(128);
  const set = (chars: string, bits: number) => {
    for (const ch of chars) table[ch.charCodeAt(0)] = bits;
  };
  set('ABCDEF', UPPER);
  set('GHIJKLMNOPQRSTUVWXYZ', UPPER | NOT_HEX);
  set('abcdef', LOWER);
  set('ghijklmnopqrstuvwxyz', LOWER | NOT_HEX);
  set('0123456789', DIGIT);
  set('-', HEX_DASH);
  set('_+/=', NOT_HEX);
  return table;
})();
const CONTEXT_ALL = new RegExp(CONTEXT.source, 'gi');

/** The lines worth reading, as sorted line starts: all of them, and those chosen for a context word. */
interface LinesToRead {
  starts: number[];
  context: Set<number>;
}

/**
 * The lines with a context word (one native regex scan of the whole text), and the other lines with a run of token
 * characters of mixed classes (a vendor token, base64, a key body line), found in one pass over their character
 * codes. The lines in between are never looked at again.
 */
function findLinesToRead(text: string): LinesToRead {
  const context = findContextLines(text);
  const runs = findRunLines(text, context);
  const starts: number[] = [];
  for (let i = 0, j = 0; i < context.length || j < runs.length; ) {
    if (j >= runs.length || (i < context.length && context[i]! < runs[j]!)) starts.push(context[i++]!);
    else starts.push(runs[j++]!);
  }
  return { starts, context: new Set(context) };
}

function findContextLines(text: string): number[] {
  const found: number[] = [];
  CONTEXT_ALL.lastIndex = 0;
  for (let m = CONTEXT_ALL.exec(text); m !== null; m = CONTEXT_ALL.exec(text)) {
    found.push(text.lastIndexOf('\n', m.index - 1) + 1);
    // Skip the rest of this line: one hit is enough.
    const nl = text.indexOf('\n', m.index);
    if (nl < 0) break;
    CONTEXT_ALL.lastIndex = nl + 1;
  }
  CONTEXT_ALL.lastIndex = 0;
  return found;
}

/** The starts of the lines, other than those already `chosen` (sorted), that hold a mixed run. */
function findRunLines(text: string, chosen: readonly number[]): number[] {
  const found: number[] = [];
  let k = 0;
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    while (k < chosen.length && chosen[k]! < start) k++;
    if (chosen[k] !== start && hasMixedRun(text, start, end)) found.push(start);
    start = end + 1;
  }
  return found;
}

function hasMixedRun(text: string, start: number, end: number): boolean {
  let runStart = -1;
  let bits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 0;
    const cls = c < 128 ? RUN_CLASS[c]! : 0;
    if (cls !== 0) {
      if (runStart < 0) {
        runStart = i;
        bits = 0;
      }
      bits |= cls;
    } else if (runStart >= 0) {
      if (i - runStart >= RUN_MIN && isMixedRun(bits, i - runStart)) return true;
      runStart = -1;
    }
  }
  return false;
}

/**
 * Whether a run could be key material: mixed case, upper case and digits, or lowercase and digits, but never hex
 * alone (digests, trace ids, commits and UUIDs: vendor tokens made of hex carry a prefix or suffix that is not, and
 * hex never decodes to text).
 */
function isMixedRun(bits: number, length: number): boolean {
  if ((bits & NOT_HEX) === 0) return false;
  if ((bits & UPPER) !== 0) return (bits & (LOWER | DIGIT)) !== 0;
  return length > 24 && (bits & DIGIT) !== 0 && (bits & LOWER) !== 0;
}

/**
 * One line to its fixed point. A line with escape sequences is read without them (colour codes may sit between a
 * key and its value); it comes back without them only when something in it was redacted.
 */
function redactLine(
  line: string,
  pending: PendingName | undefined,
  depth: number,
): { text: string; count: number; pending: PendingName | undefined } {
  const source = line.includes('\x1b') ? line.replace(ANSI, '') : line;
  let current = source;
  let count = 0;
  let carry = pending;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = count;
    let runs = findTokenRuns(current);
    // BASE64_RUN needs 32 token characters in a row: most lines have no run that long.
    if (depth < MAX_DEPTH && runs.some((run) => run.end - run.start >= 32)) {
      const decoded = redactBase64Runs(current, depth);
      if (decoded.count > 0) {
        current = decoded.text;
        count += decoded.count;
        runs = findTokenRuns(current);
      }
    }
    const vendor = redactVendorTokens(current, runs);
    current = vendor.text;
    count += vendor.count;
    let lower = current.toLowerCase();
    for (const rule of SECRET_RULES) {
      if (!rule.needs.some((literal) => lower.includes(literal))) continue;
      if (rule.name === 'short-password-flag' && !hasLoginContext(current)) continue;
      const applied = applyRule(rule, current);
      if (applied.count === 0) continue;
      current = applied.text;
      lower = current.toLowerCase();
      count += applied.count;
    }
    const kv = scanKeyValues(current, pass === 0 ? carry : undefined);
    if (pass === 0) carry = kv.pending;
    current = kv.text;
    count += kv.count;
    if (count === before) break;
  }
  return { text: count > 0 ? current : line, count, pending: carry };
}

/** A base64 run whose decoded text holds a secret (a `tls.key` PEM, a `.dockerconfigjson`) is removed whole. */
function redactBase64Runs(text: string, depth: number): { text: string; count: number } {
  let count = 0;
  const out = text.replace(BASE64_RUN, (run) => {
    const decoded = decodeBase64(run);
    if (decoded === undefined || redactDepth(decoded, depth + 1).count === 0) return run;
    count++;
    return REDACTED;
  });
  return { text: count > 0 ? out : text, count };
}

/** The text a base64 run encodes, when it encodes text (not a digest or compressed bytes). */
function decodeBase64(run: string): string | undefined {
  const clean = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  // Hex digests and ids have the alphabet but only 16 of its letters: they decode to bytes, never to text.
  if (/^[0-9a-f]+$/i.test(clean)) return undefined;
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.length < 16) return undefined;
  let printable = 0;
  for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  if (printable / bytes.length < 0.95) return undefined;
  return bytes.toString('latin1');
}

/**
 * Like String.replace, except that a match judged innocent is skipped by one character rather than by its whole
 * length: an innocent `secretName: "..."` must not hide a real `password=...` inside its quotes.
 */
function applyRule(rule: SecretRule, text: string): { text: string; count: number } {
  const re = rule.pattern;
  re.lastIndex = 0;
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    const replacement = rule.replace(m.slice(1), text.slice(end, end + 16));
    if (replacement === undefined || replacement === m[0]) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push(text.slice(copied, m.index), replacement);
    copied = end;
    // An empty match cannot happen for our patterns, but a zero-width step would loop forever.
    re.lastIndex = Math.max(copied, m.index + 1);
    count++;
  }
  re.lastIndex = 0;
  if (count === 0) return { text, count };
  out.push(text.slice(copied));
  return { text: out.join(''), count };
}
