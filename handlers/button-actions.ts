import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { ACTION, CLONE_ACTION_PATTERN } from '../src/conversation/action-ids.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { describeFailure } from '../src/conversation/describe-failure.js';
import { manageDebugPod } from '../src/conversation/manage-debug-pod.js';
import { recordAudit } from '../src/conversation/record-audit.js';
import { requestDebugPod } from '../src/conversation/request-debug-pod.js';
import { settleApproval } from '../src/conversation/settle-approval.js';

/** Every button: acknowledge first, turn the payload into our types, hand off to src/conversation. */
export function registerButtonActions(app: App, deps: ConversationDeps): void {
  const tellVia = (respond: RespondFn) => async (text: string) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
      deps.log.warn({ err }, 'could not answer the click'),
    );
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

  app.action<BlockAction<ButtonAction>>(CLONE_ACTION_PATTERN, async ({ ack, action, body, respond }) => {
    await ack();
    await guarded(respond, body.user.id, 'clone click', () =>
      requestDebugPod(deps, { kind: 'clone', value: action.value ?? '', user: body.user.id, tell: tellVia(respond) }),
    );
  });

  app.action<BlockAction<ButtonAction>>(ACTION.nodeShell, async ({ ack, action, body, respond }) => {
    await ack();
    await guarded(respond, body.user.id, 'node shell click', () =>
      requestDebugPod(deps, {
        kind: 'node-shell',
        value: action.value ?? '',
        user: body.user.id,
        tell: tellVia(respond),
      }),
    );
  });

  for (const decision of ['approve', 'deny'] as const) {
    app.action<BlockAction<ButtonAction>>(ACTION[decision], async ({ ack, action, body, respond }) => {
      await ack();
      await guarded(respond, body.user.id, `${decision} click`, () =>
        settleApproval(deps, {
          decision,
          value: action.value ?? '',
          user: body.user.id,
          tell: tellVia(respond),
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

  for (const [name, actionId] of [
    ['extend', ACTION.extend],
    ['delete', ACTION.delete],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      await guarded(respond, body.user.id, `${name} click`, () =>
        manageDebugPod(deps, { action: name, value: action.value ?? '', user: body.user.id, tell: tellVia(respond) }),
      );
    });
  }
}
