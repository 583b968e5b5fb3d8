import { REDACTED } from './judge-value.js';
import { DROPPED, redactBodyRuns, redactCutKeys, redactKeyBlocks } from './key-blocks.js';
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
 * languages, full-width separators) or an escape sequence; or (`VENDOR_PREFIX`) the start of a vendor token.
 * Everything else is copied as is, which is what makes redaction fast on real logs. Factored by first letter: an
 * alternation V8 can dispatch on one character scans several times faster than a flat one.
 */
const CONTEXT =
  /p(?:ass|wd|in|riv)|s(?:ecret|ig|ess|alt|eed|qlcmd)|tok|key|a(?:uth|ppid)|c(?:red|ookie)|bearer|m(?:nemonic|ysql)|otp|l(?:icen|ogin)|dsn|h(?:mac|ook)|identified|redis-cli|dockerconfig|:\/\/|-----|[^\x00-\x7f]|\x1b/i;
/**
 * The prefixes (and a few infixes) of the shapes in vendor-shapes.ts, case-sensitive. Shapes without one (a WIF
 * key) are looked for on lines that have a context word.
 */
const VENDOR_PREFIX = new RegExp(
  [
    'A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|BIA|CCA|PKA|Iza|AAA|GE-|TATT3|KID|QVN|PI-[A-Z0-9]|TBB|KCp|3-)',
    'a(?:io_|ccess-)',
    'b(?:kua_|3BlbnNzaC1rZXkt|\\.[0-9A-Za-z]{24})',
    'C(?:FPAT-|LOJARS_|CIP)',
    'cmVmd',
    'd(?:api|t0|p\\.|o[opr]_v1_|ckr_|uffel_)',
    'E(?:AA|Z[AT]K)',
    'eyJ',
    'f(?:io-u-|o1_|m[12]|igd_)',
    'FLW',
    'G(?:OCSPX-|R1348941)',
    'g(?:h[pousr]_|ithub_pat_|l[a-z]{2,5}-|l[cs]a?_|sk_)',
    'H(?:RKU-)',
    'h(?:v[sbr]\\.|f_)',
    'key-',
    'L(?:TAI|S0tLS1CRUdJT)',
    'l(?:in_|sv2_)',
    'N(?:R[A-Z]{2}-)',
    'n(?:pm_|tn_|f[pc]_)',
    'o(?:y2|ps_)',
    'P(?:MAK-)',
    'p(?:ypi-|ul-|scale_|n[ub]_|at[A-Za-z0-9]{14}\\.|at-[a-z]{2}\\d-|plx-|csk_)',
    'r(?:k_(?:live|test)_|8_|ubygems_|dme_|nd_|\\.[0-9A-Za-z]{24})',
    'S(?:G\\.|K[0-9a-fA-F]{32})',
    's(?:k[-_]|hp|ntry|ecret_|q0|hippo_|b[p_]|q[pua]_|l\\.|\\.[0-9A-Za-z]{24})',
    't(?:fp_|k-us-|skey-)',
    'v1\\.0-',
    'w(?:hsec_)',
    'x(?:ox|app-|keysib-|ai-)',
    'y(?:a29\\.|[0-3]_)',
    'YC[A-Za-z0-9_-]{38}',
    '00D',
    '1\\/\\/0',
    '\\$(?:production|sandbox)\\$',
    ':AA',
    '\\dQ~',
    '-us\\d',
    'atlasv1',
    // Shapes without a prefix: a Discord bot token's middle part, a kubeadm token's secret half, an ngrok token.
    '\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27}',
    '\\.[a-z0-9]{16}(?![A-Za-z0-9.])',
    '_[A-Za-z0-9]{21}(?![A-Za-z0-9])',
  ].join('|'),
);
/** A base64 run long enough to encode a credential line (30 bytes): decoded and scanned. */
const LONG_BASE64 = /[A-Za-z0-9+/]{40,}/g;

/** Whether a line holds a long base64 run of mixed case (hex digests and ids, one case only, do not count). */
function hasEncodedText(line: string): boolean {
  LONG_BASE64.lastIndex = 0;
  for (let m = LONG_BASE64.exec(line); m !== null; m = LONG_BASE64.exec(line)) {
    if (/[a-z]/.test(m[0]) && /[A-Z]/.test(m[0])) {
      LONG_BASE64.lastIndex = 0;
      return true;
    }
  }
  return false;
}
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

function redactDepth(input: string, depth: number): { text: string; count: number } {
  const blocks = redactKeyBlocks(input);
  let count = blocks.count;
  const lines = blocks.text.split('\n');
  const runs = redactBodyRuns(lines);
  count += runs;
  let pending: PendingName | undefined;
  let changed = runs > 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (pending === undefined && !CONTEXT.test(line) && !VENDOR_PREFIX.test(line)) {
      // No context and no vendor prefix: only base64 that decodes to a secret can hide here.
      if (depth < MAX_DEPTH && hasEncodedText(line)) {
        const decoded = redactBase64Runs(line, depth);
        if (decoded.count > 0) {
          lines[i] = decoded.text;
          count += decoded.count;
          changed = true;
        }
      }
      continue;
    }
    const r = redactLine(line, pending, depth);
    pending = r.pending;
    if (r.count > 0) {
      lines[i] = r.text;
      count += r.count;
      changed = true;
    }
  }
  const joined = changed ? (runs > 0 ? lines.filter((l) => l !== DROPPED) : lines).join('\n') : blocks.text;
  const cut = redactCutKeys(joined);
  return { text: cut.text, count: count + cut.count };
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
    if (depth < MAX_DEPTH) {
      const decoded = redactBase64Runs(current, depth);
      current = decoded.text;
      count += decoded.count;
    }
    for (const rule of SECRET_RULES) {
      if (rule.name === 'short-password-flag' && !hasLoginContext(current)) continue;
      const applied = applyRule(rule, current);
      current = applied.text;
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
      re.lastIndex = rule.skipWhole ? end : m.index + 1;
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
