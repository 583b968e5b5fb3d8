import { ACTION_KINDS, classRule } from '../actions/index.js';
import { isApprover } from '../approvals/index.js';
import { isKubeError } from '../kube/index.js';
import { formatUtc, mentionUser } from '../render/index.js';
import type { ConversationDeps } from './deps.js';
import { markExpiryLocally } from './mark-expiry.js';
import { postInThread, publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';
import { type Click, checkPlace, resolveClick } from './resolve-click.js';

/** A click on "Extend" or "Delete now" of a debug pod's panel. */
export interface PodActionClick extends Click {
  action: 'extend' | 'delete';
}

/**
 * Extend moves the deletion (and the pod's expires-at mark, which the janitor reads); Delete now deletes. The
 * requester may do either; an approver of the action's class may extend; any approver may delete any debug pod,
 * whoever asked for it (taking privilege away never needs a second person).
 */
export async function manageDebugPod(deps: ConversationDeps, click: PodActionClick): Promise<void> {
  const resolved = await resolveClick(deps, click, click.action);
  if (!resolved) return;
  const { ref, actionId, record } = resolved;
  const slot = record.slots[resolved.slot];
  const state = slot?.progress;
  const actor = { type: 'user', id: click.user } as const;
  if (!slot || !state?.podName || !state.namespace) {
    await click.tell(':hourglass: This debug pod is no longer tracked (expired or never created); nothing was done.');
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target: resolved.target,
      requestId: actionId,
      result: 'error',
      detail: `${click.action}: no pod on record`,
    });
    return;
  }
  if (!(await checkPlace(deps, click, resolved, record.message, click.action))) return;
  const target = { namespace: state.namespace, pod: state.podName };
  if (!ACTION_KINDS[ref.slot.kind].makesPod) {
    // No such button is shown for it: a click naming it came from elsewhere. The pod is not ours to delete.
    await click.tell(':no_entry: A debug container can be neither extended nor removed: it ends by itself at its TTL.');
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: actionId,
      result: 'denied',
      detail: `${click.action} refused: a debug container cannot be ${click.action === 'delete' ? 'removed' : 'extended'}`,
    });
    return;
  }
  if (state.step === 'deleted') {
    await click.tell(`:wastebasket: \`${state.podName}\` is already deleted.`);
    return;
  }
  if (!(await mayManage(deps, slot.requester, slot.privilege, click.user, click.action))) {
    await click.tell(
      click.action === 'delete'
        ? ':no_entry: Only the requester or an approver may delete this pod.'
        : ':no_entry: Only the requester or an approver of this kind of pod may extend it.',
    );
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: actionId,
      result: 'denied',
      detail: `${click.action} refused: not requester or approver`,
    });
    return;
  }

  if (click.action === 'delete') {
    await deps.jobs.deleteNow({
      actionId,
      namespace: state.namespace,
      podName: state.podName,
      by: click.user,
      requestedBy: slot.requester,
    });
    await click.tell(`:wastebasket: Deleting \`${state.podName}\`…`);
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: actionId,
      result: 'ok',
      detail: 'delete now',
    });
    return;
  }

  const now = deps.now();
  const current = state.expiresAt ? new Date(state.expiresAt) : now;
  const max = state.maxExpiresAt ? new Date(state.maxExpiresAt) : current;
  const ttlMs = ACTION_KINDS[ref.slot.kind].ttl(deps.config).defaultSeconds * 1000;
  const next = new Date(Math.min(Math.max(current.getTime(), now.getTime()) + ttlMs, max.getTime()));
  if (next.getTime() <= current.getTime()) {
    await click.tell(
      `:no_entry: \`${state.podName}\` already lives as long as allowed (until ${formatUtc(max.toISOString())}); its maximum TTL is also its activeDeadlineSeconds.`,
    );
    return;
  }
  try {
    // The pod named on record must be the one this action made (with many clusters, its agent checks and marks it).
    await (deps.markExpiry ?? markExpiryLocally(deps.kube))({
      namespace: state.namespace,
      podName: state.podName,
      actionId,
      at: next.toISOString(),
    });
  } catch (err) {
    const gone = isKubeError(err) && err.kind === 'NotFound';
    await click.tell(
      gone ? `:wastebasket: \`${state.podName}\` is already gone.` : `:x: Could not extend: ${(err as Error).message}`,
    );
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'error',
      target,
      requestId: actionId,
      result: 'error',
      detail: `extend failed: ${(err as Error).message}`,
    });
    return;
  }
  await deps.jobs.scheduleDelete(
    { actionId, namespace: state.namespace, podName: state.podName, by: 'ttl', requestedBy: slot.requester },
    next,
  );
  await deps.records.setProgress(
    ref.diagnosisId,
    resolved.slot,
    { ...state, expiresAt: next.toISOString(), canExtend: next.getTime() < max.getTime() },
    (max.getTime() - now.getTime()) / 1000 + 3600,
  );
  await publishProgress(deps, ref.diagnosisId);
  await postInThread(deps, ref.diagnosisId, {
    text: `:hourglass_flowing_sand: ${mentionUser(click.user)} extended \`${state.podName}\` until ${formatUtc(next.toISOString())}.`,
  });
  await click.tell(`:hourglass_flowing_sand: \`${state.podName}\` now lives until ${formatUtc(next.toISOString())}.`);
  await recordAudit(deps.audit, deps.log, {
    actor,
    action: 'ttl.extended',
    target,
    requestId: actionId,
    result: 'ok',
    detail: `until ${next.toISOString()}`,
  });
}

async function mayManage(
  deps: ConversationDeps,
  requester: string,
  privilege: 'standard' | 'privileged',
  user: string,
  action: 'extend' | 'delete',
): Promise<boolean> {
  if (requester === user) return true;
  const sets =
    action === 'extend'
      ? [classRule(deps.config, privilege).approvers]
      : [deps.config.approvers, deps.config.nodeShell.approvers];
  for (const set of sets) {
    const membership = await deps.groups.groupsOf(user, set.groups);
    if (isApprover(set, user, membership.groups)) return true;
  }
  return false;
}
