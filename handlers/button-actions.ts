import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { ACTION, CLONE_ACTION_PATTERN } from '../src/conversation/action-ids.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { manageDebugPod } from '../src/conversation/manage-debug-pod.js';
import { requestDebugPod } from '../src/conversation/request-debug-pod.js';
import { settleApproval } from '../src/conversation/settle-approval.js';

/** Every button: acknowledge first, turn the payload into our types, hand off to src/conversation. */
export function registerButtonActions(app: App, deps: ConversationDeps): void {
  const tellVia = (respond: RespondFn) => async (text: string) => {
    await respond({ response_type: 'ephemeral', replace_original: false, text }).catch((err) =>
      deps.log.warn({ err }, 'could not answer the click'),
    );
  };

  app.action<BlockAction<ButtonAction>>(CLONE_ACTION_PATTERN, async ({ ack, action, body, respond }) => {
    await ack();
    await requestDebugPod(deps, {
      kind: 'clone',
      value: action.value ?? '',
      user: body.user.id,
      tell: tellVia(respond),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.nodeShell, async ({ ack, action, body, respond }) => {
    await ack();
    await requestDebugPod(deps, {
      kind: 'node-shell',
      value: action.value ?? '',
      user: body.user.id,
      tell: tellVia(respond),
    });
  });

  for (const decision of ['approve', 'deny'] as const) {
    app.action<BlockAction<ButtonAction>>(ACTION[decision], async ({ ack, action, body, respond }) => {
      await ack();
      await settleApproval(deps, {
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
      });
    });
  }

  for (const [name, actionId] of [
    ['extend', ACTION.extend],
    ['delete', ACTION.delete],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, respond }) => {
      await ack();
      await manageDebugPod(deps, {
        action: name,
        value: action.value ?? '',
        user: body.user.id,
        tell: tellVia(respond),
      });
    });
  }
}
