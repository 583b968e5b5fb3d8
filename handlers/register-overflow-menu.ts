import type { App, BlockAction, OverflowAction, RespondFn, StaticSelectAction } from '@slack/bolt';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { depsForDiagnosis } from '../src/conversation/deps-for-click.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { recordAudit } from '../src/conversation/record-audit.js';

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
export function registerOverflowMenu<Picked extends { diagnosisId: string }>(
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
    // The payload is JSON: a value that is no string (`{"toString": 1}` throws when a regex reads it) is not ours.
    const value: unknown = action.selected_option?.value;
    const picked = typeof value === 'string' ? menu.parse(value) : undefined;
    if (!picked) {
      await tell(':x: That menu option is not one of ours; nothing was done.');
      // Only a forged or replayed payload carries a value we never rendered: on the audit trail, like any refused click.
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'user', id: body.user.id },
        action: 'button.clicked',
        target: {},
        result: 'denied',
        detail: `${menu.what}: a menu value we never sent`,
      });
      return;
    }
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    try {
      // Many clusters: handled as the diagnosis' cluster's (read from its signed record, never from the pick).
      await menu.handle(await depsForDiagnosis(deps, picked.diagnosisId), {
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
