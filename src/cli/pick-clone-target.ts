import type { Diagnosis } from '../diagnosis/index.js';
import { cloneTargets } from '../render/index.js';

/** The container a clone preview targets, and why, in words for a YAML comment. */
export type CloneTarget = { ok: true; container: string; why: string } | { ok: false; message: string };

/**
 * The container the bot's first "Create debug clone" button targets (the top finding's failing container, else the
 * first failing one: `cloneTargets` in src/render), unless `-c` named one. When nothing counts as failing right now,
 * the container restarting most, else the first app container. Pure.
 */
export function pickCloneTarget(d: Diagnosis, requested: string | undefined): CloneTarget {
  const names = d.containers.map((c) => c.name);
  if (requested !== undefined) {
    if (names.includes(requested)) return { ok: true, container: requested, why: 'chosen with -c' };
    return {
      ok: false,
      message: `Pod ${d.pod.namespace}/${d.pod.name} has no container "${requested}"; it has: ${names.join(', ') || 'none'}.`,
    };
  }
  const targets = cloneTargets(d);
  const first = targets[0] === undefined ? undefined : d.containers[targets[0]];
  if (!first) return { ok: false, message: `Pod ${d.pod.namespace}/${d.pod.name} has no containers to clone.` };
  if (!first.failing) {
    // Between two crashes a crash-looping container is briefly running and no container counts as failing: the one
    // that restarts most (or last exited non-zero) is still the one worth cloning.
    const restarted = [...d.containers]
      .filter((c) => c.restartCount > 0 || (c.lastTermination !== undefined && c.lastTermination.exitCode !== 0))
      .sort((a, b) => b.restartCount - a.restartCount)[0];
    if (restarted) {
      const exit = lastExit(d, restarted.name);
      return {
        ok: true,
        container: restarted.name,
        why: `the container that keeps restarting (${restarted.restartCount} restarts${exit ? `, last ${exit}` : ''})`,
      };
    }
    return { ok: true, container: first.name, why: 'no container is failing; the first app container' };
  }
  const state = [first.reason, lastExit(d, first.name)].filter(Boolean).join(', ');
  const others = targets
    .slice(1)
    .map((i) => d.containers[i]?.name)
    .filter((n): n is string => Boolean(n));
  const also = others.length ? `; also failing: ${others.join(', ')} (choose with -c)` : '';
  return { ok: true, container: first.name, why: `the failing container${state ? ` (${state})` : ''}${also}` };
}

function lastExit(d: Diagnosis, name: string): string | undefined {
  const c = d.containers.find((x) => x.name === name);
  const t = c?.state === 'terminated' ? c.terminated : c?.lastTermination;
  return t ? `exit ${t.exitCode}` : undefined;
}
