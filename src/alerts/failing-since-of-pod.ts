import { failingSince } from '../diagnosis/index.js';
import type { CompactPod } from './types.js';

/** Waiting reasons of a healthy start: such a container is not failing. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * When a watched pod began failing, from its own status (ms since the epoch): its failing containers' terminations
 * and restart counts, never before the pod started (failingSince). Undefined when the status dates nothing. Pure.
 */
export function failingSinceOfPod(pod: CompactPod, now: Date): number | undefined {
  const containers = pod.containers
    .filter(
      (c) =>
        (c.waitingReason !== undefined && !STARTING.has(c.waitingReason)) ||
        (c.terminated !== undefined && c.terminated.exitCode !== 0) ||
        (!c.ready && c.lastTerminated !== undefined && c.lastTerminated.exitCode !== 0),
    )
    .map((c) => ({
      restartCount: c.restartCount,
      ...(c.waitingReason ? { waitingReason: c.waitingReason } : {}),
      ...(c.terminated ? { terminated: c.terminated } : {}),
      ...(c.lastTerminated ? { lastTerminated: c.lastTerminated } : {}),
    }));
  const found = failingSince({ podStartedAt: pod.startedAt, containers }, now);
  return found ? Date.parse(found.at) : undefined;
}
