import { isInnocentValue, isSecretValue, REDACTED } from './judge-value.js';
import { type KeyStrength, keyStrength } from './sensitive-key.js';

/**
 * A secret announced by a name earlier on: `{name: DB_PASSWORD, value: …}` (Kubernetes env, Terraform, Spring
 * config) or `"db.password": {"value": …}`. Carried across lines, so a YAML `- name: DB_PASSWORD` makes the next
 * line's `value:` the secret.
 */
export interface PendingName {
  strength: KeyStrength;
  /** Characters (across lines) during which a `value:` key takes the strength. */
  budget: number;
}

/** Separators between a key and its value: `=`, `:`, `=>`, `:=`, and the full-width `：` and `＝`. */
const SEP = /=>|:=|[:=：＝]/g;
const KEY_CHAR_RE = /[\p{L}\p{N}_.\-/]/u;
/** Letters, digits, `_ . - /` and any letter of another script; ASCII decided without a regex. */
const KEY_CHAR = {
  test(c: string): boolean {
    const code = c.charCodeAt(0);
    if (code < 128) {
      return (
        (code >= 97 && code <= 122) ||
        (code >= 65 && code <= 90) ||
        (code >= 45 && code <= 57) || // - . / and digits
        code === 95
      );
    }
    return KEY_CHAR_RE.test(c);
  },
};
const ANSI_BEFORE = /\x1b\[[0-9;?]*[ -/]*[@-~]$/;
const ANSI_ALL = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const ANSI_AT = /\x1b\[[0-9;?]*[ -/]*[@-~]/y;
const QUOTE_BEFORE = /(?:\\*["'`“”„‟«»‘’‚‛「」『』＂])$/;
/** The quote marks QUOTE_BEFORE ends with: a key without one right before the separator is not quoted. */
const QUOTE_MARKS = new Set(['"', "'", '`', ...'“”„‟«»‘’‚‛「」『』＂']);
const QUOTE_AT = /\\*["'`“”„‟«»‘’‚‛「」『』＂]/y;
const BARE_VALUE = /(?![[{(\\])[^\s"'`,;&<>\\\x1b]{1,1024}/y;
/** Outside a query string `&` is part of a value (`DB_PASSWORD=Tr0ub4dor&3`); inside one it starts the next pair. */
const BARE_VALUE_WITH_AMP = /(?![[{(\\])[^\s"'`,;<>\\\x1b]{1,1024}/y;
/** Keys that hold the value of a named setting: `{name: password, value: …}`, `"password": {"value": …}`. */
const VALUE_KEYS = new Set([
  'value',
  'val',
  'v',
  'data',
  'secret',
  'plaintext',
  'plain',
  'text',
  'raw',
  'current',
  'content',
  'default',
  'defaultvalue',
  'stringvalue',
  'secretvalue',
  'secretstring',
  'encoded',
  'decoded',
  'b64',
  'base64',
  'cleartext',
  'literal',
]);
/** Keys that name a setting whose value comes next. */
const NAME_KEYS = new Set([
  'name',
  'key',
  'id',
  'field',
  'param',
  'parameter',
  'variable',
  'var',
  'property',
  'prop',
  'setting',
  'env',
  'label',
  'title',
]);

const CLOSING: Record<string, string> = {
  '“': '”',
  '„': '“',
  '‟': '”',
  '«': '»',
  '»': '«',
  '‘': '’',
  '‚': '‘',
  '‛': '’',
  '「': '」',
  '『': '』',
};

/** A key in lowercase letters and digits only; logs repeat their keys, so a bounded memo keeps this a map lookup. */
function compact(key: string): string {
  let word = COMPACT.get(key);
  if (word === undefined) {
    word = key.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    if (COMPACT.size >= 4096) COMPACT.clear();
    COMPACT.set(key, word);
  }
  return word;
}
const COMPACT = new Map<string, string>();

/** The value after a separator: its span, the text inside its quotes and the quote itself. */
function readValue(
  line: string,
  from: number,
  inQuery: boolean,
  escapes: boolean,
): { start: number; end: number; inner: string; innerStart: number; quote: string } | undefined {
  let i = from;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (!escapes) break;
    ANSI_AT.lastIndex = i;
    const ansi = ANSI_AT.exec(line);
    if (!ansi) break;
    i += ansi[0].length;
  }
  QUOTE_AT.lastIndex = i;
  const q = QUOTE_AT.exec(line);
  if (q) {
    const quote = q[0];
    const mark = quote[quote.length - 1]!;
    const close = CLOSING[mark];
    const innerStart = i + quote.length;
    let j = innerStart;
    const limit = Math.min(line.length, innerStart + 1024);
    while (
      j < limit &&
      line[j] !== '\n' &&
      line[j] !== mark &&
      line[j] !== close &&
      !(mark === '"' && line[j] === '”')
    ) {
      if (line[j] === '\\' && line[j + 1] === '\\') j++;
      j++;
    }
    let innerEnd = j;
    while (innerEnd > innerStart && line[innerEnd - 1] === '\\') innerEnd--;
    return { start: i, end: innerEnd, inner: line.slice(innerStart, innerEnd), innerStart, quote };
  }
  const re = inQuery ? BARE_VALUE : BARE_VALUE_WITH_AMP;
  re.lastIndex = i;
  const bare = re.exec(line);
  if (!bare) return undefined;
  return { start: i, end: i + bare[0].length, inner: bare[0], innerStart: i, quote: '' };
}

/** The key before a separator: the word (and up to three more, space-separated) and whether it was quoted. */
function readKey(
  line: string,
  sepStart: number,
  escapes: boolean,
): { key: string; phrase: string; quoted: boolean; inQuery: boolean } | undefined {
  let j = sepStart;
  for (;;) {
    while (j > 0 && (line[j - 1] === ' ' || line[j - 1] === '\t')) j--;
    if (!escapes) break;
    const ansi = ANSI_BEFORE.exec(line.slice(Math.max(0, j - 24), j));
    if (!ansi) break;
    j -= ansi[0].length;
  }
  const quote = QUOTE_MARKS.has(line[j - 1] ?? '')
    ? (QUOTE_BEFORE.exec(line.slice(Math.max(0, j - 8), j))?.[0] ?? '')
    : '';
  const keyEnd = j - quote.length;
  let k = keyEnd;
  while (k > 0 && keyEnd - k < 96 && KEY_CHAR.test(line[k - 1]!)) k--;
  // Letters outside the BMP (rare in key names) are two code units; stopping inside one only shortens the key.
  let key = line.slice(k, keyEnd);
  if (/^\.?\.?\//.test(key)) {
    // `open /etc/passwd: no such file` names a file; in `…//DB_PASSWORD=x` or `path/TOKEN=x` the last segment is the key.
    if (line[sepStart] === ':') return undefined;
    key = key.slice(key.lastIndexOf('/') + 1);
    k = keyEnd - key.length;
  }
  if (key === '') return undefined;
  let start = k;
  for (let words = 0; words < 3; words++) {
    if (line[start - 1] !== ' ' || start < 2 || !KEY_CHAR.test(line[start - 2]!)) break;
    let q = start - 1;
    while (q > 0 && start - 1 - q < 32 && KEY_CHAR.test(line[q - 1]!)) q--;
    start = q;
  }
  const before = line[k - 1];
  return { key, phrase: line.slice(start, keyEnd), quoted: quote !== '', inQuery: before === '?' || before === '&' };
}

/**
 * An empty value followed by the next pair (`Password= token: abc`) would swallow the next key and leave its value
 * bare: such a value is skipped, and the scan redacts the real one at the next separator.
 */
function startsAnotherKey(value: string, line: string, end: number): boolean {
  const m = /^([\w.-]+)(:$|=|$)/.exec(value);
  if (m === null || keyStrength(m[1]!) === undefined) return false;
  return m[2] !== '' || /^[ \t]*(?:=|:(?![:/]))/.test(line.slice(end, end + 8));
}

/**
 * Finds `key<sep>value` pairs on one line (logfmt, YAML, JSON at any depth of escaping, INI, env, HTTP headers,
 * query strings, Go `:=`, Ruby `=>`) and replaces each value whose key announces a secret. ANSI colour codes may sit
 * between key, separator and value; quotes may be typographic; key names may hold spaces (`Unseal Key 1:`).
 */
export function scanKeyValues(
  line: string,
  pending: PendingName | undefined,
): { text: string; count: number; pending: PendingName | undefined } {
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  let carry = pending;
  let lastSep = 0;
  // Colour codes are rare once redactLine has stripped them; without an ESC the ANSI checks are skipped.
  const escapes = line.includes('\x1b');
  SEP.lastIndex = 0;
  for (let m = SEP.exec(line); m !== null; m = SEP.exec(line)) {
    const sep = m[0];
    const s = m.index;
    const e = s + sep.length;
    if (carry) {
      carry = { strength: carry.strength, budget: carry.budget - (s - lastSep) };
      if (carry.budget <= 0) carry = undefined;
    }
    lastSep = s;
    if (s < copied) continue;
    // A URL scheme, `::`, `==`, `!=`, `<=`, `>=`.
    if (sep === ':' && (line.startsWith('//', e) || line[e] === ':' || line[s - 1] === ':')) continue;
    if (sep === '=' && (line[e] === '=' || /[=!<>~+\-*/]/.test(line[s - 1] ?? ''))) continue;
    const key = readKey(line, s, escapes);
    if (!key) continue;
    const word = compact(key.key);
    let strength = keyStrength(key.key);
    let needsShape = false;
    if (strength !== 'strong' && key.phrase !== key.key) {
      // `Unseal Key 1: …`, `Your API Key: …`: words of prose may precede, so only a secret-shaped value counts.
      const phrase = keyStrength(key.phrase);
      if (phrase !== undefined) {
        strength = phrase;
        needsShape = true;
      }
    }
    if (strength === undefined && carry && VALUE_KEYS.has(word)) strength = carry.strength;
    const ahead = line.slice(e, e + 16);
    if (strength !== undefined && /^[ \t]*\{/.test(escapes ? ahead.replace(ANSI_ALL, '') : ahead)) {
      // `"db.password": {"value": "…"}`: the value one level down is the secret.
      carry = { strength, budget: 512 };
      continue;
    }
    const value = readValue(line, e, key.inQuery, escapes);
    if (!value) continue;
    if (NAME_KEYS.has(word) && /^[\w.-]{1,64}$/.test(value.inner) && keyStrength(value.inner) !== undefined) {
      // `key="SmtpPassword"`, `name: DB_PASSWORD`: the name of a secret, whose value comes next.
      carry = { strength: keyStrength(value.inner), budget: 400 };
      continue;
    }
    const secret =
      strength !== undefined &&
      // A quoted key with a bare word after it is prose, not JSON: `volume "db-secret" : secret "db" not found`.
      !(key.quoted && value.quote === '' && !/^-?\d/.test(value.inner)) &&
      !(value.quote === '' && startsAnotherKey(value.inner, line, value.end)) &&
      isSecretValue(value.inner, needsShape ? 'weak' : strength) &&
      !isInnocentValue(value.inner);
    if (!secret) {
      if (NAME_KEYS.has(word)) {
        const named = keyStrength(value.inner);
        carry = named !== undefined ? { strength: named, budget: 400 } : undefined;
      }
      continue;
    }
    out.push(line.slice(copied, value.innerStart), REDACTED);
    copied = value.end;
    count++;
    carry = undefined;
    SEP.lastIndex = Math.max(SEP.lastIndex, value.end);
  }
  if (carry) carry = { strength: carry.strength, budget: carry.budget - (line.length - lastSep) };
  if (carry && carry.budget <= 0) carry = undefined;
  if (count === 0) return { text: line, count, pending: carry };
  out.push(line.slice(copied));
  return { text: out.join(''), count, pending: carry };
}
