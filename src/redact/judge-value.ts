import type { KeyStrength } from './sensitive-key.js';

/** The marker that replaces every secret; key names stay so a redacted log still reads. */
export const REDACTED = '[REDACTED]';

const QUOTES = /^(?:\\*["'`“”„‟«»‘’‚‛「」『』＂])+|(?:\\*["'`“”„‟«»‘’‚‛「」『』＂])+$/g;

/** A value without the quotes (plain, escaped or typographic) round it. */
export function unquote(value: string): string {
  return value.replace(QUOTES, '').trim();
}

/** Values that carry no secret: already redacted, empty, masks, placeholders and references to somewhere else. */
export function isInnocentValue(value: string): boolean {
  const v = unquote(value);
  return (
    v === '' ||
    v.includes(REDACTED) ||
    /^(?:null|nil|none|undefined|true|false|yes|no|on|off|\*+|x{3,}|•+|<[^<>]*>|\.{3}|…)$/i.test(v) ||
    /^(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*|%\([\w.]+\)s|%s|%v|\?)$/.test(v)
  );
}

/**
 * Words that follow a sensitive word in prose and error messages rather than a secret: `invalid token: expired`,
 * `password: authentication failed`, `secret: not found`.
 */
const PROSE = new Set(
  (
    'expired invalid missing required empty not none unset denied rejected refused failed failure error errors ok ' +
    'set present absent valid revoked unknown malformed mismatch incorrect wrong changed updated rotated found ' +
    'provided supplied accepted verified authentication authorization authenticated unauthorized forbidden ' +
    'redacted hidden masked omitted removed deleted created generated loaded configured disabled enabled default ' +
    'is was are were has have had the a an of for to from in on at with without by using via no yes must should ' +
    'cannot could would will may might do does did being been be too short long weak strong expiring expires ' +
    'refreshed refreshing renewed renewing unavailable timeout timed retrying retry skipped skipping ignored ' +
    'pending ready done new old same different none_set'
  ).split(' '),
);

/** Whether a value is an English word of prose (`expired`, `not found`), not a credential. */
export function isProse(value: string): boolean {
  const v = unquote(value);
  return /^[a-z]+$/.test(v) && PROSE.has(v);
}

/**
 * Whether a value has the shape of generated key material or a chosen password: long enough, not a plain word, a
 * Kubernetes name, a path, a number or a version.
 */
export function looksLikeSecret(value: string): boolean {
  const v = unquote(value);
  if (v.length < 8 || v.length > 4096) return false;
  if (/\s/.test(v)) return false;
  // A Kubernetes-style name (db-credentials, app.kubernetes.io), a path or a URL without credentials.
  // (A long unbroken run of hex or alphanumerics is key material, whatever letter it starts with.)
  if (/^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*$/.test(v) && !/[0-9a-f]{16}|[a-z0-9]{24}/.test(v)) return false;
  if (/^(?:\/|\.\.?\/|[a-z][\w+.-]*:\/\/[^@]*$)/i.test(v)) return false;
  // An identifier made of words and small numbers: `user:42:profile`, `web_7.log`, `v2/items`.
  if (/^(?:[A-Za-z][a-z]{0,11}|\d{1,6})(?:[:._/-](?:[A-Za-z][a-z]{0,11}|\d{1,6}))+$/.test(v)) return false;
  // A number, a version, a date, an IP address.
  if (/^[\d.:+\-TZ]+$/.test(v) || /^v?\d+(?:\.\d+)+(?:[-+][\w.]+)?$/.test(v)) return false;
  const letters = /[A-Za-z]/.test(v);
  const digits = /\d/.test(v);
  const mixedCase = /[a-z]/.test(v) && /[A-Z]/.test(v);
  const symbols = /[^A-Za-z0-9]/.test(v);
  return (letters && digits) || (mixedCase && (symbols || v.length >= 12)) || (letters && symbols && v.length >= 12);
}

/** Whether `value` after a key of this strength is the secret. */
export function isSecretValue(value: string, strength: KeyStrength): boolean {
  if (strength === undefined || isInnocentValue(value) || isProse(value)) return false;
  const v = unquote(value);
  // No credential is three characters long; `token: 5`, `password=12` and `sig: v1` are counts and versions.
  if (v.length < 4) return false;
  return strength === 'strong' || looksLikeSecret(v);
}
