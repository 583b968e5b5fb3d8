import { DebugPodError } from './debug-pod-error.js';

/** TTLs must be whole positive seconds (activeDeadlineSeconds is an integer ≥ 1) and the TTL within the maximum. */
export function checkLifetime(ttlSeconds: number, maxTtlSeconds: number): void {
  for (const [key, value] of [
    ['ttlSeconds', ttlSeconds],
    ['maxTtlSeconds', maxTtlSeconds],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new DebugPodError('InvalidRequest', `${key} must be a whole number of seconds ≥ 1, got ${value}`);
    }
  }
  if (ttlSeconds > maxTtlSeconds) {
    throw new DebugPodError('InvalidRequest', `ttlSeconds (${ttlSeconds}) exceeds maxTtlSeconds (${maxTtlSeconds})`);
  }
}
