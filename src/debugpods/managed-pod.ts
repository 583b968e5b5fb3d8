import type { Pod } from '../kube/types.js';
import {
  type DebugPodKind,
  EXPIRES_AT_ANNOTATION,
  KIND_LABEL,
  MANAGED_LABEL,
  REQUEST_ID_ANNOTATION,
} from './labels.js';

/** True when we created this pod (label `debugdead.io/managed=true`). */
export function isManagedPod(pod: Pod): boolean {
  return pod.metadata?.labels?.[MANAGED_LABEL] === 'true';
}

/** When the pod must be deleted, from its `expires-at` annotation; undefined if absent or unreadable. */
export function expiresAt(pod: Pod): Date | undefined {
  const raw = pod.metadata?.annotations?.[EXPIRES_AT_ANNOTATION];
  if (raw === undefined) return undefined;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The exact request id we recorded on the pod, if it is ours. */
export function requestIdOf(pod: Pod): string | undefined {
  return isManagedPod(pod) ? pod.metadata?.annotations?.[REQUEST_ID_ANNOTATION] : undefined;
}

/** `clone` or `node-shell` for our pods; undefined for anything else. */
export function debugPodKind(pod: Pod): DebugPodKind | undefined {
  if (!isManagedPod(pod)) return undefined;
  const kind = pod.metadata?.labels?.[KIND_LABEL];
  return kind === 'clone' || kind === 'node-shell' ? kind : undefined;
}
