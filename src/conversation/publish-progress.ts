import type { ChatMessage } from './chat-port.js';
import { composeParentMessage } from './compose-parent-message.js';
import type { ConversationDeps } from './deps.js';

/**
 * Re-composes the parent message from the diagnosis record (the diagnosis plus every action's panel) and edits it in
 * place. Best effort: a refused edit is logged, never fatal to the job that reported progress.
 */
export async function publishProgress(deps: ConversationDeps, diagnosisId: string): Promise<void> {
  try {
    const record = await deps.records.get(diagnosisId);
    if (!record?.message) return;
    const actions = Object.keys(record.slots)
      .sort()
      .flatMap((slot) => (record.slots[slot]?.progress ? [record.slots[slot].progress] : []));
    const body = record.message.body;
    const message = { text: body.text, blocks: [...record.prefix, ...(body.blocks ?? [])] };
    await deps.chat.update(record.message.channel, record.message.ts, composeParentMessage(message, actions));
  } catch (err) {
    deps.log.warn({ err, diagnosisId }, 'could not update the parent message');
  }
}

/** A line in the diagnosis thread (pod ready, deleted, extended, refused): best effort like publishProgress. */
export async function postInThread(deps: ConversationDeps, diagnosisId: string, message: ChatMessage): Promise<void> {
  try {
    const record = await deps.records.get(diagnosisId);
    if (!record?.message) return;
    await deps.chat.post(record.message.channel, message, { threadTs: record.message.ts });
  } catch (err) {
    deps.log.warn({ err, diagnosisId }, 'could not post in the thread');
  }
}
