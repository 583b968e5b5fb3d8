import { parseActionId } from '../actions/index.js';
import { kubectlContextOf, type Report, withKubeContext } from '../clusters/index.js';
import { channelIdOf } from '../config/index.js';
import type { ConversationDeps } from '../conversation/deps.js';
import { createDiagnosisAlertSink } from '../conversation/diagnosis-alert-sink.js';
import { localProgress } from '../conversation/progress-port.js';
import type { RedisClient } from '../redis/index.js';
import {
  ReportRefused,
  readMessageTs,
  readProgressOptions,
  readProgressPatch,
  readRelayedAlert,
  readSummaryEntries,
  readThreadLine,
} from './read-agent-report.js';

export { ReportRefused };

/**
 * Applies one signed report of `cluster` with the cluster's conversation (`deps` from clusterDeps). A report speaks
 * for its own cluster only: an action must belong to a diagnosis of that cluster, and an alert may go only to a
 * channel that cluster's alerts are routed to, so an agent cannot write on another cluster's messages or post
 * anywhere it likes. Exec lines get the cluster's kubeconfig context.
 */
export async function applyReport(
  deps: ConversationDeps,
  redis: RedisClient,
  cluster: string,
  body: unknown,
  channelIds: ReadonlyMap<string, string> = new Map(),
): Promise<unknown> {
  /** The agent routes by the channels as the file writes them (it cannot ask Slack for ids); posts go by id. */
  const routed = (channel: unknown) => routedChannel(deps, cluster, channel, channelIds);
  const report = body as Report;
  const context = kubectlContextOf(deps.config, cluster);
  switch (report?.kind) {
    case 'progress': {
      await ownAction(deps, cluster, report.actionId);
      const patch = { ...readProgressPatch(report.patch) };
      const options = readProgressOptions(report.keepSeconds, report.unless);
      if (typeof patch.execCommand === 'string') patch.execCommand = withKubeContext(patch.execCommand, context);
      await localProgress(deps).progress(report.actionId, patch, options);
      return undefined;
    }
    case 'thread': {
      await ownAction(deps, cluster, report.actionId);
      const text = withKubeContext(readThreadLine(report.message).text, context);
      await localProgress(deps).thread(report.actionId, { text });
      return undefined;
    }
    case 'alert.post': {
      const alert = readRelayedAlert(report.alert, routed(report.alert?.channel));
      const examined = report.examined;
      const sink = createDiagnosisAlertSink({ ...deps, examine: async () => examined }, redis);
      return sink.post(alert);
    }
    case 'alert.update': {
      const posted = { channel: routed(report.posted?.channel), ts: readMessageTs(report.posted?.ts) };
      return createDiagnosisAlertSink(deps, redis).update(posted, readRelayedAlert(report.alert, posted.channel));
    }
    case 'alert.summary':
      return createDiagnosisAlertSink(deps, redis).postSummary(
        routed(report.channel),
        readSummaryEntries(report.entries),
      );
    case 'alert.summary-update': {
      const posted = { channel: routed(report.posted?.channel), ts: readMessageTs(report.posted?.ts) };
      return createDiagnosisAlertSink(deps, redis).updateSummary(posted, readSummaryEntries(report.entries));
    }
    default:
      throw new ReportRefused('unknown report');
  }
}

async function ownAction(deps: ConversationDeps, cluster: string, actionId: unknown): Promise<void> {
  const ref = parseActionId(actionId);
  const record = ref ? await deps.records.get(ref.diagnosisId) : undefined;
  if (!record || record.request.cluster !== cluster)
    throw new ReportRefused(`action ${String(actionId).slice(0, 80)} is not one of @${cluster}'s`);
}

/** The channel's id when the cluster's alerts are routed there (by id or by `#name`); else refused. */
function routedChannel(
  deps: ConversationDeps,
  cluster: string,
  channel: unknown,
  channelIds: ReadonlyMap<string, string>,
): string {
  const { alerts } = deps.config;
  const idOf = (c: string) => channelIdOf(c, channelIds) ?? c;
  const allowed = new Set(
    [...(alerts.channel ? [alerts.channel] : []), ...alerts.routes.map((r) => r.channel)].map(idOf),
  );
  const id = typeof channel === 'string' ? idOf(channel) : undefined;
  if (id === undefined || !allowed.has(id))
    throw new ReportRefused(`@${cluster}'s alerts are not routed to ${String(channel).slice(0, 20)}`);
  return id;
}
