import type { ChatMessage } from './chat-port.js';
import { composeParentMessage } from './compose-parent-message.js';
import type { ConversationDeps } from './deps.js';

/**
 * Re-composes the parent message from the board (the diagnosis plus every action's panel) and edits it in place.
 * Best effort: a refused edit is logged, never fatal to the job that reported progress.
 */
export async function publishProgress(deps: ConversationDeps, diagnosisId: string): Promise<void> {
  try {
    const entry = await deps.board.get(diagnosisId);
    if (!entry) return;
    const actions = Object.keys(entry.actions)
      .sort()
      .map((slot) => entry.actions[slot]!);
    const message = { text: entry.message.text, blocks: [...entry.prefix, ...(entry.message.blocks ?? [])] };
    await deps.chat.update(entry.channel, entry.ts, composeParentMessage(message, actions));
  } catch (err) {
    deps.log.warn({ err, diagnosisId }, 'could not update the parent message');
  }
}

/** A line in the diagnosis thread (pod ready, deleted, extended): best effort like publishProgress. */
export async function postInThread(deps: ConversationDeps, diagnosisId: string, message: ChatMessage): Promise<void> {
  try {
    const entry = await deps.board.get(diagnosisId);
    if (!entry) return;
    await deps.chat.post(entry.channel, message, { threadTs: entry.ts });
  } catch (err) {
    deps.log.warn({ err, diagnosisId }, 'could not post in the thread');
  }
}
