import { type ActionRef, type Grant, signGrant, slotKey } from '../actions/index.js';
import type { ConversationDeps } from './deps.js';
import type { ActionProgress, DiagnosisRecord, SlotRecord } from './diagnosis-record-store.js';
import { publishProgress } from './publish-progress.js';
import { recordAudit } from './record-audit.js';

/** The panel of an action, before any pod exists. */
export function baseProgress(
  record: DiagnosisRecord,
  ref: ActionRef,
  actionId: string,
  requester: string,
): Omit<ActionProgress, 'step'> {
  const { request } = record;
  const container = ref.slot.kind !== 'node-shell' ? request.containers[ref.slot.container] : undefined;
  return {
    kind: ref.slot.kind,
    target: ref.slot.kind !== 'node-shell' ? `${request.namespace}/${request.pod}` : (request.node ?? ''),
    ...(container ? { container } : {}),
    requestedBy: requester,
    requestId: actionId,
  };
}

/**
 * The one way an approved action becomes a job: sign the grant (everything that decides the pod, who asked and who
 * agreed, and until when it may be acted on), show it approved, audit, and queue it. The job id derives from the
 * action id, so a second grant of the same action queues nothing.
 */
export async function grantAndEnqueue(
  deps: ConversationDeps,
  granted: { record: DiagnosisRecord; ref: ActionRef; actionId: string; slot: SlotRecord; approvals: string[] },
  actor: string,
): Promise<void> {
  const { record, ref, actionId, slot, approvals } = granted;
  const { request } = record;
  const now = deps.now();
  const container = ref.slot.kind !== 'node-shell' ? request.containers[ref.slot.container] : undefined;
  const grant: Grant = {
    actionId,
    kind: ref.slot.kind,
    privilege: slot.privilege,
    cluster: deps.config.cluster.name,
    namespace: request.namespace,
    ...(ref.slot.kind !== 'node-shell' ? { pod: request.pod } : {}),
    ...(ref.slot.kind === 'node-shell' && request.node ? { node: request.node } : {}),
    ...(container ? { container } : {}),
    // A debug container's profile and image are today's configuration, signed with the rest: the worker checks
    // them against its own configuration again.
    ...(ref.slot.kind === 'ephemeral'
      ? { profile: deps.config.debugContainer.profile, image: deps.config.debugContainer.images[0] }
      : {}),
    requester: slot.requester,
    approvers: approvals,
    expiresAt: new Date(now.getTime() + (deps.config.approvals.grantTtlSeconds ?? 600) * 1000).toISOString(),
  };
  const signed = signGrant(grant, deps.signingKey);
  const target = { namespace: request.namespace, pod: request.pod, ...(request.node ? { node: request.node } : {}) };
  await deps.records.setProgress(ref.diagnosisId, slotKey(ref.slot), {
    ...baseProgress(record, ref, actionId, slot.requester),
    step: 'approved',
    ...(approvals[0] ? { approvedBy: approvals[0] } : {}),
    ...(approvals[1] ? { alsoApprovedBy: approvals[1] } : {}),
  });
  // Shown before the job is queued: once queued, the worker edits the message, and an edit of ours arriving after
  // its "Running" would show an older step.
  await publishProgress(deps, ref.diagnosisId);
  // The audit line is written as each record is made; its Redis append waits its turn in the chain, so it is
  // awaited after the job is queued, not before: a burst of approvals does not queue behind the chain.
  const grantedAudit = recordAudit(deps.audit, deps.log, {
    actor: { type: 'user', id: actor },
    action: 'approval.granted',
    target,
    requestId: actionId,
    result: 'ok',
    detail: `${slot.privilege} ${ref.slot.kind}, approved by ${approvals.join(' and ')}`,
  });
  try {
    await deps.jobs.enqueueCreate(signed);
  } catch (err) {
    // Not queued (Redis away, or with many clusters the cluster's agent gone): the panel must not stay "approved".
    const reason = err instanceof Error && err.name === 'AgentGone' ? err.message : 'the job could not be queued';
    await deps.records
      .setProgress(ref.diagnosisId, slotKey(ref.slot), {
        ...baseProgress(record, ref, actionId, slot.requester),
        step: 'failed',
        error: `${reason} Nothing was created.`,
      })
      .then(() => publishProgress(deps, ref.diagnosisId))
      .catch(() => {});
    await grantedAudit;
    throw err;
  }
  await Promise.all([
    grantedAudit,
    recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: actor },
      action: 'job.queued',
      target,
      requestId: actionId,
      result: 'ok',
    }),
  ]);
}
