import type { PodRef } from '../pipeline/index.js';
import { renderLogReplies } from '../render/index.js';
import { channelMayDiagnose } from './channel-may-diagnose.js';
import { clusterOpsOf, type LogsDiagnosis } from './cluster-ops.js';
import type { ConversationDeps } from './deps.js';
import type { MoreLogsPick } from './more-logs-menu.js';
import { type MoreLogsRead, moreLogsRead, planMoreLogs } from './plan-more-logs.js';
import { recordAudit } from './record-audit.js';

export interface MoreLogsClick extends MoreLogsPick {
  user: string;
  place: { channel?: string; ts?: string };
  tell: (text: string) => Promise<void>;
}

/**
 * A pick from the More logs menu: the container's logs read again through the same pipeline as a diagnosis (so the
 * same single redaction), sliced to what was asked (planMoreLogs: older lines, a window, the newest instance) and
 * posted in the message's thread under a line saying what it is and who asked. Who may: as for mutes' default,
 * anyone in a channel bound to the namespace, from the message itself. Every pick is audited, refusals too.
 */
export async function moreLogsFromClick(deps: ConversationDeps, click: MoreLogsClick): Promise<void> {
  const record = await deps.records.get(click.diagnosisId);
  const container = record?.request.containers[click.container];
  if (!record?.message || !container) {
    await click.tell(':hourglass: This menu has expired. Run `/debugdead` again for a fresh diagnosis.');
    return;
  }
  const { namespace, pod } = record.request;
  const { channel, ts } = record.message;
  const audit = (result: 'ok' | 'denied' | 'error', detail: string) =>
    recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: click.user },
      action: 'button.clicked',
      target: { namespace, pod },
      requestId: click.diagnosisId,
      result,
      detail,
    });
  const fromItsMessage = click.place.channel === channel && click.place.ts === ts;
  if (!fromItsMessage || !channelMayDiagnose(deps.config.bindings, channel, namespace).ok) {
    await click.tell(':no_entry: You may not read these logs from here; nothing was done.');
    await audit(
      'denied',
      `more logs of ${container}: ${fromItsMessage ? 'channel not bound' : 'not from its message'}`,
    );
    return;
  }
  const { config } = deps;
  const read = moreLogsRead(click, config.logs);
  const result = await readLogsAgain(deps, { namespace, pod, container }, read);
  if (!result.ok && result.reason === 'kube') {
    const why =
      result.error.kind === 'NotFound' ? 'the pod is gone' : `${result.error.kind}: the pod could not be read`;
    await click.tell(`:x: Could not read the logs of \`${container}\` again: ${why}.`);
    await audit('error', `more logs of ${container}: ${result.error.kind}`);
    return;
  }
  const answer = planMoreLogs({
    pick: click,
    container,
    pod: { namespace, name: pod },
    user: click.user,
    status: result.ok ? result.diagnosis.containers.find((c) => c.name === container) : undefined,
    logs: result.ok ? result.diagnosis.logs.find((l) => l.container === container) : undefined,
    read,
    thread: config.logs,
    now: deps.now(),
  });
  await deps.chat.post(channel, { text: answer.header }, { threadTs: ts });
  if (answer.log && result.ok) {
    // The slice is shown as the thread shows logs (a code block, or a file with its last lines inline); its cut is
    // said in the header, so none is passed here.
    const replies = renderLogReplies(
      {
        ...result.diagnosis,
        logs: [{ container, [answer.log.instance]: { ok: true, value: answer.log.text } }],
      },
      { inlineLogLines: config.logs.inlineLines, slices: true },
    );
    for (const reply of replies) {
      if (reply.kind === 'message') await deps.chat.post(channel, reply.message, { threadTs: ts });
      else await deps.chat.upload(channel, ts, reply);
    }
  }
  await audit('ok', answer.detail);
}

/**
 * The one cluster read of a More logs pick: the diagnose pipeline (gather, fold duplicate instances, redact) narrowed
 * to the container, with the pick's tail, byte limit and window.
 */
function readLogsAgain(deps: ConversationDeps, ref: PodRef, read: MoreLogsRead): Promise<LogsDiagnosis> {
  // In the pod's cluster: here, or by its agent (many clusters).
  return clusterOpsOf(deps).diagnoseWith(ref, {
    ...read,
    callTimeoutMs: deps.config.kubernetes.requestTimeoutSeconds * 1000,
  });
}
