import { createHmac } from 'node:crypto';

/**
 * Headers Slack puts on a request to an app's endpoint (Slack docs, "Signing"): `X-Slack-Request-Timestamp` and
 * `X-Slack-Signature: v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`).
 */
export function signRequest(signingSecret: string, rawBody: string, timestampSec: number): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': `v0=${signature}`,
  };
}
