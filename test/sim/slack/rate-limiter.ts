/**
 * Slack's rate limits as token buckets (Slack docs, "Rate limits"): `chat.postMessage` about one message per second per
 * channel with a short burst, and per-method tiers for the rest. Pure apart from the `now` it is given.
 */

/** Slack's published tiers, in calls per minute. Tier 1 is 1+/min, Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min. */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE;

/** Method → tier. [U] for `chat.postEphemeral` (Slack docs); the others follow Slack's method pages. */
export const METHOD_TIERS: Record<string, Tier> = {
  'auth.test': 4, // "Special": Slack does not publish a number; Tier 4 is the closest generous reading.
  'chat.update': 3,
  'chat.postEphemeral': 4,
  'chat.getPermalink': 4,
  'conversations.info': 3,
  'users.info': 4,
  'usergroups.users.list': 2,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'apps.connections.open': 1,
};

/**
 * chat.postMessage per channel: 1 per second sustained with a burst of 3. [U] Slack says "short bursts allowed"
 * without a number; 3 is a small, strict choice.
 */
export const POST_MESSAGE_PER_CHANNEL = { perSecond: 1, burst: 3 } as const;

/**
 * chat.postMessage across the whole workspace, on top of the per-channel limit. [U] Slack documents a workspace-wide
 * cap ("several hundred messages per minute") without a number; 300 per minute with a burst of 100 is a strict reading.
 */
export const POST_MESSAGE_PER_WORKSPACE = { perMinute: 300, burst: 100 } as const;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets keyed by method (and channel for chat.postMessage). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one token for `method` (on `channel` for chat.postMessage). Returns 0 when the call may proceed, or the
   * whole seconds (at least 1) the caller must wait, for the `Retry-After` header.
   */
  take(method: string, channel: string | undefined, now: number): number {
    let key: string;
    let capacity: number;
    let perMs: number;
    if (method === 'chat.postMessage') {
      key = `${method}:${channel ?? ''}`;
      capacity = POST_MESSAGE_PER_CHANNEL.burst;
      perMs = POST_MESSAGE_PER_CHANNEL.perSecond / 1000;
    } else {
      const tier = METHOD_TIERS[method];
      if (tier === undefined) return 0;
      key = method;
      // A tier's per-minute allowance may be spent in a burst, then refills evenly.
      capacity = TIER_PER_MINUTE[tier];
      perMs = TIER_PER_MINUTE[tier] / 60_000;
    }
    const wait = this.takeFrom(key, capacity, perMs, now);
    if (wait > 0 || method !== 'chat.postMessage') return wait;
    const { perMinute, burst } = POST_MESSAGE_PER_WORKSPACE;
    const workspaceWait = this.takeFrom('chat.postMessage:workspace', burst, perMinute / 60_000, now);
    // A call the workspace cap refuses did not post: give the channel its token back.
    if (workspaceWait > 0) this.buckets.get(key)!.tokens += 1;
    return workspaceWait;
  }

  private takeFrom(key: string, capacity: number, perMs: number, now: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  reset(): void {
    this.buckets.clear();
  }
}
