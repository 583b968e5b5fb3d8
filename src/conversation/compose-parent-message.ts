import { ACTION_KINDS } from '../actions/index.js';
import {
  type Block,
  blockTextLength,
  type JobProgressState,
  MESSAGE_TEXT_BUDGET,
  renderJobProgress,
  SLACK_LIMITS,
} from '../render/index.js';
import type { ChatMessage } from './chat-port.js';

/**
 * The parent message: the diagnosis as posted, then one progress panel per action taken from it. Pure. When the
 * panels would push the message over Slack's limits, the diagnosis' middle blocks give way (the verdict and the
 * buttons stay; the evidence is in the thread anyway).
 */
export function composeParentMessage(diagnosis: ChatMessage, actions: JobProgressState[]): ChatMessage {
  // Each panel renders the same block_ids; Slack refuses duplicates within a message, so number them per panel.
  const panels: Block[] = actions.flatMap((a, i) => [
    { type: 'divider' } as Block,
    ...(renderJobProgress(a).blocks as Block[]).map((b) =>
      'block_id' in b && b.block_id ? { ...b, block_id: `${b.block_id}.${i}` } : b,
    ),
  ]);
  const base = (diagnosis.blocks ?? []) as Block[];
  const size = (blocks: Block[]) => blocks.reduce((n, b) => n + blockTextLength(b), 0);
  let kept = base;
  while (
    kept.length > 2 &&
    (kept.length + panels.length > SLACK_LIMITS.blocksPerMessage || size(kept) + size(panels) > MESSAGE_TEXT_BUDGET)
  ) {
    // Drop the block just before the last (the actions block stays last of the diagnosis).
    kept = [...kept.slice(0, kept.length - 2), kept[kept.length - 1]!];
  }
  const latest = actions[actions.length - 1];
  const text = latest ? `${diagnosis.text} — ${describeStep(latest)}` : diagnosis.text;
  return { text, blocks: [...kept, ...panels].slice(0, SLACK_LIMITS.blocksPerMessage) };
}

function describeStep(a: JobProgressState): string {
  const what = ACTION_KINDS[a.kind].noun.replace(/^an? /, '');
  return `${what}: ${a.step}`;
}
