import { signRequest } from '../sim/slack/sign-request.js';

export interface SignedPostOptions {
  /** @defaultValue the current second */
  timestampSec?: number;
  /** @defaultValue 'application/x-www-form-urlencoded' */
  contentType?: string;
  /** Extra or replacement headers (a forged signature, a missing one). */
  headers?: Record<string, string>;
}

/** POSTs `body` to the bot's request URL signed as Slack signs it; resolves to the HTTP status. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<number> {
  const ts = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...signRequest(secret, body, ts),
      ...options.headers,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A slash command's form body, every field as Slack sends it. */
export function commandBody(fields: { text: string; user: string; channel: string; responseUrl: string }): string {
  return new URLSearchParams({
    token: 'sim-verification-token',
    team_id: 'T0SIM0000',
    team_domain: 'sim',
    channel_id: fields.channel,
    channel_name: 'incident',
    user_id: fields.user,
    user_name: fields.user.toLowerCase(),
    command: '/debugdead',
    text: fields.text,
    api_app_id: 'A0SIM0000',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${Date.now()}.1.abc`,
  }).toString();
}
