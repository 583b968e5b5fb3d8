import type { Pod } from '../kube/index.js';

/** How sick a pod is, worst first: the order `pickWorstPod` ranks a workload's pods by. */
export const HEALTH_ORDER = ['failing', 'pending', 'not-ready', 'ready', 'completed'] as const;
export type PodHealth = (typeof HEALTH_ORDER)[number];

/** One pod's health in a word, the state a person would look for in `kubectl get pods`, and its restarts. */
export interface PodStanding {
  name: string;
  health: PodHealth;
  /** `CrashLoopBackOff`, `Pending`, `Running, not ready`, `Ready`… */
  state: string;
  restarts: number;
}

/**
 * Waiting reasons that mean "still starting", not "failing" (the kubelet sets them on every healthy start);
 * every other waiting reason (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError…) is a failure.
 */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/** Ranks one pod from its status alone. Pure. */
export function rankPodHealth(pod: Pod): PodStanding {
  const name = pod.metadata?.name ?? '';
  const status = pod.status ?? {};
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const standing = (health: PodHealth, state: string): PodStanding => ({ name, health, state, restarts });
  if (pod.metadata?.deletionTimestamp) return standing('not-ready', 'Terminating');
  if (status.phase === 'Failed') return standing('failing', status.reason ?? 'Failed');
  if (status.phase === 'Succeeded') return standing('completed', 'Completed');
  for (const c of statuses) {
    const reason = c.state?.waiting?.reason;
    if (reason && !STARTING.has(reason)) return standing('failing', reason);
    const code = c.state?.terminated?.exitCode;
    // A terminated init container with 0 is done; any terminated app container is down until restarted.
    if (c.state?.terminated && code !== 0) return standing('failing', c.state.terminated.reason ?? `Exit ${code}`);
  }
  if (status.phase === 'Pending' || status.phase === undefined) {
    const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return standing('pending', unschedulable?.reason ?? 'Pending');
  }
  const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return ready ? standing('ready', 'Ready') : standing('not-ready', `${status.phase ?? 'Running'}, not ready`);
}

/**
 * Orders standings worst first: by health (failing, pending, not ready, ready, completed), then more restarts, then
 * name, so the choice is the same for the same pods in any order. Pure; returns a new array.
 */
export function sortByHealth(standings: readonly PodStanding[]): PodStanding[] {
  return [...standings].sort(
    (a, b) =>
      HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health) ||
      b.restarts - a.restarts ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
