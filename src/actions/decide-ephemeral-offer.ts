import {
  type DebugProfile,
  isMirrorPod,
  isWindowsPod,
  type PodSecurityLevel,
  profileAdmitted,
  profilesAdmittedAt,
} from '../debugpods/index.js';
import type { ContainerStatus, Pod } from '../kube/types.js';

/** Whether a debug container can be attached to the pod, targeting which container, or why not. */
export type EphemeralOffer = { kind: 'attach'; target: string } | { kind: 'none'; reason: string; fix: string };

/** What is known besides the pod: the profile to use, and what the cluster and the bot's RBAC allow, when known. */
export interface EphemeralContext {
  profile: DebugProfile;
  /** The namespace's `pod-security.kubernetes.io/enforce` level; undefined: unknown or unlabelled. */
  podSecurityLevel?: PodSecurityLevel;
  /** Whether the API server lists `pods/ephemeralcontainers`; undefined: not asked. */
  servesSubresource?: boolean;
  /** Whether the bot may `patch` `pods/ephemeralcontainers` in the namespace; undefined: not asked. */
  mayPatch?: boolean;
}

const running = (s: ContainerStatus | undefined): boolean =>
  s?.state?.running !== undefined && s.state.running !== null;

/** Running again after crashes but not ready: between two kills of a crash loop (a failing liveness probe). */
const betweenCrashes = (s: ContainerStatus): boolean =>
  (s.restartCount ?? 0) > 0 && !s.ready && s.lastState?.terminated !== undefined && s.lastState.terminated !== null;

/**
 * The containers a debug container may target, running ones only, regular containers first, then native sidecars
 * (init containers with `restartPolicy: Always`, which run beside them). `targetContainerName` must name a regular
 * or init container (API server validation); it joins that container's process namespace, which exists only while
 * the container runs, and on a crash-looping container is gone at the next restart: one running between two crashes
 * (restarted, not ready) is no target either.
 */
export function ephemeralTargets(pod: Pod): string[] {
  const regular = pod.status?.containerStatuses ?? [];
  const sidecars = (pod.status?.initContainerStatuses ?? []).filter(
    (s) => pod.spec?.initContainers?.find((c) => c.name === s.name)?.restartPolicy === 'Always',
  );
  return [...regular, ...sidecars].filter((s) => running(s) && !betweenCrashes(s)).map((s) => s.name);
}

/**
 * Decides from the pod and what is known of the cluster whether a debug container targeting `container` can be
 * attached: not on Windows (the images are Linux), not on a static pod's mirror (the API server refuses: "static pods
 * do not support ephemeral containers"), not on a pod that is ending or ended, only on a running container, only
 * with a profile the namespace's Pod Security level admits, only where the API serves the subresource and the bot
 * may patch it. Each refusal names the reason and what to do instead. Pure; the diagnosis asks it before anyone
 * clicks and the worker asks it again with the cluster's answers before the PATCH.
 */
export function decideEphemeralOffer(pod: Pod, container: string, context: EphemeralContext): EphemeralOffer {
  const ns = pod.metadata?.namespace || 'default';
  const name = pod.metadata?.name ?? 'POD';
  const clone = 'a debug clone copies the pod instead';
  if (isWindowsPod(pod)) {
    return {
      kind: 'none',
      reason: 'it is a Windows pod, and the debug images are Linux images',
      fix: `attach a Windows image by hand: \`kubectl debug -it -n ${ns} ${name} --image=mcr.microsoft.com/windows/nanoserver:ltsc2022 --target=${container}\``,
    };
  }
  if (isMirrorPod(pod)) {
    return {
      kind: 'none',
      reason: 'it is a static pod (its API object is a mirror), and static pods do not support ephemeral containers',
      fix: 'open a node shell on its node and use the container runtime there (crictl exec)',
    };
  }
  if (pod.metadata?.deletionTimestamp) {
    return { kind: 'none', reason: 'the pod is being deleted', fix: 'debug its replacement once it runs' };
  }
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    return { kind: 'none', reason: `the pod has ended (${pod.status.phase})`, fix: clone };
  }
  if ((pod.spec?.ephemeralContainers ?? []).some((c) => c.name === container)) {
    return {
      kind: 'none',
      reason: `${container} is itself an ephemeral container, and a debug container can only target a regular or init container`,
      fix: `exec into it: \`kubectl exec -it -n ${ns} ${name} -c ${container} -- sh\``,
    };
  }
  const targets = ephemeralTargets(pod);
  if (!targets.includes(container)) {
    const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    const state =
      status?.state?.waiting?.reason ??
      (status?.state?.terminated
        ? 'terminated'
        : running(status)
          ? `running between crashes, ${status?.restartCount} restarts`
          : 'not started');
    if (targets.length === 0) {
      return {
        kind: 'none',
        reason: `no container of the pod is running (${container}: ${state}), so there is no process to join`,
        fix: clone,
      };
    }
    return {
      kind: 'none',
      reason: `${container} is not running (${state}); its process namespace is gone at every restart`,
      fix: `target a running container (${targets.join(', ')}), or ${clone}`,
    };
  }
  if (context.podSecurityLevel && !profileAdmitted(context.profile, context.podSecurityLevel)) {
    const admitted = profilesAdmittedAt(context.podSecurityLevel);
    return {
      kind: 'none',
      reason: `namespace ${ns} enforces Pod Security "${context.podSecurityLevel}", which forbids the ${context.profile} profile`,
      fix: `set debugContainer.profile to ${admitted.join(' or ')}, or ${clone}`,
    };
  }
  if (context.servesSubresource === false) {
    return {
      kind: 'none',
      reason: 'the API server does not serve pods/ephemeralcontainers (Kubernetes before 1.23, or the feature is off)',
      fix: clone,
    };
  }
  if (context.mayPatch === false) {
    return {
      kind: 'none',
      reason: `the bot may not patch pods/ephemeralcontainers in ${ns} (RBAC)`,
      fix: `bind the ClusterRole debugdead-debug-containers in ${ns} (\`debugdead pod-writes\` writes the RoleBinding for namespaces.allow)`,
    };
  }
  return { kind: 'attach', target: container };
}

/**
 * Which container the diagnosis offers a debug container for: `preferred` (the container the diagnosis is about)
 * when it is running, else the first running one; with none running, `preferred` (or the first container), so the
 * refusal names it.
 */
export function pickEphemeralTarget(pod: Pod, names: readonly string[], preferred?: string): string | undefined {
  const targets = ephemeralTargets(pod).filter((t) => names.includes(t));
  if (preferred && targets.includes(preferred)) return preferred;
  return targets[0] ?? preferred ?? names[0];
}
