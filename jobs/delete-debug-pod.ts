import type { Job } from 'bullmq';
import { parseActionId } from '../src/conversation/action-ids.js';
import { slotOf } from '../src/conversation/action-state.js';
import type { ConversationDeps, DeleteDebugPodJob } from '../src/conversation/deps.js';
import { postInThread, publishProgress } from '../src/conversation/publish-progress.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { mentionUser } from '../src/render/index.js';

/** Deletes a debug pod (at its TTL, on "Delete now", or after it failed to start). A pod already gone is success. */
export function deleteDebugPodProcessor(deps: ConversationDeps) {
  return async (job: Job<DeleteDebugPodJob>): Promise<'deleted' | 'already-gone'> => {
    const { actionId, namespace, podName, by } = job.data;
    // Transient errors throw and BullMQ retries with back-off; the janitor is the last line of defence.
    const result = await deps.kube.deletePod(namespace, podName, { gracePeriodSeconds: 5 });
    const who = by === 'ttl' ? 'its TTL' : by === 'bot' ? 'the bot' : mentionUser(by);
    await recordAudit(deps.audit, deps.log, {
      actor: by === 'ttl' || by === 'bot' ? { type: 'bot' } : { type: 'user', id: by },
      action: 'pod.deleted',
      target: { namespace, pod: podName },
      requestId: actionId,
      result: 'ok',
      detail: `${result} (by ${by})`,
    });
    const parsed = parseActionId(actionId);
    if (parsed) {
      const slot = slotOf(parsed.target);
      const state = await deps.board.getAction(parsed.diagnosisId, slot);
      if (state && state.step !== 'failed') {
        await deps.board.setAction(parsed.diagnosisId, slot, { ...state, step: 'deleted', canExtend: false });
        await publishProgress(deps, parsed.diagnosisId);
      }
      if (by !== 'bot') {
        await postInThread(deps, parsed.diagnosisId, {
          text: `:wastebasket: \`${namespace}/${podName}\` was deleted by ${who}${result === 'already-gone' ? ' (it was already gone)' : ''}.`,
        });
      }
    }
    return result;
  };
}
