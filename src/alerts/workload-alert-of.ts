import type { Episode, WorkloadState } from './alert-state.js';
import type { WorkloadAlert } from './types.js';

/** The failing pods' names, sorted. Pure. */
export function failingPodNames(state: WorkloadState): string[] {
  const names: string[] = [];
  for (const p of state.pods.values()) if (p.failing) names.push(p.name);
  return names.sort();
}

/**
 * What the workload's one message says now, and a short fingerprint of it (failing pods and recovery) to skip an
 * update that would change nothing. Pure.
 */
export function workloadAlertOf(state: WorkloadState, episode: Episode): { alert: WorkloadAlert; shown: string } {
  const names = failingPodNames(state);
  const alert: WorkloadAlert = {
    workload: state.workload,
    channel: episode.channel,
    pod: episode.pod,
    reason: episode.reason,
    failingPods: names,
    failingCount: names.length,
    since: episode.since,
  };
  if (episode.recoveredAt) alert.recoveredAt = episode.recoveredAt;
  return { alert, shown: `${names.join(',')}|${episode.recoveredAt ?? ''}` };
}
