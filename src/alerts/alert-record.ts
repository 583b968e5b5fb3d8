import type { RedisClient } from '../redis/index.js';
import type { PostedAlert } from './types.js';

/** What Redis holds per alerting workload, for one cooldown: shared by replicas, kept across restarts. */
export interface AlertRecord {
  /** ISO 8601: when the workload started failing. */
  since: string;
  /** ISO 8601: when a replica claimed it; a claim never followed by a post goes stale (that replica died). */
  claimedAt?: string;
  /** Where the alert was posted, once it was. */
  posted?: PostedAlert;
  /** Listed in a storm summary rather than posted on its own. */
  summarized?: boolean;
  /** ISO 8601: when it recovered (the record stays until the cooldown ends). */
  recoveredAt?: string;
}

/** `<prefix>:alert:<namespace>/<Kind>/<name>` */
export const alertRecordKey = (prefix: string, workloadKey: string): string => `${prefix}:alert:${workloadKey}`;

/**
 * Claims a workload for one cooldown: SET NX EX, so of all replicas (and restarts) exactly one gets `claimed` and
 * posts; the others get the existing record.
 */
export async function claimAlert(
  redis: RedisClient,
  key: string,
  record: AlertRecord,
  cooldownSeconds: number,
): Promise<{ claimed: true } | { claimed: false; record: AlertRecord | undefined }> {
  const ok = await redis.set(key, JSON.stringify(record), 'EX', Math.max(1, Math.round(cooldownSeconds)), 'NX');
  if (ok === 'OK') return { claimed: true };
  return { claimed: false, record: await readAlert(redis, key) };
}

export async function readAlert(redis: RedisClient, key: string): Promise<AlertRecord | undefined> {
  const raw = await redis.get(key);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as AlertRecord;
  } catch {
    return undefined;
  }
}

/** Rewrites an existing record without touching its expiry (the cooldown runs from the first claim). */
export async function saveAlert(redis: RedisClient, key: string, record: AlertRecord): Promise<void> {
  await redis.set(key, JSON.stringify(record), 'KEEPTTL', 'XX');
}

/**
 * Lets exactly one replica take over a stale claim (claimed, never posted: the claimer died between SET NX and its
 * post). A second NX key, so two replicas noticing at once cannot both post.
 */
export async function takeOverAlert(redis: RedisClient, key: string, ttlSeconds: number): Promise<boolean> {
  return (await redis.set(`${key}:takeover`, '1', 'EX', Math.max(1, Math.round(ttlSeconds)), 'NX')) === 'OK';
}

/** Gives a claim back (its post failed for good), so the next pod change can alert again. */
export async function releaseAlert(redis: RedisClient, key: string): Promise<void> {
  await redis.del(key);
}
