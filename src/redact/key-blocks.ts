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

/**
 * A block whose BEGIN was cut off (a 200-line tail, a termination message that starts mid-key): the base64 lines
 * right above the END line go. The first line may be a partial one.
 */
const NO_BEGIN = new RegExp(
  String.raw`(?<=^|\n|\\n|["'\s])((?:[A-Za-z0-9+/=]{1,100}${NL}[ \t]*){1,400})(${PEM_END})`,
  'g',
);

/** A line that is nothing but base64 of the width PEM (64), OpenSSH (70), PGP (64) and PuTTY (64) wrap key bodies at. */
const BODY_LINE = /^[ \t]*[A-Za-z0-9+/]{56,80}={0,2}[ \t]*$/;
/** The short last line of a body, or a PGP checksum (`=AbCd`). */
const TAIL_LINE = /^[ \t]*(?:[A-Za-z0-9+/]{16,80}={0,2}|[A-Za-z0-9+/]{1,80}={1,2}|=[A-Za-z0-9+/]{4})[ \t]*$/;

function isBodyLine(line: string): boolean {
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
    out = out.replace(NO_BEGIN, (m, inner: string, end: string) => {
      const kept = inner.replace(/\[REDACTED\]/g, '');
      if (kept.replace(/\\[nr]|\s/g, '').length < 8) return m;
      count++;
      const nl = /\\n[ \t]*$/.test(inner) ? '\\n' : '\n';
      return `${REDACTED}${nl}${end}`;
    });
  }
  if (out.includes('Private-Lines:')) {
    out = out.replace(/(Private-Lines: \d+)((?:\r?\n[A-Za-z0-9+/=]{1,80})+)/g, (_m, head: string) => {
      count++;
      return `${head}\n${REDACTED}`;
    });
  }
  const runs = redactBodyRuns(out);
  return { text: runs.text, count: count + runs.count };
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

/** Two or more key-width base64 lines in a row (and the short line that ends them) become one marker line. */
function redactBodyRuns(text: string): { text: string; count: number } {
  // Cheap test first: a body line is at least 56 base64 characters with no space.
  if (!/[A-Za-z0-9+/]{56}/.test(text)) return { text, count: 0 };
  const lines = text.split('\n');
  let count = 0;
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!isBodyLine(lines[i]!.replace(/\r$/, ''))) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && isBodyLine(lines[j]!.replace(/\r$/, ''))) j++;
    if (j - i < 2) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    for (let tail = 0; tail < 2 && j < lines.length && TAIL_LINE.test(lines[j]!.replace(/\r$/, '')); tail++) j++;
    const indent = /^[ \t]*/.exec(lines[i]!)?.[0] ?? '';
    out.push(`${indent}${REDACTED}`);
    count++;
    i = j;
  }
  return count === 0 ? { text, count } : { text: out.join('\n'), count };
}
