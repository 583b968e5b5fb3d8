import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../src/redact/index.js';
import { generateSecretLines } from './generate-secrets.js';
import { generateOrdinaryLines, ORDINARY_LINES } from './ordinary-lines.js';
import { INNOCENT_LINES, SECRET_SAMPLES } from './secret-corpus.js';

const GENERATED = generateSecretLines(20261207, 3);

describe('redact: the generated corpus (random key material of each shape, in the contexts logs put it)', () => {
  it('holds at least 400 secret lines of at least 150 kinds', () => {
    expect(GENERATED.length).toBeGreaterThanOrEqual(400);
    expect(new Set(GENERATED.map((g) => g.kind)).size).toBeGreaterThanOrEqual(150);
  });

  it.each(GENERATED.map((g, i) => ({ ...g, i })))('$kind #$i: no part of the secret survives', ({ line, secrets }) => {
    const out = redact(line);
    for (const secret of secrets) expect(out.text).not.toContain(secret);
    expect(out.count).toBeGreaterThanOrEqual(1);
  });

  it('recall holds for other seeds too (the shapes, not one sample, are recognised)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const missed = generateSecretLines(seed, 2).filter((g) => g.secrets.some((s) => redact(g.line).text.includes(s)));
      expect(missed.map((m) => m.kind)).toEqual([]);
    }
  });

  it('all of them in one log are gone, and redacting again changes nothing', () => {
    const log = GENERATED.map((g) => g.line).join('\n');
    const once = redact(log);
    for (const g of GENERATED) for (const s of g.secrets) expect(once.text).not.toContain(s);
    expect(redact(once.text).text).toBe(once.text);
  });
});

describe('redact: ordinary lines come out byte for byte', () => {
  const lines = [...ORDINARY_LINES, ...generateOrdinaryLines(7, 60)];
  it('the corpus holds at least 100 ordinary lines', () => {
    expect(lines.length).toBeGreaterThanOrEqual(100);
  });
  it.each(lines.map((line) => [line]))('%j is unchanged', (line) => {
    expect(redact(line)).toEqual({ text: line, count: 0 });
  });
});

describe('redact: a corpus of real-world secrets', () => {
  it.each(SECRET_SAMPLES)('$name: the secret is gone and the marker says so', ({ line, secret, keeps }) => {
    const out = redact(line);
    expect(out.text).not.toContain(secret);
    expect(out.text).toContain(REDACTED);
    expect(out.count).toBeGreaterThanOrEqual(1);
    for (const kept of keeps ?? []) expect(out.text).toContain(kept);
  });

  it('all the secrets of the corpus in one log are all gone, and each is counted', () => {
    const log = SECRET_SAMPLES.map((s) => s.line).join('\n');
    const out = redact(log);
    for (const s of SECRET_SAMPLES) expect(out.text).not.toContain(s.secret);
    expect(out.count).toBeGreaterThanOrEqual(SECRET_SAMPLES.length);
  });
});

describe('redact: innocent lines', () => {
  it.each(INNOCENT_LINES.map((line) => [line]))('%j comes out unchanged', (line) => {
    expect(redact(line)).toEqual({ text: line, count: 0 });
  });
});

describe('redact: examples a reader checks by eye', () => {
  it.each([
    ['postgres://app:pw123456@db:5432/app', `postgres://app:${REDACTED}@db:5432/app`],
    ['Authorization: Bearer abcdefghijklmnop', `Authorization: Bearer ${REDACTED}`],
    ['{"password": "hunter22"}', `{"password": "${REDACTED}"}`],
    ['user=bob password=hunter22 retry=3', `user=bob password=${REDACTED} retry=3`],
    ['Server=db;Password=a b c;Port=1', `Server=db;Password=${REDACTED};Port=1`],
    ['hooks.slack.com/services/T1/B2/C3', `hooks.slack.com/services/${REDACTED}`],
  ])('%s becomes %s', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it('a PEM block keeps its BEGIN and END lines so the reader knows what was there', () => {
    const out = redact(
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oWa\n-----END EC PRIVATE KEY-----',
    );
    expect(out).toEqual({ text: `-----BEGIN EC PRIVATE KEY-----${REDACTED}-----END EC PRIVATE KEY-----`, count: 1 });
  });

  it('a secret hidden inside an innocent quoted value is still found', () => {
    const out = redact('secretName: "x password=hunter22 y"');
    expect(out.text).not.toContain('hunter22');
  });
});

const alnum = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: min,
    maxLength: max,
  });
