import { setTimeout as delay } from 'node:timers/promises';

/** The one clock alerting reads: the time, and a pause (cancelled by its signal). */
export interface AlertClock {
  now(): Date;
  /** Resolves after `ms`, or as soon as `signal` aborts (then without waiting the rest). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: the only place src/alerts reads the system time. */
export const SYSTEM_CLOCK: AlertClock = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined).catch(() => undefined),
};
