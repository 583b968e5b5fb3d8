import { parseActionId, slotKey } from '../src/actions/index.js';
import type { ConversationDeps, DeleteDebugPodJob } from '../src/conversation/deps.js';
import { postInThread, publishProgress } from '../src/conversation/publish-progress.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { nameSuffix } from '../src/debugpods/index.js';
import { isKubeError } from '../src/kube/index.js';

/**
 * At a debug container's TTL: whether its `sleep` ended, told on the message, in the thread and in the audit, and
 * its place in the limits given back. Reads only: the job comes out of Redis, so it acts only on the container its
 * action id names (`debugger-<suffix of the action id>`), and a container still running is looked at again later
 * (the job fails, and BullMQ retries it with back-off).
 */
export async function reportDebugContainerEnd(deps: ConversationDeps, data: DeleteDebugPodJob): Promise<'ended'> {
  const { actionId, namespace, podName, container } = data;
  const ref = parseActionId(actionId);
  // The action's own record (HMAC-tagged) names the pod it debugs: a job naming another pod is not this action's.
  const record = ref ? await deps.records.get(ref.diagnosisId).catch(() => undefined) : undefined;
  const otherPod = record !== undefined && (record.request.namespace !== namespace || record.request.pod !== podName);
  if (ref?.slot.kind !== 'ephemeral' || container !== `debugger-${nameSuffix(actionId)}` || otherPod) {
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'bot' },
      action: 'job.rejected',
      target: { namespace, pod: podName },
      requestId: String(actionId).slice(0, 100),
      result: 'denied',
      detail: 'debug-container end refused: the container is not the one this action added',
    });
    return 'ended';
  }
  let how = 'the pod is gone';
  try {
    const pod = await deps.kube.readPod(namespace, podName);
    const status = (pod.status?.ephemeralContainerStatuses ?? []).find((s) => s.name === container);
    if (status?.state?.running) throw new Error(`debug container ${container} is still running`);
    const t = status?.state?.terminated;
    how = t ? `exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}` : 'it never ran';
  } catch (err) {
    if (!(isKubeError(err) && err.kind === 'NotFound')) throw err;
  }
  await deps.limits.release({
    namespace,
    name: `${podName}/${container}`,
    ...(data.requestedBy ? { user: data.requestedBy } : {}),
  });
  await recordAudit(deps.audit, deps.log, {
    actor: { type: 'bot' },
    action: 'container.ended',
    target: { namespace, pod: podName },
    requestId: actionId,
    result: 'ok',
    detail: `debug container ${container} ended at its TTL: ${how}`,
  });
  const slot = slotKey(ref.slot);
  const progress = record?.slots[slot]?.progress;
  if (progress && progress.step !== 'failed') {
    await deps.records.setProgress(ref.diagnosisId, slot, { ...progress, step: 'deleted', canExtend: false });
    await publishProgress(deps, ref.diagnosisId);
  }
  await postInThread(deps, ref.diagnosisId, {
    text: `:checkered_flag: Debug container \`${container}\` in \`${namespace}/${podName}\` ended at its TTL (${how}). Ephemeral containers cannot be removed: it stays in the pod's spec as terminated until the pod is replaced.`,
  });
  return 'ended';
}
