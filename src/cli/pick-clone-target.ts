import type { Diagnosis } from '../diagnosis/index.js';
import { cloneTargets } from '../render/index.js';

/** The container a clone preview targets, and why, in words for a YAML comment. */
export type CloneTarget = { ok: true; container: string; why: string } | { ok: false; message: string };

/**
 * The container the bot's first "Create debug clone" button targets (the top finding's failing container, else the
 * first failing one, else the first app container: `cloneTargets` in src/render), unless `-c` named one. Pure.
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
  if (!first.failing)
    return { ok: true, container: first.name, why: 'no container is failing; the first app container' };
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
