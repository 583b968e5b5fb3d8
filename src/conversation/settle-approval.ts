import { approvalPolicyFromConfig, decide } from '../approvals/index.js';
import { mentionUser } from '../render/index.js';
import { parseActionId } from './action-ids.js';
import { slotOf } from './action-state.js';
import type { ChatMessage } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';
import { alreadySettled } from './request-debug-pod.js';

/** A click on Approve or Deny of an approval request in the thread. */
export interface ApprovalClick {
  decision: 'approve' | 'deny';
  /** The button's value: the action id. */
  value: string;
  user: string;
  tell: (text: string) => Promise<void>;
  /** Replaces the approval request message (its buttons must not be clicked again). */
  replace: (message: ChatMessage) => Promise<void>;
}

/** Only an approver may settle; a node shell's approver must not be its requester (two-person rule). */
export async function settleApproval(deps: ConversationDeps, click: ApprovalClick): Promise<void> {
  const { log } = deps;
  const actor = { type: 'user', id: click.user } as const;
  const parsed = parseActionId(click.value);
  const stored = parsed && (await deps.requests.get(parsed.diagnosisId));
  const slot = parsed && slotOf(parsed.target);
  const action = parsed && slot ? await deps.board.getAction(parsed.diagnosisId, slot) : undefined;
  if (!parsed || !slot || !stored || !action) {
    await click.tell(':hourglass: This approval request has expired or is not one of ours; nothing was done.');
    await recordAudit(deps.audit, log, {
      actor,
      action: 'button.clicked',
      target: {},
      result: 'error',
      detail: `unknown approval ${click.value.slice(0, 80)}`,
    });
    return;
  }
  const { request } = stored;
  const kind = parsed.target.kind;
  const auditTarget = {
    namespace: request.namespace,
    pod: request.pod,
    ...(request.node ? { node: request.node } : {}),
  };
  const policy = approvalPolicyFromConfig(deps.config);
  const approvers = kind === 'clone' ? policy.approvers : policy.nodeShellApprovers;
  const membership = await deps.groups.groupsOf(click.user, approvers.groups);
  const decision = decide({
    policy,
    kind,
    namespace: request.namespace,
    clicker: click.user,
    requester: action.requestedBy,
    clickerGroups: membership.groups,
  });
  if (!decision.allowed) {
    await click.tell(`:no_entry: ${decision.message}${membership.note ? ` ${membership.note}` : ''}`);
    await recordAudit(deps.audit, log, {
      actor,
      action: 'button.clicked',
      target: auditTarget,
      requestId: click.value,
      result: 'denied',
      detail: `${click.decision} refused: ${decision.reason}`,
    });
    return;
  }

  if (click.decision === 'deny') {
    const reason = `denied by ${click.user}`;
    const outcome = await deps.requests.deny(parsed.diagnosisId, click.user, reason, { slot });
    if (outcome.outcome !== 'denied') {
      await click.tell(alreadySettled(outcome));
      return;
    }
    await click.replace({
      text: `:no_entry_sign: ${kindText(kind)} for ${mentionUser(action.requestedBy)} was denied by ${mentionUser(click.user)}.`,
    });
    await deps.board.setAction(parsed.diagnosisId, slot, {
      ...action,
      step: 'failed',
      error: `Denied by ${mentionUser(click.user)}.`,
    });
    await publishProgress(deps, parsed.diagnosisId);
    await recordAudit(deps.audit, log, {
      actor,
      action: 'approval.denied',
      target: auditTarget,
      requestId: click.value,
      result: 'denied',
      detail: reason,
    });
    return;
  }

  const claim = await deps.requests.claim(parsed.diagnosisId, click.user, { slot });
  if (claim.outcome !== 'claimed') {
    await click.tell(alreadySettled(claim));
    return;
  }
  await click.replace({
    text: `:white_check_mark: ${kindText(kind)} for ${mentionUser(action.requestedBy)} was approved by ${mentionUser(click.user)}.`,
  });
  await deps.board.setAction(parsed.diagnosisId, slot, { ...action, step: 'approved', approvedBy: click.user });
  await publishProgress(deps, parsed.diagnosisId);
  await recordAudit(deps.audit, log, {
    actor,
    action: 'approval.granted',
    target: auditTarget,
    requestId: click.value,
    result: 'ok',
  });
  await deps.jobs.enqueueCreate({ actionId: click.value, approvedBy: click.user });
  await recordAudit(deps.audit, log, {
    actor,
    action: 'job.queued',
    target: auditTarget,
    requestId: click.value,
    result: 'ok',
  });
}

function kindText(kind: 'clone' | 'node-shell'): string {
  return kind === 'clone' ? 'The debug clone' : 'The node shell';
}
