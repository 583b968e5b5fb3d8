import type { App, BlockAction, OverflowAction, RespondFn } from '@slack/bolt';
import { MUTE_MENU_ACTION, parseMuteValue } from '../src/alerts/index.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { muteFromClick } from '../src/conversation/mute-from-click.js';

/** The mute menu on alerts and summaries: acknowledge, turn the pick into our MuteClick, hand off. */
export function registerMuteMenu(app: App, deps: ConversationDeps): void {
  app.action<BlockAction<OverflowAction>>(MUTE_MENU_ACTION, async ({ ack, action, body, respond }) => {
    await ack();
    const tell = async (text: string) => {
      await (respond as RespondFn)({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
        deps.log.warn({ err }, 'could not answer the mute pick'),
      );
    };
    const picked = parseMuteValue(action.selected_option?.value ?? '');
    if (!picked) {
      await tell(':x: That menu option is not one of ours; nothing was done.');
      return;
    }
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    try {
      await muteFromClick(deps, {
        ...picked,
        user: body.user.id,
        place: {
          ...(container.channel_id ? { channel: container.channel_id } : {}),
          ...(container.message_ts ? { ts: container.message_ts } : {}),
        },
        tell,
      });
    } catch (err) {
      deps.log.error({ err, user: body.user.id }, 'mute pick failed');
      await tell(describeFailure(err));
    }
  });
}
