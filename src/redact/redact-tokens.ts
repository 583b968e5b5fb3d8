import { REDACTED } from './judge-value.js';
import { VENDOR_SHAPES } from './vendor-shapes.js';

/** Prefixes of shapes whose source starts with an alternation the prefix reader below does not unpick. */
const PREFIX_OVERRIDES: Record<string, string[]> = {
  'google-refresh-token': ['1//0'],
  'notion-token': ['secret_', 'ntn_'],
  'square-token': ['sq0', 'EAAA'],
  'yandex-key': ['AQVN', 'y0_', 'y1_', 'y2_', 'y3_', 'YC'],
  'flyio-token': ['fo1_', 'fm1', 'fm2'],
  'supabase-token': ['sbp_', 'sb_secret_'],
  'jfrog-token': ['AKCp', 'cmVmd'],
  'vault-legacy-token': ['s.', 'b.', 'r.'],
};

/**
 * Shapes with no literal prefix, each with the cheap test that must hold for a run to be worth its regex: a
 * Terraform token's `.atlasv1.`, an Azure secret's `Q~`, a Mailchimp key's `-us<dc>`, a Telegram token's `:AA` or a
 * `/bot` path, a Discord token's two dots, an Asana token's `/`, an ngrok token's `_`, a kubeadm token's dot, a WIF key's
 * length.
 */
const UNPREFIXED_HINTS: Record<string, (run: string) => boolean> = {
  'terraform-cloud-token': (r) => r.includes('.atlasv1.'),
  'azure-ad-client-secret': (r) => r.includes('Q~'),
  'mailchimp-key': (r) => r.includes('-us'),
  'telegram-bot-token': (r) => r.includes(':AA'),
  'telegram-bot-token-in-path': (r) => r.includes('bot'),
  'discord-bot-token': (r) => {
    const dot = r.indexOf('.', 23);
    return dot >= 0 && r[dot + 7] === '.';
  },
  'asana-token': (r) => r.includes('/') && r.includes(':'),
  'ngrok-token': (r) => r.includes('_') && r.length >= 49,
  'kubeadm-bootstrap-token': (r) =>
    r.includes('.') && /(?:^|[^A-Za-z0-9.])[a-z0-9]{6}\.[a-z0-9]{16}(?:$|[^A-Za-z0-9.])/.test(r),
  'private-key-wif': (r) => (r.length === 51 || r.length === 52) && /^[5KL]/.test(r),
};

/** The literal start of a shape's source (after a leading lookbehind), or the literals of a leading alternation. */
function literalPrefixes(source: string): string[] | undefined {
  const s = source.replace(/^\(\?<![^)]*\)/, '');
  const alt = /^\(\?:((?:[A-Za-z0-9_-]+\|)+[A-Za-z0-9_-]+)\)/.exec(s);
  if (alt) return alt[1]!.split('|');
  let literal = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1] ?? '';
    if (/[A-Za-z0-9_-]/.test(c)) {
      if (/[?*{+]/.test(next)) break;
      literal += c;
    } else if (c === '\\' && /[./$]/.test(next)) {
      literal += next;
      i++;
    } else break;
  }
  return literal.length >= 2 ? [literal] : undefined;
}

/**
 * Sticky regexes by the first two characters of their prefix (two 7-bit codes make the index): a run is tried only
 * against the shapes it could start.
 */
const BY_PREFIX: (RegExp[] | undefined)[] = new Array(128 * 128);
/** Shapes without a prefix, each behind its hint. */
const UNPREFIXED: { hint: (run: string) => boolean; re: RegExp }[] = [];
for (const [name, source] of VENDOR_SHAPES) {
  const hint = UNPREFIXED_HINTS[name];
  if (hint) {
    UNPREFIXED.push({ hint, re: new RegExp(source, 'g') });
    continue;
  }
  const prefixes = PREFIX_OVERRIDES[name] ?? literalPrefixes(source);
  if (!prefixes) throw new Error(`vendor shape ${name} has neither a literal prefix nor a hint`);
  const re = new RegExp(source, 'y');
  for (const prefix of prefixes) {
    const key = prefix.charCodeAt(0) * 128 + prefix.charCodeAt(1);
    const list = BY_PREFIX[key] ?? [];
    if (!list.includes(re)) list.push(re);
    BY_PREFIX[key] = list;
  }
}

