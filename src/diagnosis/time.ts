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

/**
 * A duration as kubectl prints ages (`45s`, `3m12s`, `90m`, `4h2m`, `10h`, `2d3h`, `30d`, `2y70d`): the rules of
 * Kubernetes' `duration.HumanDuration`, so what people read matches `kubectl get`. Unknown or non-finite input (a
 * missing timestamp) prints `?`; a small negative one (clock skew) prints `0s`, a larger one `?`.
 */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < -1) return '?';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}
