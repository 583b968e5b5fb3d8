import type { AlertSink, PostedAlert } from '../alerts/index.js';
import type { Report } from '../clusters/index.js';
import type { DiagnosisTarget } from '../conversation/diagnose-and-post.js';
import type { ExamineResult } from '../pipeline/index.js';

/**
 * An agent's alerts: the pod is examined here, in its cluster, and the result goes to the gateway, which posts the
 * diagnosis with its buttons and answers with the message's place. Claims and cooldowns stay with the agent (its
 * own keys in Redis), so alerts are deduplicated per cluster and workload, across restarts of the agent.
 */
export function relayAlertSink(
  examine: (ref: DiagnosisTarget) => Promise<ExamineResult>,
  report: (body: Report) => Promise<unknown>,
): AlertSink {
  return {
    async post(alert) {
      const examined = await examine({ namespace: alert.workload.namespace, pod: alert.pod });
      return (await report({ kind: 'alert.post', alert, examined })) as PostedAlert;
    },
    async update(posted, alert) {
      await report({ kind: 'alert.update', posted, alert });
    },
    async postSummary(channel, entries) {
      return (await report({ kind: 'alert.summary', channel, entries })) as PostedAlert;
    },
    async updateSummary(posted, entries) {
      await report({ kind: 'alert.summary-update', posted, entries });
    },
  };
}
