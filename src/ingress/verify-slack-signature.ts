import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's signing window: a request's `X-Slack-Request-Timestamp` must be within five minutes of the server's clock
 * (Slack "Verifying requests from Slack"). Bolt refuses only old timestamps; we refuse future ones too, or a
 * request signed with a clock far ahead could be replayed long after the window.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface SignedRequest {
  rawBody: string;
  /** The `X-Slack-Request-Timestamp` header, as sent. */
  timestamp: string | undefined;
  /** The `X-Slack-Signature` header, as sent: `v0=` and 64 hex digits. */
  signature: string | undefined;
}

export type SignatureVerdict =
  | {
      ok: true;
      /** The signature in a canonical form, to remember it until the window closes. */
      signature: string;
      /** Unix seconds after which the request is stale anyway: no need to remember it longer. */
      staleAfterSec: number;
    }
  | { ok: false; reason: string };

/**
 * Pure: checks a request's signature (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret) and that its timestamp is within the window on either side of `nowMs`.
 */
export function verifySlackSignature(secret: string, request: SignedRequest, nowMs: number): SignatureVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'no valid X-Slack-Request-Timestamp' };
  const m = /^v0=([0-9a-f]{64})$/.exec(signature ?? '');
  if (!m) return { ok: false, reason: 'no valid X-Slack-Signature' };
  const ts = Number(timestamp);
  const nowSec = Math.floor(nowMs / 1000);
  if (ts < nowSec - SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'timestamp older than five minutes' };
  if (ts > nowSec + SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'timestamp more than five minutes ahead' };
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:${request.rawBody}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(m[1] as string, 'hex')))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true, signature: m[1] as string, staleAfterSec: ts + SIGNATURE_WINDOW_SECONDS };
}
