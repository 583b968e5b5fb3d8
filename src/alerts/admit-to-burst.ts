import type { BurstWindow } from './alert-state.js';

/**
 * Counts one new alert in the burst window (a new window when the last began more than `windowMs` ago); past `max`
 * alerts in one window the workload goes into the storm summary instead. Pure.
 */
export function admitToBurst(
  burst: BurstWindow,
  now: number,
  rules: { maxWorkloadsPerBurst: number; burstWindowMs: number },
): { burst: BurstWindow; overflow: boolean } {
  const next =
    now - burst.start > rules.burstWindowMs ? { start: now, count: 1 } : { start: burst.start, count: burst.count + 1 };
  return { burst: next, overflow: next.count > rules.maxWorkloadsPerBurst };
}
