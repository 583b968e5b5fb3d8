import type { App, BlockAction, OverflowAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { describeFailure } from '../src/conversation/describe-failure.js';

/** Where the menu was picked, and how to answer the person who picked it. */
export interface OverflowPick {
  user: string;
  place: { channel?: string; ts?: string };
  tell(text: string): Promise<void>;
}

/** A pick from an overflow menu or a static select: both send `selected_option`. */
type MenuAction = OverflowAction | StaticSelectAction;

/** One menu of ours on alerts and summaries: its action id, how to read a pick, what to do with it. */
export interface OverflowMenu<Picked> {
  actionId: string;
  /** Words for the logs ("mute", "More logs"). */
  what: string;
  /** The option's value as ours, or undefined for a value we never sent. */
  parse(value: string): Picked | undefined;
  handle(deps: ConversationDeps, pick: Picked & OverflowPick): Promise<void>;
}

/** Acknowledge, turn the pick into our own type (refusing values we never sent), hand off, answer any failure. */
export function registerOverflowMenu<Picked extends object>(
  app: App,
  deps: ConversationDeps,
  menu: OverflowMenu<Picked>,
): void {
  app.action<BlockAction<MenuAction>>(menu.actionId, async ({ ack, action, body, respond }) => {
    await ack();
    const tell = async (text: string) => {
      await (respond as RespondFn)({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
        deps.log.warn({ err }, `could not answer the ${menu.what} pick`),
      );
    };
    const picked = menu.parse(action.selected_option?.value ?? '');
    if (!picked) {
      await tell(':x: That menu option is not one of ours; nothing was done.');
      return;
    }
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    try {
      await menu.handle(deps, {
        ...picked,
        user: body.user.id,
        place: {
          ...(container.channel_id ? { channel: container.channel_id } : {}),
          ...(container.message_ts ? { ts: container.message_ts } : {}),
        },
        tell,
      });
    } catch (err) {
      deps.log.error({ err, user: body.user.id }, `${menu.what} pick failed`);
      await tell(describeFailure(err));
    }
  });
}
