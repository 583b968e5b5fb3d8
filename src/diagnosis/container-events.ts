import type { KubeEvent } from '../kube/types.js';
import type { ContainerDiagnosis } from './types.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The events about one container. The kubelet sets involvedObject.fieldPath to `spec.containers{app}`,
 * `spec.initContainers{init}` or `spec.ephemeralContainers{debugger-x}`; events without a field path are matched on the container named in their message
 * (`Container app failed liveness probe`, `restarting failed container=app`).
 */
export function eventsForContainer(
  events: readonly KubeEvent[],
  container: Pick<ContainerDiagnosis, 'name' | 'kind'>,
): KubeEvent[] {
  const field =
    container.kind === 'app' ? 'containers' : container.kind === 'ephemeral' ? 'ephemeralContainers' : 'initContainers';
  const path = `spec.${field}{${container.name}}`;
  const named = new RegExp(`\\bcontainer[ =]"?${escapeRegExp(container.name)}"?(?![\\w.-])`, 'i');
  return events.filter((e) => {
    if (!e) return false;
    const fp = e.involvedObject?.fieldPath;
    if (fp) return fp === path;
    return named.test(e.message ?? '');
  });
}

/** Events of one reason whose message matches, newest-first order not guaranteed. */
export function eventsWith(events: readonly KubeEvent[], reason: string, message?: RegExp): KubeEvent[] {
  return events.filter((e) => e?.reason === reason && (!message || message.test(e.message ?? '')));
}
