import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { BUTTON, REQUEST_BUTTON_PATTERN } from '../src/actions/index.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { depsForClick } from '../src/conversation/deps-for-click.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { manageDebugPod } from '../src/conversation/manage-debug-pod.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { requestAction } from '../src/conversation/request-action.js';
import type { Click } from '../src/conversation/resolve-click.js';
import { settleApproval } from '../src/conversation/settle-approval.js';

/** Every button: acknowledge first, turn the payload into our Click, hand off to src/conversation. */
export function registerButtonActions(app: App, deps: ConversationDeps): void {
  const tellVia = (respond: RespondFn) => async (text: string) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
      deps.log.warn({ err }, 'could not answer the click'),
    );
  };
  /** The payload as our type: the button's value, who clicked, and the message it sat on. */
  const toClick = (body: BlockAction, action: ButtonAction, respond: RespondFn): Click => {
    const container = (body.container ?? {}) as { channel_id?: string; message_ts?: string };
    return {
      value: action.value ?? '',
      user: body.user.id,
      place: {
        ...((container.channel_id ?? body.channel?.id) ? { channel: container.channel_id ?? body.channel?.id } : {}),
        ...(container.message_ts ? { ts: container.message_ts } : {}),
      },
      tell: tellVia(respond),
    };
  };
  /** A flow that throws (Redis down, Slack refusing) still answers the person and leaves an audit trace. */
  const guarded = async (respond: RespondFn, user: string, what: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      deps.log.error({ err, user, what }, 'click handling failed');
      await tellVia(respond)(describeFailure(err));
      await recordAudit(deps.audit, deps.log, {
        actor: { type: 'user', id: user },
        action: 'error',
        target: {},
        result: 'error',
        detail: `${what}: ${(err as Error).message}`.slice(0, 300),
      });
    }
  };

  app.action<BlockAction<ButtonAction>>(REQUEST_BUTTON_PATTERN, async ({ ack, action, body, respond }) => {
    await ack();
    await guarded(respond, body.user.id, 'request click', async () =>
      requestAction(await depsForClick(deps, action.value), toClick(body, action, respond)),
    );
  });

  for (const decision of ['approve', 'deny'] as const) {
    app.action<BlockAction<ButtonAction>>(BUTTON[decision], async ({ ack, action, body, respond }) => {
      await ack();
      await guarded(respond, body.user.id, `${decision} click`, async () =>
        settleApproval(await depsForClick(deps, action.value), {
          ...toClick(body, action, respond),
          decision,
          replace: async (message) => {
            await respond({
              replace_original: true,
              text: message.text,
              ...(message.blocks ? { blocks: message.blocks } : {}),
            }).catch((err) => deps.log.warn({ err }, 'could not replace the approval request'));
          },
        }),
      );
    });
  }

  for (const name of ['extend', 'delete'] as const) {
    app.action<BlockAction<ButtonAction>>(BUTTON[name], async ({ ack, action, body, respond }) => {
      await ack();
      await guarded(respond, body.user.id, `${name} click`, async () =>
        manageDebugPod(await depsForClick(deps, action.value), { ...toClick(body, action, respond), action: name }),
      );
    });
  }
}
