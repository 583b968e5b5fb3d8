import type { Job } from 'bullmq';
import { parseActionId } from '../src/actions/index.js';
import type { ConversationDeps, DeleteDebugPodJob } from '../src/conversation/deps.js';
import { localProgress } from '../src/conversation/progress-port.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { nameSuffix, REQUESTED_BY_ANNOTATION, requestIdOf } from '../src/debugpods/index.js';
import { isKubeError } from '../src/kube/index.js';
import { mentionUser } from '../src/render/index.js';
import { reportDebugContainerEnd } from './report-debug-container-end.js';

/**
 * Deletes a debug pod (at its TTL, on "Delete now", or after it failed to start). A pod already gone is success.
 * The job comes out of Redis, so it deletes only a pod the cluster says is ours and made for this very action:
 * a forged deletion of any other pod is refused and audited.
 */
export function deleteDebugPodProcessor(deps: ConversationDeps) {
  return async (job: Job<DeleteDebugPodJob>): Promise<'deleted' | 'already-gone' | 'refused' | 'ended'> => {
    const problem = foreignTarget(job.data);
    if (problem) {
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'bot' },
        action: 'job.rejected',
        target: { namespace: String(job.data.namespace).slice(0, 63), pod: String(job.data.podName).slice(0, 253) },
        requestId: String(job.data.actionId).slice(0, 100),
        result: 'denied',
        detail: `deletion refused: ${problem}`,
      });
      return 'refused';
    }
    // A debug container is never deleted (it cannot be): its end is looked at and reported.
    if (job.data.container !== undefined) return reportDebugContainerEnd(deps, job.data);
    const { actionId, namespace, podName, by } = job.data;
    let requestedBy: string | undefined;
    try {
      const pod = await deps.kube.readPod(namespace, podName);
      if (requestIdOf(pod) !== actionId) {
        await recordAudit(deps.audit, deps.log, {
          actor: { type: 'bot' },
          action: 'job.rejected',
          target: { namespace, pod: podName },
          requestId: String(actionId).slice(0, 100),
          result: 'denied',
          detail: 'deletion refused: the pod is not a debug pod made for this action',
        });
        return 'refused';
      }
      requestedBy = pod.metadata?.annotations?.[REQUESTED_BY_ANNOTATION] ?? job.data.requestedBy;
    } catch (err) {
      // Transient errors throw and BullMQ retries with back-off; the janitor is the last line of defence.
      if (!(isKubeError(err) && err.kind === 'NotFound')) throw err;
    }
    const result = await deps.kube.deletePod(namespace, podName, { gracePeriodSeconds: 5 });
    await deps.limits.release({ namespace, name: podName, ...(requestedBy ? { user: requestedBy } : {}) });
    const who = by === 'ttl' ? 'its TTL' : by === 'bot' ? 'the bot' : mentionUser(by);
    await recordAudit(deps.audit, deps.log, {
      actor: by === 'ttl' || by === 'bot' ? { type: 'bot' } : { type: 'user', id: by },
      action: 'pod.deleted',
      target: { namespace, pod: podName },
      requestId: actionId,
      result: 'ok',
      detail: `${result} (by ${by})`,
    });
    if (parseActionId(actionId)) {
      const port = deps.progress ?? localProgress(deps);
      // The pod is deleted: telling people is best effort and must not retry the job.
      await port
        .progress(actionId, { step: 'deleted', canExtend: false }, { unless: 'failed' })
        .catch((err) => deps.log.warn({ err, actionId }, 'could not report the deletion'));
      if (by !== 'bot') {
        await port
          .thread(actionId, {
            text: `:wastebasket: \`${namespace}/${podName}\` was deleted by ${who}${result === 'already-gone' ? ' (it was already gone)' : ''}.`,
          })
          .catch((err) => deps.log.warn({ err, actionId }, 'could not report the deletion'));
      }
    }
    return result;
  };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Why a deletion job's target cannot be what the bot made for its action, or undefined. The job comes out of Redis,
 * and its names end up in the action's thread ("`ns/pod` was deleted by …"): a namespace and pod that are no
 * Kubernetes names (`<!channel>`, a link) are refused, and a debug pod of an action is named after it
 * (`…-<nameSuffix(actionId)>`, src/debugpods/pod-names.ts), so another name is not that action's pod.
 */
function foreignTarget(data: DeleteDebugPodJob): string | undefined {
  const { actionId, namespace, podName, container } = data ?? ({} as DeleteDebugPodJob);
  if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) return 'the namespace is not a Kubernetes name';
  if (typeof podName !== 'string' || !DNS_SUBDOMAIN.test(podName)) return 'the pod is not a Kubernetes name';
  // A debug container is added to the pod it debugs (any name); the container's own name is checked against the
  // action in reportDebugContainerEnd.
  if (container === undefined && parseActionId(actionId) && !podName.endsWith(`-${nameSuffix(actionId)}`))
    return 'the pod is not named after this action';
  return undefined;
}
