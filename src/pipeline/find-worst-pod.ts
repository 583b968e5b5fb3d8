import type { WorkloadTarget } from '../command/index.js';
import { isKubeError, type KubeClient, type KubeError } from '../kube/index.js';
import { isPodOf, type PodStanding, rankPodHealth, sortByHealth, toLabelSelector } from '../workloads/index.js';

export type WorstPodResult =
  | { ok: true; pod: string; standings: PodStanding[] }
  | { ok: false; reason: 'kube'; error: KubeError }
  | { ok: false; reason: 'no-pods' | 'no-selector'; message: string };

/**
 * A workload's pods, worst first, read as kubectl would: the workload (for its selector and uid), then its pods by
 * that selector, narrowed to the ones it controls. Two reads; a failed read comes back as its KubeError.
 */
export async function findWorstPod(
  kube: KubeClient,
  namespace: string,
  workload: WorkloadTarget,
): Promise<WorstPodResult> {
  try {
    const object = await kube.readOwner(workload.kind, namespace, workload.name);
    const labelSelector = toLabelSelector(object.spec && 'selector' in object.spec ? object.spec.selector : undefined);
    if (!labelSelector)
      return { ok: false, reason: 'no-selector', message: describeNoPods('no-selector', namespace, workload) };
    const pods = (await kube.listPods(namespace, { labelSelector })).filter((p) =>
      isPodOf(p, { ...workload, uid: object.metadata?.uid }),
    );
    const standings = sortByHealth(pods.map(rankPodHealth));
    const worst = standings[0];
    if (!worst) return { ok: false, reason: 'no-pods', message: describeNoPods('no-pods', namespace, workload) };
    return { ok: true, pod: worst.name, standings };
  } catch (e) {
    if (isKubeError(e)) return { ok: false, reason: 'kube', error: e };
    throw e;
  }
}

/** The sentence for a workload with no pod to diagnose (also said by a gateway, from its own request). Pure. */
export function describeNoPods(reason: 'no-pods' | 'no-selector', namespace: string, workload: WorkloadTarget): string {
  const named = `${workload.kind} \`${namespace}/${workload.name}\``;
  return reason === 'no-selector' ? `:mag: ${named} selects no pods.` : `:mag: ${named} has no pods right now.`;
}
