import { SYSTEM_CLOCK } from './alert-clock.js';
import { alertHeadline, renderAlertContext } from './render-alert-context.js';
import { renderAlertSummary } from './render-alert-summary.js';
import type { AlertSink, WorkloadAlert } from './types.js';

/** A Block Kit message, as the ChatPort (src/conversation/chat-port.ts) takes it. */
interface Message {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks
  blocks?: any[];
}

/** The two ChatPort calls the sink needs (structurally; src/alerts does not import src/conversation). */
export interface AlertChat {
  post(channel: string, message: Message): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: Message): Promise<void>;
}

/**
 * The plain sink: the alert context blocks alone, posted through a ChatPort. The composition root spreads it and
 * overrides `post`/`update` to add the diagnosis and buttons; the summary methods are used as they are.
 */
export function createChatAlertSink(chat: AlertChat, now: () => Date = SYSTEM_CLOCK.now): AlertSink {
  const message = (alert: WorkloadAlert): Message => ({
    text: alertHeadline(alert, now()),
    blocks: renderAlertContext(alert, now()),
  });
  return {
    post: (alert) => chat.post(alert.channel, message(alert)),
    update: (posted, alert) => chat.update(posted.channel, posted.ts, message(alert)),
    postSummary: (channel, entries) => chat.post(channel, renderAlertSummary(entries)),
    updateSummary: (posted, entries) => chat.update(posted.channel, posted.ts, renderAlertSummary(entries)),
  };
}
