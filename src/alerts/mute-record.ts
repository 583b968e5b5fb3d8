import type { RedisClient } from '../redis/index.js';

/** How long a mute lasts: an hour, a day, or until every pod of the workload is Ready again or gone. */
export type MuteChoice = '1h' | '24h' | 'recovery';

/** A workload's mute, as Redis holds it (`<prefix>:mute:<namespace>/<Kind>/<name>`). */
export interface MuteRecord {
  /** Slack user id of whoever muted it. */
  by: string;
  /** ISO 8601: when it was muted. */
  at: string;
  /** ISO 8601: when it ends by itself; absent for "until it recovers" (which still ends after MUTE_RECOVERY_MAX_SECONDS). */
  until?: string;
  untilRecovery: boolean;
}

/** "Until it recovers" still ends after a week, so a workload that never recovers is not silenced for ever. */
export const MUTE_RECOVERY_MAX_SECONDS = 7 * 86400;

const SECONDS: Record<Exclude<MuteChoice, 'recovery'>, number> = { '1h': 3600, '24h': 86400 };

/** The record and its Redis lifetime for a choice made at `now`. Pure. */
export function planMute(choice: MuteChoice, by: string, now: Date): { record: MuteRecord; ttlSeconds: number } {
  if (choice === 'recovery') {
    return { record: { by, at: now.toISOString(), untilRecovery: true }, ttlSeconds: MUTE_RECOVERY_MAX_SECONDS };
  }
  const ttlSeconds = SECONDS[choice];
  return {
    record: {
      by,
      at: now.toISOString(),
      until: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      untilRecovery: false,
    },
    ttlSeconds,
  };
}

/** `<prefix>:mute:<namespace>/<Kind>/<name>` */
export const muteKey = (prefix: string, workloadKey: string): string => `${prefix}:mute:${workloadKey}`;

/** Mutes a workload; Redis expires the key when the mute ends, so an expired mute needs no sweep. */
export async function saveMute(
  redis: RedisClient,
  prefix: string,
  workloadKey: string,
  choice: MuteChoice,
  by: string,
  now: Date,
): Promise<MuteRecord> {
  const { record, ttlSeconds } = planMute(choice, by, now);
  await redis.set(muteKey(prefix, workloadKey), JSON.stringify(record), 'EX', ttlSeconds);
  return record;
}

/** The workload's mute, or undefined when it has none (or its record is unreadable: a broken mute mutes nothing). */
export async function readMute(
  redis: RedisClient,
  prefix: string,
  workloadKey: string,
): Promise<MuteRecord | undefined> {
  const raw = await redis.get(muteKey(prefix, workloadKey));
  if (!raw) return undefined;
  try {
    return asMuteRecord(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;
const isTime = (v: unknown): v is string => typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v));

/**
 * The record as planMute writes it, rebuilt field by field from what Redis returned (anyone who can write there can
 * write any JSON: a `by` holding `<!channel>`, an `until` that is no time, extra or `__proto__` keys), or undefined.
 * Pure.
 */
export function asMuteRecord(value: unknown): MuteRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { by, at, until, untilRecovery } = value as Record<string, unknown>;
  if (typeof by !== 'string' || !SLACK_USER.test(by) || !isTime(at) || typeof untilRecovery !== 'boolean')
    return undefined;
  if (untilRecovery ? until !== undefined : !isTime(until)) return undefined;
  return { by, at, ...(until !== undefined ? { until: until as string } : {}), untilRecovery };
}

/** Ends a mute (unmute); true when there was one. */
export async function clearMute(redis: RedisClient, prefix: string, workloadKey: string): Promise<boolean> {
  return (await redis.del(muteKey(prefix, workloadKey))) > 0;
}

/** A workload recovered: its "until it recovers" mute ends; timed mutes run on. */
export async function endMuteOnRecovery(redis: RedisClient, prefix: string, workloadKey: string): Promise<void> {
  const mute = await readMute(redis, prefix, workloadKey);
  if (mute?.untilRecovery) await clearMute(redis, prefix, workloadKey);
}

/** `:no_bell: Muted by <@U…> until 15:00 UTC` / `… until it recovers`: shown on the alert. Pure. */
export function renderMuteNotice(mute: MuteRecord): string {
  const ends = Date.parse(mute.until ?? '');
  const until = mute.untilRecovery
    ? 'until it recovers'
    : Number.isNaN(ends)
      ? 'until it ends'
      : `until ${new Date(ends).toISOString().slice(11, 16)} UTC`;
  return `:no_bell: Muted by <@${mute.by.replace(/[^A-Z0-9]/g, '')}> ${until}: no new alerts or updates for this workload.`;
}
