/**
 * Seconds to wait after a Slack rate limit, or undefined when the error is no rate limit. Slack answers HTTP 429
 * with `Retry-After`; our ChatPort surfaces it as ChatError code `ratelimited` with "retry after N s" in its message
 * (handlers/slack-chat.ts), or a numeric `retryAfter`/`retryAfterSeconds` field.
 */
export function retryAfterSeconds(e: unknown): number | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as Error & { code?: string; retryAfter?: number; retryAfterSeconds?: number };
  const limited = err.code === 'ratelimited' || err.code === 'slack_webapi_rate_limited_error';
  if (!limited) return undefined;
  const n = err.retryAfterSeconds ?? err.retryAfter ?? Number(/retry after (\d+(?:\.\d+)?)/i.exec(err.message)?.[1]);
  return Number.isFinite(n) && n > 0 ? n : 1;
}
