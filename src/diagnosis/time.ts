/**
 * Milliseconds since the epoch of a Kubernetes timestamp. client-node types them as Date, but facts that went
 * through JSON (a queue, a cache, the simulator) carry ISO strings, so both are accepted.
 */
export function toMillis(t: unknown): number | undefined {
  if (t instanceof Date) {
    const ms = t.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof t === 'string' && t !== '') {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** The ISO form of a timestamp, or undefined. */
export function toIso(t: unknown): string | undefined {
  const ms = toMillis(t);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Whole seconds from `t` to `now`, never negative; undefined when `t` is unknown. */
export function secondsSince(t: unknown, now: Date): number | undefined {
  const ms = toMillis(t);
  if (ms === undefined) return undefined;
  return Math.max(0, Math.floor((now.getTime() - ms) / 1000));
}

/** "45s", "3m20s", "2h5m", "3d4h": compact like kubectl's AGE column. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 === 0 || s >= 600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86400) {
    const m = Math.floor((s % 3600) / 60);
    return m === 0 || s >= 36000 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 3600)}h${m}m`;
  }
  const h = Math.floor((s % 86400) / 3600);
  return h === 0 || s >= 864000 ? `${Math.floor(s / 86400)}d` : `${Math.floor(s / 86400)}d${h}h`;
}
