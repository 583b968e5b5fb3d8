import { parseActionId, slotKey } from '../actions/index.js';
import type { ChatMessage } from './chat-port.js';
import type { ConversationDeps } from './deps.js';
import type { ActionProgress } from './diagnosis-record-store.js';
import { postInThread, publishProgress } from './publish-progress.js';

/**
 * How a debug-pod job tells people how its action is doing: the action's panel on the diagnosis message, and lines in
 * its thread. In one process the job writes them itself (localProgress); an agent, which holds neither the Slack
 * token nor the key of the diagnosis records, sends them to the gateway, which applies them with localProgress.
 */
export interface ProgressPort {
  /**
   * Merges `patch` into the action's panel and edits the message; nothing when the action has no panel (or its step
   * is `unless`). `keepSeconds` keeps the record at least that long (a pod outliving the diagnosis' buttons).
   */
  progress(
    actionId: string,
    patch: Partial<ActionProgress>,
    options?: { keepSeconds?: number; unless?: ActionProgress['step'] },
  ): Promise<void>;
  /** A line in the diagnosis thread. Best effort. */
  thread(actionId: string, message: ChatMessage): Promise<void>;
}

/** The ProgressPort over this process' diagnosis records and Slack. */
export function localProgress(deps: ConversationDeps): ProgressPort {
  return {
    async progress(actionId, patch, options = {}) {
      const ref = parseActionId(actionId);
      if (!ref) return;
      const slot = slotKey(ref.slot);
      const current = (await deps.records.get(ref.diagnosisId))?.slots[slot]?.progress;
      if (!current || (options.unless && current.step === options.unless)) return;
      await deps.records.setProgress(ref.diagnosisId, slot, { ...current, ...patch }, options.keepSeconds ?? 0);
      await publishProgress(deps, ref.diagnosisId);
    },
    async thread(actionId, message) {
      const ref = parseActionId(actionId);
      if (ref) await postInThread(deps, ref.diagnosisId, message);
    },
  };
}
