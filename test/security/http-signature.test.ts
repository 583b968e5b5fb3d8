import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_WINDOW_SECONDS, verifySlackSignature } from '../../src/ingress/index.js';
import { signRequest } from '../sim/slack/sign-request.js';

const SECRET = 'the-signing-secret';
const NOW_MS = 1_800_000_000_000;
const NOW = NOW_MS / 1000;
const signed = (body: string, ts: number, secret = SECRET) => {
  const h = signRequest(secret, body, ts);
  return { rawBody: body, timestamp: h['x-slack-request-timestamp'], signature: h['x-slack-signature'] };
};

describe('verifySlackSignature', () => {
  it.each([
    ['signed now', signed('a=1', NOW), true],
    ['signed at the start of the window', signed('a=1', NOW - SIGNATURE_WINDOW_SECONDS), true],
    ['signed at the end of the window', signed('a=1', NOW + SIGNATURE_WINDOW_SECONDS), true],
    ['a second too old', signed('a=1', NOW - SIGNATURE_WINDOW_SECONDS - 1), false],
    ['a second too far ahead', signed('a=1', NOW + SIGNATURE_WINDOW_SECONDS + 1), false],
    ['signed with another secret', signed('a=1', NOW, 'other'), false],
    ['a body changed after signing', { ...signed('a=1', NOW), rawBody: 'a=2' }, false],
    ['a timestamp changed after signing', { ...signed('a=1', NOW), timestamp: String(NOW + 1) }, false],
    ['no signature', { ...signed('a=1', NOW), signature: undefined }, false],
    ['no timestamp', { ...signed('a=1', NOW), timestamp: undefined }, false],
    ['a timestamp that is not a number', { ...signed('a=1', NOW), timestamp: '1e9' }, false],
    ['uppercase hex', { ...signed('a=1', NOW), signature: signed('a=1', NOW).signature?.toUpperCase() }, false],
  ])('%s: accepted = %s', (_name, request, ok) => {
    expect(verifySlackSignature(SECRET, request, NOW_MS).ok).toBe(ok);
  });

  it('remembers an accepted signature until its request is stale, and no longer', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: -SIGNATURE_WINDOW_SECONDS, max: SIGNATURE_WINDOW_SECONDS }),
        (body, offset) => {
          const verdict = verifySlackSignature(SECRET, signed(body, NOW + offset), NOW_MS);
          return verdict.ok && verdict.staleAfterSec === NOW + offset + SIGNATURE_WINDOW_SECONDS;
        },
      ),
    );
  });

  it('refuses every single-character change of a signed request', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (body, at, ch) => {
        const i = at % body.length;
        const changed = body.slice(0, i) + ch + body.slice(i + 1);
        fc.pre(changed !== body);
        return !verifySlackSignature(SECRET, { ...signed(body, NOW), rawBody: changed }, NOW_MS).ok;
      }),
    );
  });
});
