import type { Config } from '../config/index.js';
import { type BuiltPod, buildDebugClone, buildNodeShell, nameSuffix } from '../debugpods/index.js';
import type { Pod } from '../kube/types.js';
import { ACTION_KINDS, privilegeClassOf } from './action-kinds.js';
import { classifyPodPrivilege } from './classify-pod-privilege.js';
import { decideCloneOffer } from './decide-clone-offer.js';
import type { Grant } from './grant.js';

/** The pod a grant allows, or why it may not be built. */
export type DebugPodPlan =
  | {
      ok: true;
      /** Why the pod is privileged (a node shell always is; a clone when its spec gives reasons). */
      privilegeReasons: string[];
      built: BuiltPod;
      /** Where the pod is created. */
      namespace: string;
      ttlSeconds: number;
      maxTtlSeconds: number;
    }
  | { ok: false; reason: string };

/**
 * The pod to create, from the verified grant alone (plus the source pod read from the cluster, for clones, and
 * today's config): nothing from Redis decides it. A clone whose built spec is privileged must have been granted as
 * privileged; else the plan is refused. Pure.
 */
export function planDebugPod(grant: Grant, source: Pod | undefined, config: Config, now: Date): DebugPodPlan {
  const spec = ACTION_KINDS[grant.kind];
  const { defaultSeconds: ttlSeconds, maxSeconds: maxTtlSeconds } = spec.ttl(config);
  const namespace = spec.podNamespace(config, grant.namespace);
  const ids = { suffix: nameSuffix(grant.actionId), now };
  // The approvers other than the requester; the requester alone when they approved their own (a standard clone).
  const others = grant.approvers.filter((u) => u !== grant.requester);
  const approvedBy = others.length ? others.join(',') : grant.approvers.length ? grant.requester : undefined;
  if (grant.kind === 'node-shell') {
    const built = buildNodeShell(
      grant.node!,
      {
        requestId: grant.actionId,
        node: grant.node!,
        requestedBy: grant.requester,
        ...(approvedBy ? { approvedBy } : {}),
        ttlSeconds,
        maxTtlSeconds,
        image: config.nodeShell.image,
        namespace,
        mountHostRoot: config.nodeShell.mountHostRoot,
      },
      ids,
    );
    return { ok: true, built, namespace, ttlSeconds, maxTtlSeconds, privilegeReasons: ['a node shell'] };
  }
  if (!source || !grant.container) return { ok: false, reason: 'the grant names no source pod or container' };
  // Decided again from the pod as it is now: a clone that cannot get past the failure is not created.
  const offer = decideCloneOffer(source, grant.container);
  if (offer.kind === 'none') return { ok: false, reason: `no debug clone: ${offer.reason}. To fix: ${offer.fix}` };
  const built = buildDebugClone(
    source,
    {
      requestId: grant.actionId,
      container: grant.container,
      requestedBy: grant.requester,
      ...(approvedBy ? { approvedBy } : {}),
      ttlSeconds,
      maxTtlSeconds,
      helperImage: config.debugClone.helperImage,
      keepClaims: config.debugClone.keepClaims,
      ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
    },
    ids,
  );
  const reasons = classifyPodPrivilege(built.pod.spec, {
    namespace,
    sensitiveServiceAccounts: config.debugClone.sensitiveServiceAccounts ?? [],
  });
  if (privilegeClassOf('clone', reasons) === 'privileged' && grant.privilege !== 'privileged') {
    return {
      ok: false,
      reason: `the clone would be privileged (${reasons.join('; ')}) but was approved as a standard clone; it needs the node-shell approvers`,
    };
  }
  return { ok: true, built, namespace, ttlSeconds, maxTtlSeconds, privilegeReasons: reasons };
}
