import type { AlertSink, PostedAlert, SummaryMessage, WorkloadAlert } from '../alerts/index.js';
import { renderAlertContext } from '../alerts/index.js';
import type { RedisClient } from '../redis/index.js';
import type { ConversationDeps } from './deps.js';
import { diagnoseAndPost } from './diagnose-and-post.js';
import { publishProgress } from './publish-progress.js';

/** How long an alert message stays editable (recovered after…): well past any cooldown. */
const ALERT_LINK_TTL_SECONDS = 7 * 86400;

/**
 * Alerts as people see them: the same diagnosis, buttons and thread as `/debugdead`, under a headline the alert
 * manager keeps current (pods failing, since when, recovered after). The message is linked to its diagnosis id in
 * Redis, so an update from another replica or after a restart edits the headline and keeps the action panels.
 */
export function createDiagnosisAlertSink(deps: ConversationDeps, redis: RedisClient): AlertSink {
  const prefix = deps.config.redis.prefix;
  const linkKey = (posted: PostedAlert) => `${prefix}:alert-diagnosis:${posted.channel}:${posted.ts}`;

  return {
    async post(alert: WorkloadAlert): Promise<PostedAlert> {
      const headline = renderAlertContext(alert, deps.now());
      const outcome = await diagnoseAndPost(
        deps,
        { namespace: alert.workload.namespace, pod: alert.pod },
        { channel: alert.channel, requestedBy: 'alert', prefixBlocks: headline, throwSlackErrors: true },
      );
      if (outcome.ok && outcome.posted) {
        if (outcome.diagnosisId) {
          await redis.set(linkKey(outcome.posted), outcome.diagnosisId, 'EX', ALERT_LINK_TTL_SECONDS).catch(() => {});
        }
        return outcome.posted;
      }
      // The pod could not be diagnosed (gone already, forbidden): the alert still goes out, with the reason.
      const reason = outcome.ok ? '' : outcome.message.text;
      return deps.chat.post(alert.channel, {
        text: `${alert.workload.kind} ${alert.workload.namespace}/${alert.workload.name}: ${alert.reason}`,
        blocks: [
          ...headline,
          { type: 'section', text: { type: 'mrkdwn', text: reason.slice(0, 2900) || '_no diagnosis_' } },
        ],
      });
    },

    async update(posted: PostedAlert, alert: WorkloadAlert): Promise<void> {
      const headline = renderAlertContext(alert, deps.now());
      const diagnosisId = await redis.get(linkKey(posted)).catch(() => null);
      if (diagnosisId && (await deps.records.get(diagnosisId))?.message) {
        await deps.records.setPrefix(diagnosisId, headline);
        await publishProgress(deps, diagnosisId);
        return;
      }
      await deps.chat.update(posted.channel, posted.ts, {
        text: `${alert.workload.kind} ${alert.workload.namespace}/${alert.workload.name}: ${alert.recoveredAt ? 'recovered' : alert.reason}`,
        blocks: headline,
      });
    },

    postSummary: (channel: string, message: SummaryMessage) => deps.chat.post(channel, message),
    updateSummary: (posted: PostedAlert, message: SummaryMessage) =>
      deps.chat.update(posted.channel, posted.ts, message),
  };
}
