import { parseActionId } from '../src/actions/index.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { localProgress } from '../src/conversation/progress-port.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { expiresAt, MANAGED_SELECTOR, REQUESTED_BY_ANNOTATION, requestIdOf } from '../src/debugpods/index.js';

/**
 * Deletes every pod we manage whose `expires-at` has passed, whatever Redis remembers. This is what makes deletion
 * impossible to forget: a flushed queue, a lost Redis or a bot that was down all end here on the next sweep.
 * A managed pod with no readable expiry is left alone and reported (someone edited it; deleting could surprise).
 */
export async function sweepExpiredDebugPods(
  deps: ConversationDeps,
): Promise<{ deleted: string[]; unreadable: string[] }> {
  const now = deps.now();
  const pods = await deps.kube.listManagedPods(MANAGED_SELECTOR);
  deps.meter?.livePods(pods.filter((p) => !p.metadata?.deletionTimestamp).length);
  const deleted: string[] = [];
  const unreadable: string[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp) continue;
    const at = expiresAt(pod);
    if (!at) {
      unreadable.push(`${namespace}/${name}`);
      continue;
    }
    if (at.getTime() > now.getTime()) continue;
    try {
      const result = await deps.kube.deletePod(namespace, name, { gracePeriodSeconds: 5 });
      deleted.push(`${namespace}/${name}`);
      const user = pod.metadata?.annotations?.[REQUESTED_BY_ANNOTATION];
      await deps.limits.release({ namespace, name, ...(user ? { user } : {}) }).catch(() => {});
      const actionId = requestIdOf(pod);
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'bot' },
        action: 'pod.deleted',
        target: { namespace, pod: name },
        ...(actionId ? { requestId: actionId } : {}),
        result: 'ok',
        detail: `${result} by the janitor: expired at ${at.toISOString()}`,
      });
      await reportOnBoard(deps, actionId, `${namespace}/${name}`, at);
    } catch (err) {
      deps.log.error({ err, pod: `${namespace}/${name}` }, 'janitor could not delete an expired debug pod');
    }
  }
  if (unreadable.length)
    deps.log.warn({ pods: unreadable }, 'managed pods without a readable expires-at were left alone');
  return { deleted, unreadable };
}

async function reportOnBoard(
  deps: ConversationDeps,
  actionId: string | undefined,
  pod: string,
  at: Date,
): Promise<void> {
  if (!actionId || !parseActionId(actionId)) return;
  try {
    const port = deps.progress ?? localProgress(deps);
    await port.progress(actionId, { step: 'deleted', canExtend: false });
    await port.thread(actionId, {
      text: `:wastebasket: \`${pod}\` was deleted by the janitor: it expired at ${at.toISOString()}.`,
    });
  } catch (err) {
    deps.log.warn({ err }, 'janitor could not report a deletion');
  }
}
