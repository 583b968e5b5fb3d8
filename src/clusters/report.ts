import type { PostedAlert, SummaryEntry, WorkloadAlert } from '../alerts/index.js';
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
  /** A storm summary's entries: the gateway renders them (never a message the agent made). */
  | { kind: 'alert.summary'; channel: string; entries: readonly SummaryEntry[] }
  | { kind: 'alert.summary-update'; posted: PostedAlert; entries: readonly SummaryEntry[] };
