import type { webApi } from '@slack/bolt';
import { type RateLimitPolicy, waitOutRateLimits } from './wait-out-rate-limits.js';

type Fetch = typeof globalThis.fetch;

export interface SlackClientSettings {
  /** config slack.apiUrl (tests point it at the Slack simulator). */
  apiUrl?: string | undefined;
  /** The transport under the rate-limit policy (the bot's counts and seals every call). @defaultValue globalThis.fetch */
  fetch?: Fetch;
  /** How long a call waits out 429s (wait-out-rate-limits.ts). */
  rateLimits?: RateLimitPolicy;
}

/**
 * The WebClient options of every Slack client the bot builds (the App's, the start-up probes', the audit check's),
 * and of the tests and benches that exercise that client.
 * - Rate limits are waited out in one place, the fetch below (waitOutRateLimits); the WebClient rejects a 429 that
 *   reaches it (`rejectRateLimitedCalls`), so a call the policy gave up on fails as `ratelimited` with its
 *   Retry-After, instead of the WebClient pausing every call of the bot and retrying in its turn.
 * - `retryConfig` retries what is no rate limit (the network, HTTP 5xx): 5 tries backing off 0.5 s to 5 s (WebClient's
 *   default retries for ~30 min, far too long for a person waiting).
 */
export function slackWebClientOptions(settings: SlackClientSettings = {}): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: 5, factor: 1.6, minTimeout: 500, maxTimeout: 5000 },
    rejectRateLimitedCalls: true,
    fetch: waitOutRateLimits(settings.fetch ?? globalThis.fetch, settings.rateLimits),
  };
}
