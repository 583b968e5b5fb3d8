import { approvalPolicyFromConfig, decide, parseRequestRef } from '../approvals/index.js';
import { renderApprovalRequest } from '../render/index.js';
import { type ActionTarget, actionId } from './action-ids.js';
import { slotOf } from './action-state.js';
import type { ConversationDeps } from './deps.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';

/** A click on "Create debug clone" or "Open node shell" of a diagnosis message. */
export interface DebugPodClick {
  kind: 'clone' | 'node-shell';
  /** The button's value: `<diagnosisId>#<i>` or `<diagnosisId>`. */
  value: string;
  user: string;
  /** Answers only the clicker (ephemeral). */
  tell: (text: string) => Promise<void>;
}

/**
 * Parse → authorise → claim → hand off. An approver's click starts the job at once (exactly once, however many
 * clicks race); anyone else's posts one approval request in the thread, mentioning the approvers.
 */
export async function requestDebugPod(deps: ConversationDeps, click: DebugPodClick): Promise<void> {
  const { log } = deps;
  const actor = { type: 'user', id: click.user } as const;
  const ref = parseRequestRef(click.value);
  if (!ref) {
    await click.tell(':x: That button is not one of ours (malformed value); nothing was done.');
    await recordAudit(deps.audit, log, {
      actor,
      action: 'button.clicked',
      target: {},
      result: 'error',
      detail: 'malformed button value',
    });
    return;
  }
  const stored = await deps.requests.get(ref.id);
  if (!stored) {
    await click.tell(
      ':hourglass: These buttons have expired (they last ' +
        `${Math.round(deps.config.approvals.requestTtlSeconds / 3600)} h). Run \`/debugdead\` again for a fresh diagnosis.`,
    );
    await recordAudit(deps.audit, log, {
      actor,
      action: 'button.clicked',
      target: {},
      requestId: ref.id,
      result: 'error',
      detail: 'unknown or expired request',
    });
    return;
  }
  const request = stored.request;
  const auditTarget = {
    namespace: request.namespace,
    pod: request.pod,
    ...(request.node ? { node: request.node } : {}),
  };

  let target: ActionTarget;
  let container: string | undefined;
  if (click.kind === 'clone') {
    const index = ref.index ?? 0;
    container = request.containers?.[index];
    if (!container) {
      await click.tell(':x: That container is not part of this diagnosis; nothing was done.');
      return;
    }
    target = { kind: 'clone', containerIndex: index };
  } else {
    if (!deps.config.nodeShell.enabled) {
      await click.tell(":no_entry: Node shells are disabled in this bot's configuration (nodeShell.enabled).");
      return;
    }
    if (!request.node) {
      await click.tell(':x: The pod is not scheduled on a node, so there is no node to open a shell on.');
      return;
    }
    target = { kind: 'node-shell' };
  }
  const id = actionId(ref.id, target);
  const slot = slotOf(target);
  await recordAudit(deps.audit, log, {
    actor,
    action: 'button.clicked',
    target: auditTarget,
    requestId: id,
    result: 'ok',
    detail: click.kind,
  });

  const policy = approvalPolicyFromConfig(deps.config);
  const approvers = click.kind === 'clone' ? policy.approvers : policy.nodeShellApprovers;
  const membership = await deps.groups.groupsOf(click.user, approvers.groups);
  const decision = decide({
    policy,
    kind: click.kind,
    namespace: request.namespace,
    clicker: click.user,
    requester: click.user,
    clickerGroups: membership.groups,
  });
  const targetText = click.kind === 'clone' ? `${request.namespace}/${request.pod}` : request.node!;
  const base = {
    kind: click.kind,
    target: targetText,
    ...(container ? { container } : {}),
    requestedBy: click.user,
    requestId: id,
  } as const;

  if (decision.allowed) {
    const claim = await deps.requests.claim(ref.id, click.user, { slot });
    if (claim.outcome !== 'claimed') {
      await click.tell(alreadySettled(claim));
      return;
    }
    await deps.board.setAction(ref.id, slot, { ...base, step: 'approved', approvedBy: click.user });
    await publishProgress(deps, ref.id);
    await recordAudit(deps.audit, log, {
      actor,
      action: 'approval.granted',
      target: auditTarget,
      requestId: id,
      result: 'ok',
      detail: 'self-approved by an approver',
    });
    await deps.jobs.enqueueCreate({ actionId: id, approvedBy: click.user });
    await recordAudit(deps.audit, log, {
      actor,
      action: 'job.queued',
      target: auditTarget,
      requestId: id,
      result: 'ok',
    });
    return;
  }

  if (decision.reason === 'namespace-denied') {
    await click.tell(`:no_entry: ${decision.message}`);
    await recordAudit(deps.audit, log, {
      actor,
      action: 'approval.denied',
      target: auditTarget,
      requestId: id,
      result: 'denied',
      detail: decision.message,
    });
    return;
  }

  // Not an approver (or the two-person rule): ask the approvers, once per action however often people click.
  const existing = await deps.board.getAction(ref.id, slot);
  if (existing && existing.step !== 'failed') {
    await click.tell(
      `:hourglass: Already requested by <@${existing.requestedBy}>: the approvers have been asked in the thread.`,
    );
    return;
  }
  await deps.board.setAction(ref.id, slot, { ...base, step: 'awaiting-approval' });
  const entry = await deps.board.get(ref.id);
  if (entry) {
    const ask = renderApprovalRequest({
      requestId: id,
      kind: click.kind,
      target: targetText,
      requestedBy: click.user,
      approvers: decision.approvers,
    });
    await deps.chat
      .post(entry.channel, ask, { threadTs: entry.ts })
      .catch((err) => log.warn({ err }, 'could not post the approval request'));
  }
  await publishProgress(deps, ref.id);
  await click.tell(
    `:raised_hand: ${decision.message}${membership.note ? ` ${membership.note}` : ''} I asked the approvers in the thread.`,
  );
  await recordAudit(deps.audit, log, {
    actor,
    action: 'approval.requested',
    target: auditTarget,
    requestId: id,
    result: 'pending',
    detail: decision.reason,
  });
}

export function alreadySettled(claim: { outcome: string; by?: string; at?: string; decision?: string }): string {
  if (claim.outcome === 'unknown-or-expired') return ':hourglass: This request has expired; run `/debugdead` again.';
  const verb = claim.decision === 'denied' ? 'denied' : 'approved';
  return `:information_source: Already ${verb} by <@${claim.by}> at ${claim.at}: nothing more to do. The message shows its progress.`;
}
