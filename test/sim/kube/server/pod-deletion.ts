import { isoSeconds, type MemoryStore } from '../store.js';
import type { KubeObject } from '../store-contract.js';

/**
 * Graceful pod deletion as the pod registry does it: an unscheduled or finished pod goes at once; otherwise
 * deletionTimestamp = now + grace and the kubelet removes it once its containers have stopped. A shorter grace
 * on a second delete shortens the deadline. Returns the pod as the DELETE answers it, and whether it is gone.
 */
export function deletePodGracefully(
  store: MemoryStore,
  pod: KubeObject,
  gracePeriodSeconds: number | undefined,
  nowIso: string,
  dryRun = false,
): { object: KubeObject; removed: boolean } {
  const md = pod.metadata;
  const phase = pod.status?.phase;
  let grace = gracePeriodSeconds ?? md.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
  if (grace < 0) grace = 1;
  const nowMs = Date.parse(nowIso);
  const deadline = nowMs + grace * 1000;
  if (md.deletionTimestamp && grace !== 0) {
    const current = Date.parse(md.deletionTimestamp);
    if (deadline >= current) return { object: structuredClone(pod), removed: false };
  }
  const next = structuredClone(pod);
  next.metadata.deletionTimestamp = isoSeconds(deadline);
  next.metadata.deletionGracePeriodSeconds = grace;
  if (dryRun) return { object: next, removed: false };
  const hasFinalizers = (md.finalizers ?? []).length > 0;
  if (grace === 0 && !hasFinalizers) {
    store.remove('pods', md.namespace, md.name);
    return { object: next, removed: true };
  }
  return { object: store.update('pods', next), removed: false };
}
