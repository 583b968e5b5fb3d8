import { renderLogReplies } from '../render/index.js';
import { channelMayDiagnose } from './channel-may-diagnose.js';
import { clusterOpsOf } from './cluster-ops.js';
import type { ConversationDeps } from './deps.js';
import { type LogInstances, MORE_LOG_LINES } from './more-logs-menu.js';
import { recordAudit } from './record-audit.js';

export interface MoreLogsClick {
  instances: LogInstances;
  /** Index into the diagnosis record's containers. */
  container: number;
  diagnosisId: string;
  user: string;
  place: { channel?: string; ts?: string };
  tell: (text: string) => Promise<void>;
}

/**
 * A pick from the More logs menu: the container's logs read again with MORE_LOG_LINES more lines than the thread
 * showed, through the same pipeline as a diagnosis (so the same single redaction), and posted in the message's
 * thread. Who may: as for mutes, anyone in a channel bound to the namespace, from the message itself.
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
  const fromItsMessage = click.place.channel === channel && click.place.ts === ts;
  if (!fromItsMessage || !channelMayDiagnose(deps.config.bindings, channel, namespace).ok) {
    await click.tell(':no_entry: You may not read these logs from here; nothing was done.');
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: click.user },
      action: 'button.clicked',
      target: { namespace, pod },
      requestId: click.diagnosisId,
      result: 'denied',
      detail: `more logs of ${container}: ${fromItsMessage ? 'channel not bound' : 'not from its message'}`,
    });
    return;
  }
  const { config } = deps;
  // In the pod's cluster: here, or by its agent (many clusters).
  const result = await clusterOpsOf(deps).diagnoseWith(
    { namespace, pod, container },
    {
      tailLines: config.logs.tailLines + MORE_LOG_LINES,
      limitBytes: config.logs.limitBytes * 4,
      callTimeoutMs: config.kubernetes.requestTimeoutSeconds * 1000,
    },
  );
  if (!result.ok) {
    await click.tell(`:x: Could not read the logs of \`${container}\` again: the pod or container is gone.`);
    return;
  }
  const diagnosis = {
    ...result.diagnosis,
    logs: result.diagnosis.logs
      .filter((l) => l.container === container)
      .map((l) => ({
        container: l.container,
        ...(click.instances !== 'previous' && l.current ? { current: l.current } : {}),
        ...(click.instances !== 'current' && l.previous ? { previous: l.previous } : {}),
        ...(l.cut ? { cut: l.cut } : {}),
      })),
  };
  const replies = renderLogReplies(diagnosis, { inlineLogLines: config.logs.inlineLines });
  const lines = config.logs.tailLines + MORE_LOG_LINES;
  const what = replies.length ? `last ${lines} lines` : `no ${click.instances} instance to show`;
  await deps.chat.post(
    channel,
    {
      text: `:mag: More logs of \`${container}\` (${click.instances} instance${click.instances === 'both' ? 's' : ''}): ${what}, for <@${click.user}>.`,
    },
    { threadTs: ts },
  );
  for (const reply of replies) {
    if (reply.kind === 'message') await deps.chat.post(channel, reply.message, { threadTs: ts });
    else await deps.chat.upload(channel, ts, reply);
  }
  await recordAudit(deps.audit, deps.log, {
    actor: { type: 'user', id: click.user },
    action: 'button.clicked',
    target: { namespace, pod },
    requestId: click.diagnosisId,
    result: 'ok',
    detail: `more logs: ${container} (${click.instances}, last ${config.logs.tailLines + MORE_LOG_LINES} lines)`,
  });
}
