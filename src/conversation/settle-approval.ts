import { ACTION_KINDS } from '../actions/index.js';
import { describeRule } from '../approvals/index.js';
import { mentionUser } from '../render/index.js';
import { authorizeClick } from './authorize-click.js';
import type { ChatMessage } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import { baseProgress, grantAndEnqueue } from './grant-and-enqueue.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';
import { describeOpenSlot } from './request-action.js';
import { type Click, checkPlace, resolveClick } from './resolve-click.js';

/** A click on Approve or Deny of an approval request in the thread. */
export interface ApprovalClick extends Click {
  decision: 'approve' | 'deny';
  /** Replaces the approval request message (its buttons must not be clicked again). */
  replace: (message: ChatMessage) => Promise<void>;
}

/**
 * Only an approver of the action's class may settle it, only from the approval request itself, and each person
 * counts once: with the two-person rule the slot is granted when two different approvers agreed (the requester
 * counts when an approver). Every outcome, redelivered clicks included, is answered and audited.
 */
export async function settleApproval(deps: ConversationDeps, click: ApprovalClick): Promise<void> {
  const resolved = await resolveClick(deps, click, click.decision);
  if (!resolved) return;
  const { ref, actionId, record, target } = resolved;
  const slot = record.slots[resolved.slot];
  const actor = { type: 'user', id: click.user } as const;
  const audit = (result: 'ok' | 'denied' | 'error', detail: string) =>
    recordAudit(deps.audit, deps.log, {
      actor,
      action: 'button.clicked',
      target,
      requestId: actionId,
      result,
      detail: `${click.decision}: ${detail}`,
    });
  if (!slot) {
    await click.tell(':hourglass: This approval request is not one of ours; nothing was done.');
    return audit('error', 'no such request');
  }
  if (!(await checkPlace(deps, click, resolved, slot.ask, click.decision))) return;

  const verdict = await authorizeClick(deps, {
    kind: ref.slot.kind,
    privilege: slot.privilege,
    namespace: record.request.namespace,
    user: click.user,
  });
  if (!verdict.ok) {
    await click.tell(`:no_entry: ${verdict.message}`);
    return audit('denied', verdict.reason);
  }
  if (!verdict.isApprover) {
    await click.tell(
      `:no_entry: You are not an approver for this; it needs ${describeRule(verdict.rule)}.${verdict.note ? ` ${verdict.note}` : ''}`,
    );
    return audit('denied', 'not an approver');
  }
  const what = ACTION_KINDS[ref.slot.kind].title;

  if (click.decision === 'deny') {
    const outcome = await deps.records.deny(ref.diagnosisId, resolved.slot);
    if (outcome.outcome !== 'denied') {
      await click.tell(
        outcome.outcome === 'settled' ? describeOpenSlot({ ...slot, ...outcome }) : ':hourglass: Expired.',
      );
      return audit('denied', `redelivered or late: already ${outcome.outcome === 'settled' ? outcome.state : 'gone'}`);
    }
    await click.replace({
      text: `:no_entry_sign: ${what} for ${mentionUser(slot.requester)} was denied by ${mentionUser(click.user)}.`,
    });
    await deps.records.setProgress(ref.diagnosisId, resolved.slot, {
      ...baseProgress(record, ref, actionId, slot.requester),
      step: 'failed',
      deniedBy: click.user,
    });
    await publishProgress(deps, ref.diagnosisId);
    await recordAudit(deps.audit, deps.log, {
      actor,
      action: 'approval.denied',
      target,
      requestId: actionId,
      result: 'denied',
      detail: `denied by ${click.user}`,
    });
    return;
  }

  const outcome = await deps.records.approve(ref.diagnosisId, resolved.slot, click.user);
  switch (outcome.outcome) {
    case 'unknown':
      await click.tell(':hourglass: This approval request has expired; nothing was done.');
      return audit('error', 'expired');
    case 'tampered':
      await click.tell(
        ':rotating_light: The approvals on record for this request do not verify (they were changed outside the bot), so nothing was created. Tell the bot’s operators.',
      );
      await recordAudit(deps.audit, deps.log, {
        actor,
        action: 'job.rejected',
        target,
        requestId: actionId,
        result: 'denied',
        detail: 'approvals on record do not verify: someone wrote to Redis',
      });
      return;
    case 'settled':
      await click.tell(describeOpenSlot({ ...slot, state: outcome.state, approvals: outcome.approvals }));
      return audit('denied', `redelivered or late: already ${outcome.state}`);
    case 'already-yours':
      await click.tell(
        `:no_entry: You already count as one of the ${slot.required} people who must agree; another approver must approve (${describeRule(verdict.rule)}).`,
      );
      return audit('denied', 'two-person-rule: this approver already counted');
    case 'recorded':
      await deps.records.setProgress(ref.diagnosisId, resolved.slot, {
        ...baseProgress(record, ref, actionId, slot.requester),
        step: 'awaiting-approval',
        approvedBy: outcome.approvals[0]!,
      });
      await publishProgress(deps, ref.diagnosisId);
      await click.tell(
        ':white_check_mark: Approval recorded; a second approver must agree before anything is created.',
      );
      await recordAudit(deps.audit, deps.log, {
        actor,
        action: 'approval.granted',
        target,
        requestId: actionId,
        result: 'pending',
        detail: `${outcome.approvals.length} of ${slot.required} approvals`,
      });
      return;
    case 'granted':
      await click.replace({
        text: `:white_check_mark: ${what} for ${mentionUser(slot.requester)} was approved by ${outcome.approvals.map(mentionUser).join(' and ')}.`,
      });
      await grantAndEnqueue(
        deps,
        {
          record,
          ref,
          actionId,
          slot: { ...slot, state: 'approved', approvals: outcome.approvals },
          approvals: outcome.approvals,
        },
        click.user,
      );
  }
}
