import type { PostedAlert, SummaryMessage, WorkloadAlert } from '../alerts/index.js';
import type { ChatMessage } from '../conversation/chat-port.js';
import type { ActionProgress } from '../conversation/diagnosis-record-store.js';
import type { ExamineResult } from '../pipeline/index.js';

/** What an agent sends the gateway: everything that ends up in Slack, since only the gateway speaks to Slack. */
export type Report =
  | {
      kind: 'progress';
      actionId: string;
      patch: Partial<ActionProgress>;
      keepSeconds?: number;
      unless?: ActionProgress['step'];
    }
  | { kind: 'thread'; actionId: string; message: ChatMessage }
  /** A failing workload: the agent examined its pod; the gateway posts the diagnosis, records it, returns the place. */
  | { kind: 'alert.post'; alert: WorkloadAlert; examined: ExamineResult }
  | { kind: 'alert.update'; posted: PostedAlert; alert: WorkloadAlert }
  | { kind: 'alert.summary'; channel: string; message: SummaryMessage }
  | { kind: 'alert.summary-update'; posted: PostedAlert; message: SummaryMessage };
