import { type Grant, planDebugContainer } from '../src/actions/index.js';
import { debugContainerReadiness } from '../src/conversation/debug-container-readiness.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { podSecurityLevelOf } from '../src/debugpods/index.js';
import { isKubeError, type KubeError } from '../src/kube/index.js';
import type { Pod } from '../src/kube/types.js';
import { mentionUser } from '../src/render/index.js';
import { type CreateJobOptions, type Reporter, waitForPod } from './create-debug-pod.js';
import { isTransient, Reported } from './job-errors.js';

/** Seconds after a debug container's TTL at which the bot looks whether its sleep ended (its own clock may lag). */
export const END_CHECK_GRACE_SECONDS = 5;

/**
 * The debug-container side of the create job, after the grant verified and today's policy agreed: read the pod and
 * ask the cluster what it allows → plan (pure) → reserve a place in the limits → PATCH pods/P/ephemeralcontainers
 * (once: a retry finds the container it added, named from the action id) → wait with a watch until it runs → report
 * once, and schedule the look at its end. Nothing is ever deleted: ephemeral containers cannot be removed, and the
 * `sleep <ttl>` they run ends them.
 */
export async function attachDebugContainer(
  deps: ConversationDeps,
  grant: Grant,
  options: CreateJobOptions,
  report: Reporter,
): Promise<{ podName: string; namespace: string; ready: boolean }> {
  const { log } = deps;
  const namespace = grant.namespace;
  const podName = grant.pod!;
  void report.update({ step: 'creating' });

  let pod: Pod;
  try {
    pod = await deps.kube.readPod(namespace, podName);
  } catch (err) {
    if (isKubeError(err) && err.kind === 'NotFound') {
      await report.fail(`the pod ${namespace}/${podName} is gone`, undefined, grant);
      throw new Reported(err);
    }
    throw err;
  }
  // What the cluster allows, asked before anything is written; an unanswered question leaves it to the PATCH.
  const [servesSubresource, access, namespaceObject] = await Promise.all([
    deps.kube.servesEphemeralContainers().catch(() => undefined),
    deps.kube
      .mayI({ verb: 'patch', group: '', resource: 'pods', subresource: 'ephemeralcontainers', namespace })
      .catch(() => undefined),
    deps.kube.readNamespace(namespace).catch(() => undefined),
  ]);
  const podSecurityLevel = podSecurityLevelOf(namespaceObject?.metadata?.labels);
  const plan = planDebugContainer(grant, pod, deps.config, {
    ...(servesSubresource !== undefined ? { servesSubresource } : {}),
    ...(access ? { mayPatch: access.allowed } : {}),
    ...(podSecurityLevel ? { podSecurityLevel } : {}),
  });
  if (!plan.ok) return report.reject(plan.reason, grant);
  const { built, ttlSeconds } = plan;
  const now = deps.now();
  const endsAt = new Date(now.getTime() + ttlSeconds * 1000);
  // Counted like a debug pod until its sleep ends (the limits drop it then by themselves).
  const member = { namespace, name: `${podName}/${built.name}`, user: grant.requester };
  const limit = await deps.limits.reserve({ ...member, endsAt }, now);
  if (!limit.ok) return report.reject(limit.message, grant);

  const target = { namespace, pod: podName };
  const already = (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === built.name);
  if (!already) {
    try {
      await deps.kube.addEphemeralContainer(namespace, podName, built.container);
    } catch (err) {
      await deps.limits.release(member).catch(() => {});
      if (isTransient(err)) throw err;
      await report.fail(attachFailure(err as KubeError, namespace), { namespace, name: podName }, grant);
      throw new Reported(err);
    }
  } else log.info({ actionId: grant.actionId }, 'debug container already added by an earlier attempt');
  const attached = recordAudit(deps.audit, log, {
    actor: { type: 'bot' },
    action: 'container.attached',
    target,
    requestId: grant.actionId,
    result: 'ok',
    detail: `${grant.privilege} debug container ${built.name} (target ${grant.container}, profile ${grant.profile}, image ${grant.image}), approved by ${grant.approvers.join(' and ')}; its sleep ends at ${endsAt.toISOString()}${already ? '; found already added by an earlier attempt' : ''}`,
  });
  try {
    // Its end is looked at whatever happens next: the message then says it ended, and the limits stop counting it.
    await deps.jobs.scheduleDelete(
      {
        actionId: grant.actionId,
        namespace,
        podName,
        container: built.name,
        by: 'ttl',
        requestedBy: grant.requester,
      },
      new Date(endsAt.getTime() + END_CHECK_GRACE_SECONDS * 1000),
    );
    void report.update(
      {
        podName,
        namespace,
        debugContainer: built.name,
        execCommand: built.execCommand,
        lookCommands: built.lookCommands,
        notes: built.notes,
        expiresAt: endsAt.toISOString(),
        maxExpiresAt: endsAt.toISOString(),
        canExtend: false,
      },
      ttlSeconds + 3600,
    );
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const readiness = await waitForPod(
      deps,
      namespace,
      podName,
      (p) => debugContainerReadiness(p, built.name),
      timeoutMs,
    );
    if (readiness.state !== 'ready') {
      const reason =
        readiness.state === 'failed'
          ? readiness.reason
          : `not running after ${Math.round(timeoutMs / 1000)} s${readiness.reason ? ` (${readiness.reason})` : ''}`;
      await report.fail(
        `${reason}. Ephemeral containers cannot be removed: ${built.name} stays in the pod's spec until the pod is replaced.`,
        { namespace, name: podName },
        grant,
      );
      return { podName, namespace, ready: false };
    }
    await report.update({ step: 'ready' });
    await report.thread(
      `:white_check_mark: Debug container \`${built.name}\` is running in \`${namespace}/${podName}\` for ${mentionUser(grant.requester)}, beside ${grant.container}:\n\`\`\`${built.execCommand}\`\`\`\nThen: \`${built.lookCommands.join('; ')}\``,
    );
    await recordAudit(deps.audit, log, {
      actor: { type: 'bot' },
      action: 'pod.ready',
      target,
      requestId: grant.actionId,
      result: 'ok',
      detail: `debug container ${built.name} running`,
    });
    return { podName, namespace, ready: true };
  } finally {
    await attached;
  }
}

/** What a person should read when the API server refuses the container: Pod Security, RBAC, a missing subresource. */
function attachFailure(err: KubeError, namespace: string): string {
  if (!isKubeError(err)) return (err as Error).message;
  if (err.kind === 'Forbidden' && /PodSecurity/.test(err.message))
    return `Kubernetes refused the debug container: ${err.message}. Namespace \`${namespace}\`'s Pod Security level forbids the profile: set debugContainer.profile to one it admits (restricted passes every level).`;
  if (err.kind === 'Forbidden')
    return `Kubernetes refused the debug container: ${err.message}. Bind debugdead-debug-containers in \`${namespace}\` (\`debugdead pod-writes\`; README "Security model").`;
  if (err.kind === 'NotFound')
    return `Kubernetes refused the debug container: ${err.message}. The API server may not serve pods/ephemeralcontainers (Kubernetes before 1.23).`;
  return `Kubernetes refused the debug container (${err.kind}): ${err.message}`;
}
