import type { KubeEvent, Pod } from '../kube/types.js';
import type { FailingHistory } from './failing-since.js';

/** Waiting reasons of a healthy start: such a container is not failing. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * The part of a pod's record that dates its failure (failingSince): its start, the statuses of the containers
 * failing now (waiting in an error, or ended with a non-zero exit and not ready), and its events. Pure.
 */
export function failingHistoryOfPod(pod: Pod, events: readonly KubeEvent[]): FailingHistory {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const containers = statuses
    .filter((c) => {
      const waiting = c?.state?.waiting?.reason;
      if (waiting && !STARTING.has(waiting)) return true;
      if (c?.state?.terminated && c.state.terminated.exitCode !== 0) return true;
      return !c?.ready && c?.lastState?.terminated !== undefined && c.lastState.terminated.exitCode !== 0;
    })
    .map((c) => ({
      restartCount: c.restartCount ?? 0,
      ...(c.state?.waiting?.reason ? { waitingReason: c.state.waiting.reason } : {}),
      ...(c.state?.terminated ? { terminated: c.state.terminated } : {}),
      ...(c.lastState?.terminated ? { lastTerminated: c.lastState.terminated } : {}),
    }));
  return {
    podStartedAt: pod.status?.startTime ?? pod.metadata?.creationTimestamp,
    containers,
    events: events.map((e) => ({
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.type ? { type: e.type } : {}),
      firstTimestamp: e.firstTimestamp,
      eventTime: e.eventTime,
      lastTimestamp: e.lastTimestamp,
    })),
  };
}
