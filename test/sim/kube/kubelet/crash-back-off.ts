import type { BackoffEntry } from './pod-run.js';

/** The kubelet's crash and image-pull back-off (pkg/kubelet/kubelet.go): 10 s doubling to 5 min. */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** How often the pod worker requeues a pod whose sync failed (pod_workers.go workerBackOffPeriod). */
export const BACKOFF_RESYNC_MS = 10_000;
/** An entry untouched for twice the maximum is forgotten (flowcontrol.Backoff hasExpired). */
export const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;

export type RestartDecision =
  /** Start now; the entry to keep. */
  | { start: true; backoff: BackoffEntry }
  /** Wait in CrashLoopBackOff until `until`, showing `delay`; then start with `next`. */
  | { start: false; delay: number; until: number; next: (now: number) => BackoffEntry };

/** flowcontrol.Backoff.Next: a fresh entry when there is none or it expired, else the delay doubled (capped). */
export function nextBackoff(b: BackoffEntry | undefined, eventTime: number, now: number): BackoffEntry {
  if (!b || eventTime - b.updatedAt > BACKOFF_RESET_MS) return { delay: BACKOFF_INITIAL_MS, updatedAt: now };
  return { delay: Math.min(b.delay * 2, BACKOFF_MAX_MS), updatedAt: now };
}

/**
 * The kubelet's doBackOff for a container that exited at `finishedAt`: with no live entry it restarts at once
 * (and starts an entry of 10 s); otherwise it waits until `finishedAt + delay` in CrashLoopBackOff, and the restart
 * then doubles the entry. So restarts come at once, then after 10 s, 20 s, 40 s ... 5 min.
 */
export function decideRestart(b: BackoffEntry | undefined, finishedAt: number, now: number): RestartDecision {
  if (!b || finishedAt - b.updatedAt > BACKOFF_RESET_MS)
    return { start: true, backoff: nextBackoff(undefined, finishedAt, now) };
  const until = finishedAt + b.delay;
  if (until <= now) return { start: true, backoff: nextBackoff(b, finishedAt, now) };
  return { start: false, delay: b.delay, until, next: (at) => nextBackoff(b, finishedAt, at) };
}

/** `10s`, `1m20s`, `5m0s`, `823ms`: Go's time.Duration String for the durations the kubelet prints. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  return `${Math.floor(ms / 60_000)}m${(ms % 60_000) / 1000}s`;
}
