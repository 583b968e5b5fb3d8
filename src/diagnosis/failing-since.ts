import { toMillis } from './time.js';

/** One run of a container that ended, as `state.terminated` / `lastState.terminated` carry it. */
export interface TerminatedRun {
  startedAt?: unknown;
  finishedAt?: unknown;
  exitCode?: number;
  reason?: string;
}

/** What a failing container's own status says about its past. */
export interface ContainerHistory {
  restartCount: number;
  /** `state.waiting.reason`. */
  waitingReason?: string;
  /** `state.terminated`. */
  terminated?: TerminatedRun;
  /** `lastState.terminated`: the previous instance's end. */
  lastTerminated?: TerminatedRun;
}

/** An event about the pod, with the timestamps core/v1 and events.k8s.io/v1 may carry. */
export interface HistoryEvent {
  reason?: string;
  type?: string;
  firstTimestamp?: unknown;
  /** events.k8s.io/v1: when the first occurrence of a series happened. */
  eventTime?: unknown;
  lastTimestamp?: unknown;
}

/** A pod's record of its failure: its start, its failing containers' statuses, and its events. */
export interface FailingHistory {
  /** `status.startTime`, else `metadata.creationTimestamp`: nothing can have failed before it. */
  podStartedAt?: unknown;
  /** Only the containers that are failing now. */
  containers: ContainerHistory[];
  events?: HistoryEvent[];
}

export interface FailingSince {
  /** ISO 8601. */
  at: string;
  /** `event`: the first back-off or failure event; `status`: a termination time; `estimate`: counted back over the
   * kubelet's back-off schedule from the last termination and the restart count; `pod-start`: never ran since. */
  source: 'event' | 'status' | 'estimate' | 'pod-start';
  /** The time is a reckoning, not a recorded timestamp: say "about". */
  approximate: boolean;
}

/**
 * Kubelet events that mark a container failing: `BackOff` ("Back-off restarting failed container", "Back-off pulling
 * image") and `Failed` (image pull errors, CreateContainerConfigError). An event's `firstTimestamp` is when its first
 * occurrence happened, however many times it was counted since.
 */
const FAILURE_EVENTS = new Set(['BackOff', 'Failed']);

/** The kubelet's crash back-off: 10 s, doubled per restart, capped at 5 min (kubelet `backOffPeriod`, `MaxContainerBackOff`). */
const BACKOFF_START_S = 10;
const BACKOFF_MAX_S = 300;
/** A container that ran this long before dying resets the back-off (kubelet: twice the maximum back-off). */
const BACKOFF_RESET_S = 2 * BACKOFF_MAX_S;

/** Waiting reasons of a container that never started, so it has failed since the pod started. */
const NEVER_STARTED = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

/**
 * When the pod started failing, from its own record rather than from when anyone first looked: the earliest of its
 * first failure event, its containers' termination times, and a count back from the last crash over the kubelet's
 * back-off schedule (restart count × back-off + run time), never before the pod started and never after `now`.
 * Undefined when no container is failing (old events of a pod that recovered date nothing) or nothing in the record
 * dates the failure. Pure.
 */
export function failingSince(history: FailingHistory, now: Date): FailingSince | undefined {
  if (history.containers.length === 0) return undefined;
  const start = toMillis(history.podStartedAt);
  const candidates: { ms: number; source: FailingSince['source'] }[] = [];
  for (const e of history.events ?? []) {
    if (!e.reason || !FAILURE_EVENTS.has(e.reason) || (e.type && e.type !== 'Warning')) continue;
    const ms = toMillis(e.firstTimestamp) ?? toMillis(e.eventTime) ?? toMillis(e.lastTimestamp);
    if (ms !== undefined) candidates.push({ ms, source: 'event' });
  }
  for (const c of history.containers) {
    const runs = [c.terminated, c.lastTerminated].filter(
      (r): r is TerminatedRun => r !== undefined && r.exitCode !== 0,
    );
    for (const run of runs) {
      const finished = toMillis(run.finishedAt);
      if (finished === undefined) continue;
      candidates.push({ ms: finished, source: 'status' });
      const started = toMillis(run.startedAt);
      const runS = started !== undefined ? Math.max(0, (finished - started) / 1000) : 0;
      // The earlier crashes of this loop: restartCount counts them; each waited its back-off and ran about as long.
      const earlier = c.restartCount - 1;
      if (earlier > 0 && runS < BACKOFF_RESET_S) {
        // Summed until the back-off reaches its cap, then multiplied: restartCount is whatever the pod's status says
        // (up to 2^31 - 1), and a loop over it would hold the process for a minute.
        let back = earlier * runS;
        let i = 0;
        for (; i < earlier && BACKOFF_START_S * 2 ** i < BACKOFF_MAX_S; i++) back += BACKOFF_START_S * 2 ** i;
        back += (earlier - i) * BACKOFF_MAX_S;
        candidates.push({ ms: finished - back * 1000, source: 'estimate' });
      }
    }
    if (c.waitingReason && NEVER_STARTED.has(c.waitingReason) && c.restartCount === 0 && start !== undefined) {
      candidates.push({ ms: start, source: 'pod-start' });
    }
  }
  const nowMs = now.getTime();
  const earliest = (source: (s: FailingSince['source']) => boolean) => {
    let best: { ms: number; source: FailingSince['source'] } | undefined;
    for (const c of candidates.filter((c) => source(c.source))) {
      const ms = Math.min(nowMs, start !== undefined ? Math.max(start, c.ms) : c.ms);
      if (!best || ms < best.ms) best = { ms, source: c.source };
    }
    return best;
  };
  const firstRecord = earliest((s) => s === 'event' || s === 'pod-start');
  const estimate = earliest((s) => s === 'estimate');
  // A first occurrence on record beats a reckoning unless the reckoning reaches further back than one full back-off:
  // then the events that would have dated it have expired (the API server keeps events an hour, --event-ttl).
  const firstFailure =
    estimate && (!firstRecord || estimate.ms < firstRecord.ms - BACKOFF_MAX_S * 1000) ? estimate : firstRecord;
  // A termination time is the latest crash: the failure began then at the latest.
  const lastCrash = earliest((s) => s === 'status');
  const best = firstFailure && (!lastCrash || firstFailure.ms <= lastCrash.ms) ? firstFailure : lastCrash;
  if (!best) return undefined;
  return { at: new Date(best.ms).toISOString(), source: best.source, approximate: best.source === 'estimate' };
}
