import { setTimeout as delay } from 'node:timers/promises';

type Fetch = typeof globalThis.fetch;

/** One 429 from Slack, as the policy saw it. */
export interface RateLimitWait {
  /** The Web API method (`chat.postMessage`), or the path for other URLs. */
  method: string;
  /** Slack's Retry-After, seconds. */
  retryAfterSeconds: number;
  /** Waited out (true), or handed to the caller as a rate-limit error (past the limits below). */
  waited: boolean;
}

/** How long one Slack call may wait out rate limits before its caller hears of them. */
export interface RateLimitPolicy {
  /** Most 429s one call waits out. @defaultValue 30 */
  maxWaits?: number;
  /** Most seconds one call spends waiting, in all. @defaultValue 120 */
  maxWaitSeconds?: number;
  /** @defaultValue a cancellable `setTimeout` (node:timers/promises) */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** Each 429, waited out or not: for the log (the calls themselves are counted per HTTP status in /metrics). */
  onRateLimited?(wait: RateLimitWait): void;
}

export const RATE_LIMIT_DEFAULTS = { maxWaits: 30, maxWaitSeconds: 120 } satisfies Pick<
  Required<RateLimitPolicy>,
  'maxWaits' | 'maxWaitSeconds'
>;

const sleepFor = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : undefined);

/**
 * The one place a Slack rate limit is waited out, for every call of every WebClient built with
 * slackWebClientOptions (ours, Bolt's, Socket Mode's). Slack answers HTTP 429 with `Retry-After` in seconds, per
 * method and, for chat.postMessage, per channel (Slack docs, "Rate limits"): this call waits that long and asks
 * again, while calls to other methods and channels go on (WebClient's own handling pauses all of them). Past the
 * policy's limits, or for a body that cannot be sent twice, the 429 goes to the WebClient, which (configured with
 * `rejectRateLimitedCalls`) throws it with its `retryAfter`.
 */
export function waitOutRateLimits(fetchFn: Fetch, policy: RateLimitPolicy = {}): Fetch {
  const maxWaits = policy.maxWaits ?? RATE_LIMIT_DEFAULTS.maxWaits;
  const maxWaitSeconds = policy.maxWaitSeconds ?? RATE_LIMIT_DEFAULTS.maxWaitSeconds;
  const sleep = policy.sleep ?? sleepFor;
  return async (input, init) => {
    let waits = 0;
    let waited = 0;
    for (;;) {
      const res = await fetchFn(input, init);
      if (res.status !== 429) return res;
      const seconds = retryAfterSeconds(res.headers.get('retry-after'));
      const method = methodOf(input);
      const wait =
        seconds !== undefined && waits < maxWaits && waited + seconds <= maxWaitSeconds && canResend(init?.body);
      policy.onRateLimited?.({ method, retryAfterSeconds: seconds ?? 0, waited: wait });
      if (!wait) return res;
      await res.body?.cancel();
      await sleep(seconds * 1000, init?.signal ?? undefined);
      init?.signal?.throwIfAborted();
      waits++;
      waited += seconds;
    }
  };
}

/** Retry-After in seconds (Slack sends whole seconds; 0 still means "not yet"); undefined when unreadable. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return undefined;
  return Math.max(1, Number(header));
}

function methodOf(input: Parameters<Fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return url.split('?')[0]?.split('/').pop() || 'unknown';
}

/** A stream is consumed by the first attempt; strings, forms and buffers can be sent again. */
const canResend = (body: RequestInit['body']): boolean => !(body instanceof ReadableStream);