const upperDigits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: n, maxLength: n });
const b64url = (min: number) =>
  fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: min,
    maxLength: min + 40,
  });

/** A secret (the substring that must vanish) and the line that carries it. */
const generatedSecret: fc.Arbitrary<{ line: string; secret: string }> = fc.oneof(
  alnum(36, 40).map((s) => ({ line: `ghp_${s}`, secret: `ghp_${s}` })),
  upperDigits(16).map((s) => ({ line: `AKIA${s}`, secret: `AKIA${s}` })),
  alnum(24, 32).map((s) => ({ line: `xoxb-12345-67890-${s}`, secret: s })),
  alnum(24, 32).map((s) => ({ line: `sk_live_${s}`, secret: s })),
  alnum(35, 35).map((s) => ({ line: `AIza${s}`, secret: s })),
  alnum(20, 30).map((s) => ({ line: `glpat-${s}`, secret: s })),
  fc
    .tuple(b64url(10), b64url(10), b64url(20))
    .map(([a, b, c]) => ({ line: `eyJ${a}.eyJ${b}.${c}`, secret: `eyJ${b}` })),
  fc
    .tuple(
      fc.constantFrom('password', 'DB_PASSWORD', 'client_secret', 'api_key', 'token', 'passwd'),
      fc.constantFrom('=', ': ', ' = '),
      alnum(12, 30),
    )
    .map(([k, sep, v]) => ({ line: `${k}${sep}${v}`, secret: v })),
  fc
    .tuple(fc.constantFrom('postgres', 'mysql', 'mongodb+srv', 'redis', 'amqp', 'https'), alnum(12, 30))
    .map(([scheme, v]) => ({ line: `${scheme}://user:${v}@host.example:1234/db`, secret: v })),
  alnum(16, 40).map((s) => ({ line: `Authorization: Bearer ${s}`, secret: s })),
  fc.tuple(alnum(12, 20), alnum(12, 20)).map(([a, b]) => ({ line: `{"password":"${a}${b}"}`, secret: `${a}${b}` })),
);

/** Contexts that change how the text after them is read: a PEM start, an open quote, a key, a URL scheme. */
const trickyContext = fc.constantFrom(
  '-----BEGIN PRIVATE KEY-----',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEow',
  'secretName: "',
  '"',
  "'",
  '\\"',
  'password=',
  'token: ',
  'Authorization: ',
  'Bearer ',
  'https://',
  'postgres://u:',
  'Server=db;Password=',
  '--password ',
  'eyJhbGciOi.',
  '[REDACTED]',
);
const noise = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.oneof(trickyContext, fc.string({ maxLength: 4 })), { maxLength: 6 }).map((parts) => parts.join('')),
);
const separator = fc.constantFrom(' ', '\n', '\t', ' | ');

describe('redact: properties', () => {
  it('never throws, never counts below zero, and is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.oneof(noise, fc.string({ unit: 'binary', maxLength: 2000 })), (text) => {
        const once = redact(text);
        expect(once.count).toBeGreaterThanOrEqual(0);
        const twice = redact(once.text);
        expect(twice.text).toBe(once.text);
        expect(twice.count).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent on text full of secrets and near-secrets', () => {
    const piece = fc.oneof(
      generatedSecret.map((s) => s.line),
      noise,
      fc.constantFrom('=', ':', '@', '"', "'", '://', 'password', REDACTED),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const once = redact(pieces.join(''));
        expect(redact(once.text).text).toBe(once.text);
      }),
      { numRuns: 300 },
    );
  });

  it('a generated secret embedded in random text never survives', () => {
    fc.assert(
      fc.property(noise, separator, generatedSecret, separator, noise, (before, s1, { line, secret }, s2, after) => {
        const out = redact(`${before}${s1}${line}${s2}${after}`);
        expect(out.text).not.toContain(secret);
        expect(out.count).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  // Each of these once made a pattern scan to the end of the text for every occurrence (quadratic time).
  it.each(['-----BEGIN PRIVATE KEY-----', 'eyJ', 'eyJabcd.', 'xoxb-', 'password', 'password="', 'Password=', 'a://b:'])(
    'stays fast on 200 KB of %j repeated on one line',
    (unit) => {
      const started = performance.now();
      redact(unit.repeat(Math.ceil(200_000 / unit.length)));
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );

  it('stays fast on a megabyte of log', () => {
    const line = 'level=info msg="GET /api/v1/items" user=bob status=200 took=12ms trace=3f2504e0-4f89-11d3\n';
    const log = line.repeat(Math.ceil(1_000_000 / line.length));
    const started = performance.now();
    redact(log);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
