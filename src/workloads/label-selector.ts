import type { LabelSelector } from '../kube/index.js';

/**
 * A workload's `spec.selector` as the `labelSelector` query string of a list call (matchLabels as `k=v`,
 * matchExpressions as `k in (a,b)`, `k notin (…)`, `k`, `!k`), or undefined when it selects nothing or everything:
 * an empty selector matches every pod in the namespace, never what a person asked for. Pure.
 */
export function toLabelSelector(selector: LabelSelector | undefined): string | undefined {
  const terms = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
    else return undefined;
  }
  return terms.length ? terms.join(',') : undefined;
}
