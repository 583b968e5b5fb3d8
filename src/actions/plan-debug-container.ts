import type { Config } from '../config/index.js';
import {
  type BuiltDebugContainer,
  buildDebugContainer,
  DEBUG_PROFILE_SPECS,
  type DebugProfile,
  isDebugProfile,
  nameSuffix,
} from '../debugpods/index.js';
import type { Pod } from '../kube/types.js';
import { privilegeClassOf } from './action-kinds.js';
import { classifyPodPrivilege } from './classify-pod-privilege.js';
import { decideEphemeralOffer, type EphemeralContext } from './decide-ephemeral-offer.js';
import type { Grant } from './grant.js';

/** The debug container a grant allows, or why it may not be attached. */
export type DebugContainerPlan =
  | { ok: true; built: BuiltDebugContainer; privilegeReasons: string[]; ttlSeconds: number }
  | { ok: false; reason: string };

/**
 * Why a debug container of `profile` in a pod with this spec is as strong as a node shell: the pod's own privilege
 * (it joins the pod's namespaces and volumes: a hostPID pod's target shares the node's processes) and the profile's
 * (netadmin, sysadmin). Empty when neither. Pure.
 */
export function debugContainerPrivilege(podReasons: readonly string[], profile: DebugProfile): string[] {
  const own = DEBUG_PROFILE_SPECS[profile].privilegeReason;
  return [...podReasons, ...(own ? [own] : [])];
}

/**
 * The ephemeral container to add, from the verified grant, the pod as it is now and today's config: the profile and
 * image must still be the configured ones, the pod must still offer a running target (and the cluster what
 * `context` says it answered), and a container that would be privileged must have been granted as privileged. Pure.
 */
export function planDebugContainer(
  grant: Grant,
  pod: Pod,
  config: Config,
  context: Omit<EphemeralContext, 'profile'>,
): DebugContainerPlan {
  if (grant.kind !== 'ephemeral' || !grant.pod || !grant.container)
    return { ok: false, reason: 'the grant names no pod or target container' };
  if (!isDebugProfile(grant.profile) || grant.profile !== config.debugContainer.profile)
    return {
      ok: false,
      reason: `the granted profile ${grant.profile ?? '(none)'} is not the configured debugContainer.profile (${config.debugContainer.profile})`,
    };
  if (!grant.image || !config.debugContainer.images.includes(grant.image))
    return {
      ok: false,
      reason: `the image ${grant.image ?? '(none)'} is not in debugContainer.images (${config.debugContainer.images.join(', ')})`,
    };
  const offer = decideEphemeralOffer(pod, grant.container, { ...context, profile: grant.profile });
  if (offer.kind === 'none') return { ok: false, reason: `no debug container: ${offer.reason}. To fix: ${offer.fix}` };
  const reasons = debugContainerPrivilege(
    classifyPodPrivilege(pod.spec, {
      namespace: grant.namespace,
      sensitiveServiceAccounts: config.debugClone.sensitiveServiceAccounts ?? [],
    }),
    grant.profile,
  );
  if (privilegeClassOf('ephemeral', reasons) === 'privileged' && grant.privilege !== 'privileged') {
    return {
      ok: false,
      reason: `the debug container would be privileged (${reasons.join('; ')}) but was approved as a standard one; it needs the node-shell approvers`,
    };
  }
  const ttlSeconds = config.debugContainer.ttlSeconds;
  const built = buildDebugContainer(
    pod,
    { target: grant.container, profile: grant.profile, image: grant.image, ttlSeconds },
    { suffix: nameSuffix(grant.actionId) },
  );
  return { ok: true, built, privilegeReasons: reasons, ttlSeconds };
}
