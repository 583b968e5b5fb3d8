import { debugContainerPrivilege, privilegeClassOf } from '../actions/index.js';
import { describeClass, describeRule } from '../approvals/index.js';
import { mentionUser, renderApprovalRequest } from '../render/index.js';
import { authorizeClick } from './authorize-click.js';
import type { ConversationDeps } from './deps.js';
import type { SlotRecord } from './diagnosis-record-store.js';
import { baseProgress, grantAndEnqueue } from './grant-and-enqueue.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';
import { type Click, checkPlace, resolveClick } from './resolve-click.js';

/**
 * A click on "Create debug clone", "Attach debug container" or "Open node shell" of a diagnosis: parse → place → authorise → open the slot →
 * grant or ask. The slot is opened atomically: the first click decides; a later or racing click is shown the request
 * as it stands and changes nothing, so one approval request is ever posted per action.
 */
export async function requestAction(deps: ConversationDeps, click: Click): Promise<void> {
  const resolved = await resolveClick(deps, click, 'request');
  if (!resolved) return;
  const { ref, actionId, record, target } = resolved;
  const actor = { type: 'user', id: click.user } as const;
  const refuse = async (text: string, detail: string, result: 'denied' | 'error' = 'denied') => {
    await click.tell(text);
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: actionId,
      result,
      detail: `request ${ref.slot.kind}: ${detail}`,
    });
  };
  if (!(await checkPlace(deps, click, resolved, record.message, `request ${ref.slot.kind}`))) return;

  if (ref.slot.kind !== 'node-shell' && record.request.containers[ref.slot.container] === undefined) {
    return refuse(
      ':x: That container is not part of this diagnosis; nothing was done.',
      `unknown container index ${ref.slot.container}`,
      'error',
    );
  }
  if (ref.slot.kind === 'node-shell' && !record.request.node) {
    return refuse(
      ':x: The pod is not scheduled on a node, so there is no node to open a shell on.',
      'no node',
      'error',
    );
  }

  const profile = deps.config.debugContainer.profile;
  const reasons =
    ref.slot.kind === 'clone'
      ? record.request.clonePrivilege
      : ref.slot.kind === 'ephemeral'
        ? debugContainerPrivilege(record.request.clonePrivilege, profile)
        : [];
  const privilege = privilegeClassOf(ref.slot.kind, reasons);
  const verdict = await authorizeClick(deps, {
    kind: ref.slot.kind,
    privilege,
    namespace: record.request.namespace,
    user: click.user,
  });
  if (!verdict.ok) return refuse(`:no_entry: ${verdict.message}`, verdict.reason);

  const approvals = verdict.isApprover ? [click.user] : [];
  const opened = await deps.records.open(ref.diagnosisId, resolved.slot, {
    requester: click.user,
    privilege,
    approvals,
    required: verdict.rule.required,
  });
  if (opened.outcome === 'unknown') {
    return refuse(':hourglass: These buttons have expired. Run `/debugdead` again.', 'diagnosis expired', 'error');
  }
  if (opened.outcome === 'exists') {
    return refuse(describeOpenSlot(opened.slot), `already ${opened.slot.state}`);
  }
  // Awaited once the click is handed on: the chain's Redis appends take turns (see grantAndEnqueue).
  const clicked = recordAudit(deps.audit, deps.log, {
    actor,
    action: 'button.clicked',
    target,
    requestId: actionId,
    result: 'ok',
    detail: `${privilege} ${ref.slot.kind}`,
  });
  const slot: SlotRecord = {
    state: opened.state,
    requester: click.user,
    privilege,
    approvals,
    required: verdict.rule.required,
  };
  if (opened.state === 'approved') {
    await grantAndEnqueue(deps, { record, ref, actionId, slot, approvals }, click.user);
    await clicked;
    return;
  }
  await clicked;

  // Not enough agreement yet: ask the approvers, once (only the click that opened the slot gets here).
  const what = describeClass(ref.slot.kind, privilege);
  const rule = describeRule(verdict.rule);
  const progress = baseProgress(record, ref, actionId, click.user);
  await deps.records.setProgress(ref.diagnosisId, resolved.slot, {
    ...progress,
    step: 'awaiting-approval',
    ...(approvals[0] ? { approvedBy: approvals[0] } : {}),
  });
  if (record.message) {
    const ask = renderApprovalRequest({
      requestId: actionId,
      kind: ref.slot.kind,
      target: progress.target,
      requestedBy: click.user,
      approvers: verdict.rule.approvers,
      required: verdict.rule.required,
      ...(verdict.rule.approvers.anyone ? { anyone: true } : {}),
      ...(ref.slot.kind !== 'node-shell' ? { privilegeReasons: reasons } : {}),
      ...(ref.slot.kind === 'ephemeral'
        ? {
            detail: `It targets ${progress.container ?? '?'}, with profile ${profile} and image ${deps.config.debugContainer.images[0]}`,
          }
        : {}),
    });
    const posted = await deps.chat
      .post(record.message.channel, ask, { threadTs: record.message.ts })
      .catch((err) => deps.log.warn({ err }, 'could not post the approval request'));
    if (posted) await deps.records.setAsk(ref.diagnosisId, resolved.slot, { channel: posted.channel, ts: posted.ts });
  }
  await publishProgress(deps, ref.diagnosisId);
  const why = verdict.isApprover
    ? `${capitalise(what)} needs ${rule}: your request counts as one, so a second person, another approver, must agree.`
    : `You are not an approver for ${what}; it needs ${rule}.`;
  await click.tell(
    `:raised_hand: ${why}${verdict.note ? ` ${verdict.note}` : ''} I asked the approvers in the thread.`,
  );
  await recordAudit(deps.audit, deps.log, {
    actor,
    action: 'approval.requested',
    target,
    requestId: actionId,
    result: 'pending',
    detail: `${privilege} ${ref.slot.kind}: ${approvals.length} of ${verdict.rule.required} approvals`,
  });
}

/** What a click on a request button says when the action was already asked for. */
export function describeOpenSlot(slot: SlotRecord): string {
  const by = slot.approvals.map(mentionUser).join(' and ');
  if (slot.state === 'approved')
    return `:information_source: Already approved by ${by}: the message shows its progress.`;
  if (slot.state === 'denied') return ':no_entry_sign: This request was denied. Run `/debugdead` again to ask anew.';
  return `:hourglass: Already requested by ${mentionUser(slot.requester)}: waiting in the thread for ${slot.required - slot.approvals.length} more approval${slot.required - slot.approvals.length === 1 ? '' : 's'}${by ? ` (approved so far by ${by})` : ''}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
