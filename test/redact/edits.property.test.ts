import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, type Edit } from '../../src/redact/edits.js';
import { REDACTED, redact } from '../../src/redact/index.js';
import { generateSecretLines } from './generate-secrets.js';
import { ORDINARY_LINES } from './ordinary-lines.js';

// Redaction finds key blocks, line secrets and cut keys as edits of the original text and builds the result once;
// these properties check that the edits compose: every secret goes wherever it sits, and nothing else moves.

// Keys are generated below; the corpus's keys cut at one end would swallow the neighbouring line, as a cut key must.
const SECRET_LINES = generateSecretLines(4242, 1).filter((s) => !/PRIVATE KEY|Private-Lines/.test(s.line));
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const bodyLine = fc.string({ unit: fc.constantFrom(...BASE64), minLength: 64, maxLength: 64 });
const label = fc.constantFrom('RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY');

/** A log piece: its lines, the substrings that must go, and the lines that must stay as they are. */
interface Piece {
  lines: string[];
  secrets: string[];
  ordinary: string[];
}

const wholeKey: fc.Arbitrary<Piece> = fc
  .tuple(label, fc.array(bodyLine, { minLength: 2, maxLength: 5 }))
  .map(([l, body]) => ({
    lines: [`-----BEGIN ${l}-----`, ...body, `-----END ${l}-----`],
    secrets: body,
    ordinary: [],
  }));
/** A key in one JSON string, newlines escaped (a service account file, a Secret's data). */
const escapedKey: fc.Arbitrary<Piece> = fc
  .tuple(label, fc.array(bodyLine, { minLength: 2, maxLength: 4 }))
  .map(([l, body]) => ({
    lines: [`{"private_key":"-----BEGIN ${l}-----\\n${body.join('\\n')}\\n-----END ${l}-----\\n"}`],
    secrets: body,
    ordinary: [],
  }));
/** PuTTY's format: the private lines end at the MAC line. */
const puttyKey: fc.Arbitrary<Piece> = fc.array(bodyLine, { minLength: 1, maxLength: 4 }).map((body) => ({
  lines: [`Private-Lines: ${body.length}`, ...body, 'Private-MAC: 0123abcd'],
  secrets: body,
  ordinary: [],
}));
const secretLine: fc.Arbitrary<Piece> = fc
  .constantFrom(...SECRET_LINES)
  .map((s) => ({ lines: [s.line], secrets: s.secrets, ordinary: [] }));
const ordinaryLine: fc.Arbitrary<Piece> = fc
  .constantFrom(...ORDINARY_LINES.filter((l) => l !== ''))
  .map((l) => ({ lines: [l], secrets: [], ordinary: [l] }));

/** A tail starts mid-key (BEGIN cut off); a byte limit ends mid-key (END cut off). */
const cutAtStart: fc.Arbitrary<Piece> = fc
  .tuple(label, fc.array(bodyLine, { minLength: 2, maxLength: 4 }))
  .map(([l, body]) => ({ lines: [...body, `-----END ${l}-----`], secrets: body, ordinary: [] }));
const cutAtEnd: fc.Arbitrary<Piece> = fc
  .tuple(label, fc.array(bodyLine, { minLength: 1, maxLength: 4 }))
  .map(([l, body]) => ({ lines: [`-----BEGIN ${l}-----`, ...body], secrets: body, ordinary: [] }));

const log = fc.record({
  first: fc.option(cutAtStart, { nil: undefined }),
  middle: fc.array(fc.oneof(wholeKey, escapedKey, puttyKey, secretLine, ordinaryLine, ordinaryLine), {
    maxLength: 12,
  }),
  last: fc.option(cutAtEnd, { nil: undefined }),
  newline: fc.constantFrom('\n', '\r\n'),
});

describe('redaction edits compose', () => {
  it('applying edits is slicing them in one by one, from the last to the first', () => {
    const edits = fc
      .array(fc.tuple(fc.nat(40), fc.nat(5), fc.string({ maxLength: 6 })), { maxLength: 8 })
      .map((raw) => {
        let at = 0;
        return raw.map(([gap, length, text]): Edit => {
          const start = at + gap;
          at = start + length;
          return { start, end: at, text };
        });
      });
    fc.assert(
      fc.property(fc.string({ minLength: 300, maxLength: 300 }), edits, (text, list) => {
        let expected = text;
        for (const e of [...list].reverse()) expected = expected.slice(0, e.start) + e.text + expected.slice(e.end);
        expect(applyEdits(text, list)).toBe(expected);
      }),
    );
  });

  it('keys whole, escaped, cut at either end or in PuTTY form, among secret lines: all gone, other lines intact', () => {
    fc.assert(
      fc.property(log, ({ first, middle, last, newline }) => {
        const pieces = [...(first ? [first] : []), ...middle, ...(last ? [last] : [])];
        const text = pieces.flatMap((p) => p.lines).join(newline);
        const out = redact(text);
        for (const secret of pieces.flatMap((p) => p.secrets)) expect(out.text).not.toContain(secret);
        for (const line of pieces.flatMap((p) => p.ordinary)) expect(out.text).toContain(line);
        expect(out.count).toBeGreaterThanOrEqual(pieces.filter((p) => p.secrets.length > 0).length);
        expect(redact(out.text).text).toBe(out.text);
      }),
      { numRuns: 300 },
    );
  });

  it('a log with no secret comes out byte for byte, whatever its line endings', () => {
    fc.assert(
      fc.property(fc.array(ordinaryLine, { maxLength: 20 }), fc.constantFrom('\n', '\r\n'), (pieces, newline) => {
        const text = pieces.flatMap((p) => p.lines).join(newline);
        expect(redact(text)).toEqual({ text, count: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it('the marker replaces each key body once, keeping the BEGIN and END lines', () => {
    fc.assert(
      fc.property(fc.array(wholeKey, { minLength: 1, maxLength: 4 }), (keys) => {
        const out = redact(keys.flatMap((k) => k.lines).join('\n'));
        expect(out.count).toBe(keys.length);
        expect(out.text.split(REDACTED).length - 1).toBe(keys.length);
        for (const k of keys) expect(out.text).toContain(`${k.lines[0]}${REDACTED}${k.lines.at(-1)}`);
      }),
    );
  });
});

describe('redaction stays linear where markers crowd', () => {
  // Each of these once made a step scan back over the whole line, or over every edit, for each marker.
  it.each([
    ['BEGIN markers without END on one line', '\t-----BEGIN PRIVATE KEY-----\u0000'],
    ['BEGIN markers without END, each before a redacted line', '-----BEGIN PRIVATE KEY-----\npassword=hunter22abc\n'],
    [
      'PuTTY private lines between END markers',
      'Private-Lines: 1\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n-----END PRIVATE KEY-----\n',
    ],
  ])('%s: a megabyte in under two seconds', (_name, unit) => {
    const started = performance.now();
    redact(unit.repeat(Math.ceil(1_000_000 / unit.length)));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
