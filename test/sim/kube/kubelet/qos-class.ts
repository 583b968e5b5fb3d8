import type { KubeObject } from '../store-contract.js';
import { parseQuantity } from './quantity.js';

/**
 * The pod's QoS class (pkg/apis/core/v1/helper/qos): BestEffort when no container sets cpu or memory requests or
 * limits; Guaranteed when every container has cpu and memory limits equal to its requests; Burstable otherwise.
 */
export function qosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const key of ['cpu', 'memory']) {
      const r = req[key] ?? lim[key];
      const l = lim[key];
      if (r !== undefined || l !== undefined) any = true;
      if (l === undefined || parseQuantity(r) !== parseQuantity(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
