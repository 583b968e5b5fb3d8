import { approvalPolicyFromConfig, decide } from '../approvals/index.js';
import { EXPIRES_AT_ANNOTATION } from '../debugpods/index.js';
import { isKubeError } from '../kube/index.js';
import { formatUtc, mentionUser } from '../render/index.js';
import { parseActionId } from './action-ids.js';
import { type ActionState, slotOf } from './action-state.js';
import type { ConversationDeps } from './deps.js';
import { postInThread, publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';

/** A click on "Extend" or "Delete now" of a ready debug pod. */
export interface PodActionClick {
  action: 'extend' | 'delete';
  /** The button's value: the action id. */
  value: string;
  user: string;
  tell: (text: string) => Promise<void>;
}

/** Extend moves the deletion (and the pod's expires-at mark, which the janitor reads); Delete now deletes. */
export async function manageDebugPod(deps: ConversationDeps, click: PodActionClick): Promise<void> {
  const { log } = deps;
  const actor = { type: 'user', id: click.user } as const;
  const parsed = parseActionId(click.value);
  const slot = parsed && slotOf(parsed.target);
  const state = parsed && slot ? await deps.board.getAction(parsed.diagnosisId, slot) : undefined;
  if (!parsed || !slot || !state?.podName || !state.namespace) {
    await click.tell(':hourglass: This debug pod is no longer tracked (expired or never created); nothing was done.');
    return;
  }
  if (state.step === 'deleted') {
    await click.tell(`:wastebasket: \`${state.podName}\` is already deleted.`);
    return;
  }
  const target = { namespace: state.namespace, pod: state.podName };
  if (!(await mayManage(deps, state, click.user))) {
    await click.tell(':no_entry: Only the requester or an approver may extend or delete this pod.');
    await recordAudit(deps.audit, log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: click.value,
      result: 'denied',
      detail: `${click.action} refused: not requester or approver`,
    });
    return;
  }

  if (click.action === 'delete') {
    await deps.jobs.deleteNow({
      actionId: click.value,
      namespace: state.namespace,
      podName: state.podName,
      by: click.user,
    });
    await click.tell(`:wastebasket: Deleting \`${state.podName}\`…`);
    return;
  }

  const now = deps.now();
  const current = state.expiresAt ? new Date(state.expiresAt) : now;
  const max = state.maxExpiresAt ? new Date(state.maxExpiresAt) : current;
  const ttlMs =
    (parsed.target.kind === 'clone'
      ? deps.config.debugClone.defaultTtlSeconds
      : deps.config.nodeShell.defaultTtlSeconds) * 1000;
  const next = new Date(Math.min(Math.max(current.getTime(), now.getTime()) + ttlMs, max.getTime()));
  if (next.getTime() <= current.getTime()) {
    await click.tell(
      `:no_entry: \`${state.podName}\` already lives as long as allowed (until ${formatUtc(max.toISOString())}); its maximum TTL is also its activeDeadlineSeconds.`,
    );
    return;
  }
  try {
    await deps.kube.annotatePod(state.namespace, state.podName, { [EXPIRES_AT_ANNOTATION]: next.toISOString() });
  } catch (err) {
    const gone = isKubeError(err) && err.kind === 'NotFound';
    await click.tell(
      gone ? `:wastebasket: \`${state.podName}\` is already gone.` : `:x: Could not extend: ${(err as Error).message}`,
    );
    await recordAudit(deps.audit, log, {
      actor,
      action: 'error',
      target,
      requestId: click.value,
      result: 'error',
      detail: `extend failed: ${(err as Error).message}`,
    });
    return;
  }
  await deps.jobs.scheduleDelete(
    { actionId: click.value, namespace: state.namespace, podName: state.podName, by: 'ttl' },
    next,
  );
  const updated: ActionState = { ...state, expiresAt: next.toISOString(), canExtend: next.getTime() < max.getTime() };
  await deps.board.setAction(parsed.diagnosisId, slot, updated, (max.getTime() - now.getTime()) / 1000 + 3600);
  await publishProgress(deps, parsed.diagnosisId);
  await postInThread(deps, parsed.diagnosisId, {
    text: `:hourglass_flowing_sand: ${mentionUser(click.user)} extended \`${state.podName}\` until ${formatUtc(next.toISOString())}.`,
  });
  await click.tell(`:hourglass_flowing_sand: \`${state.podName}\` now lives until ${formatUtc(next.toISOString())}.`);
  await recordAudit(deps.audit, log, {
    actor,
    action: 'ttl.extended',
    target,
    requestId: click.value,
    result: 'ok',
    detail: `until ${next.toISOString()}`,
  });
}

async function mayManage(deps: ConversationDeps, state: ActionState, user: string): Promise<boolean> {
  if (state.requestedBy === user) return true;
  const policy = approvalPolicyFromConfig(deps.config);
  const approvers = state.kind === 'clone' ? policy.approvers : policy.nodeShellApprovers;
  const membership = await deps.groups.groupsOf(user, approvers.groups);
  const decision = decide({
    policy,
    kind: state.kind,
    namespace: state.kind === 'clone' ? (state.target.split('/')[0] ?? '') : deps.config.nodeShell.namespace,
    clicker: user,
    requester: state.requestedBy,
    clickerGroups: membership.groups,
  });
  return decision.allowed || decision.reason === 'two-person-rule';
}
