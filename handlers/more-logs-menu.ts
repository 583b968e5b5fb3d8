import type { App, BlockAction, OverflowAction, RespondFn } from '@slack/bolt';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { moreLogsFromClick } from '../src/conversation/more-logs-from-click.js';
import { MORE_LOGS_ACTION, parseMoreLogsValue } from '../src/conversation/more-logs-menu.js';

/** The More logs menu on alerts and summaries: acknowledge, turn the pick into our MoreLogsClick, hand off. */
export function registerMoreLogsMenu(app: App, deps: ConversationDeps): void {
  app.action<BlockAction<OverflowAction>>(MORE_LOGS_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const tell = async (text: string) => {
      await (respond as RespondFn)({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
        deps.log.warn({ err }, 'could not answer the More logs pick'),
      );
    };
    const picked = parseMoreLogsValue(action.selected_option?.value ?? '');
    if (!picked) {
      await tell(':x: That menu option is not one of ours; nothing was done.');
      return;
    }
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    try {
      await moreLogsFromClick(deps, {
        ...picked,
        user: body.user.id,
        place: {
          ...(container.channel_id ? { channel: container.channel_id } : {}),
          ...(container.message_ts ? { ts: container.message_ts } : {}),
        },
        tell,
      });
    } catch (err) {
      deps.log.error({ err, user: body.user.id }, 'more logs pick failed');
      await tell(describeFailure(err));
    }
  });
}