/** The spans of vendor tokens inside one run of `line`. */
function vendorSpans(line: string, run: TokenRun): [number, number][] {
  const spans: [number, number][] = [];
  for (let p = run.start; p <= run.end - MIN_TOKEN + 2; p++) {
    // A token starts the run or follows a separator (`key=AKIA…`, `https://ghp_…`, `token:xoxb-…`).
    if (p > run.start && (CLASS[line.charCodeAt(p - 1)]! & (SEP | B64)) === 0) continue;
    const a = line.charCodeAt(p);
    const b = line.charCodeAt(p + 1);
    if (a >= 128 || b >= 128) continue;
    const candidates = BY_PREFIX[a * 128 + b];
    if (!candidates) continue;
    for (const re of candidates) {
      re.lastIndex = p;
      const m = re.exec(line);
      if (m && p + m[0].length <= run.end) {
        spans.push([p, p + m[0].length]);
        p += m[0].length - 1;
        break;
      }
    }
  }
  const piece = line.slice(run.start, run.end);
  for (const { hint, re } of UNPREFIXED) {
    if (!hint(piece)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(piece); m !== null; m = re.exec(piece)) {
      const start = run.start + m.index;
      const end = start + m[0].length;
      if (!spans.some(([a, b]) => start < b && end > a)) spans.push([start, end]);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

// Character classes of token characters, by code: what a run is made of decides what it could be.
const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
const SEP = 8; // _ - . : $ ! ~ (the separators vendor formats put after a prefix)
const B64 = 16; // + / =
const CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASS[c] = UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = LOWER;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (const ch of '_-.:$!~') CLASS[ch.charCodeAt(0)] = SEP;
for (const ch of '+/=') CLASS[ch.charCodeAt(0)] = B64;

/** Shortest vendor token, and shortest base64 worth decoding (30 bytes: a `user:password` line). */
const MIN_TOKEN = 16;
const MIN_BASE64 = 40;

/** A run of token characters that may hold a secret: where it is and what it is made of. */
export interface TokenRun {
  start: number;
  end: number;
  classes: number;
}

/**
 * The runs of a line worth a closer look, found in one pass over its characters: at least 16 long and of mixed
 * classes. A lowercase hex trace id, a word or a number never qualifies, which is why this is cheaper than trying
 * a hundred vendor patterns on every line.
 */
export function findTokenRuns(line: string): TokenRun[] {
  const runs: TokenRun[] = [];
  let start = -1;
  let classes = 0;
  for (let i = 0; i <= line.length; i++) {
    const code = i < line.length ? line.charCodeAt(i) : 32;
    const cls = code < 128 ? CLASS[code]! : 0;
    if (cls !== 0) {
      if (start < 0) {
        start = i;
        classes = 0;
      }
      classes |= cls;
      continue;
    }
    if (start >= 0 && i - start >= MIN_TOKEN && isWorthALook(classes, i - start)) runs.push({ start, end: i, classes });
    start = -1;
  }
  return runs;
}

function isWorthALook(classes: number, length: number): boolean {
  const upper = (classes & UPPER) !== 0;
  const lower = (classes & LOWER) !== 0;
  const digit = (classes & DIGIT) !== 0;
  const sep = (classes & (SEP | B64)) !== 0;
  // Mixed case (most tokens, base64), upper and digits (AKIA…, NRAK-…), or lowercase and digits behind a
  // separator (dop_v1_<hex>, key-<hex>, a kubeadm token) or long (a NuGet key): a 32-digit hex id has none of these.
  return (
    (upper && (lower || digit || length >= 20)) || (lower && digit && (sep || length > 32)) || (sep && length >= 20)
  );
}

/** Whether a run could be base64 of text worth decoding. */
export function mayBeEncodedText(line: string, run: TokenRun): boolean {
  return (
    run.end - run.start >= MIN_BASE64 &&
    (run.classes & UPPER) !== 0 &&
    (run.classes & LOWER) !== 0 &&
    !/[.:$!~]/.test(line.slice(run.start, run.end).replace(/^[^A-Za-z0-9+/]+/, ''))
  );
}

/** Whether any run of the line holds a vendor shape (a cheap test before the line gets the full rule set). */
export function hasVendorToken(line: string, runs: readonly TokenRun[]): boolean {
  return runs.some((run) => vendorSpans(line, run).length > 0);
}

/** Vendor tokens inside the runs of a line (`findTokenRuns(line)`) replaced by the marker. */
export function redactVendorTokens(
  line: string,
  runs: readonly TokenRun[] = findTokenRuns(line),
): { text: string; count: number } {
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  for (const run of runs) {
    for (const [start, end] of vendorSpans(line, run)) {
      if (start < copied) continue;
      out.push(line.slice(copied, start), REDACTED);
      copied = end;
      count++;
    }
  }
  if (count === 0) return { text: line, count };
  out.push(line.slice(copied));
  return { text: out.join(''), count };
}
