import { echoSafe, type WorkloadTarget } from '../command/index.js';
import type { PodStanding } from './rank-pod-health.js';

/** At most this many siblings are named; the rest are counted. */
export const SIBLINGS_SHOWN = 10;

/**
 * The line above a workload's diagnosis: which pod was picked (the worst) and how its siblings stand, worst first.
 * `standings` must be sorted (sortByHealth) with the diagnosed pod first. Pure; mrkdwn.
 */
export function renderWorkloadPods(
  workload: WorkloadTarget,
  namespace: string,
  standings: readonly PodStanding[],
): string {
  const [worst, ...others] = standings;
  const head = `:package: ${workload.kind} \`${namespace}/${workload.name}\` has ${plural(standings.length, 'pod')}`;
  if (!worst) return `${head}.`;
  const picked = `Diagnosing the worst, \`${worst.name}\` (${describe(worst)}).`;
  if (others.length === 0) return `${head}. ${picked}`;
  const shown = others.slice(0, SIBLINGS_SHOWN).map((s) => `\`${s.name}\` ${describe(s)}`);
  const more = others.length > SIBLINGS_SHOWN ? ` and ${others.length - SIBLINGS_SHOWN} more` : '';
  return `${head}. ${picked} Siblings: ${shown.join(' · ')}${more}.`;
}

function describe(s: PodStanding): string {
  // The state comes from the cluster (a waiting reason): shown safe and short.
  const state = echoSafe(s.state.replace(/[`*_~]/g, '').slice(0, 60));
  return s.restarts > 0 ? `${state}, ${plural(s.restarts, 'restart')}` : state;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
