import { expect } from 'vitest';
import type { Block, ButtonElement, SlackMessage, ThreadReply } from '../../src/render/index.js';
import { validateMessage } from '../sim/slack/block-kit.js';

/** Fails with Slack's own error lines when the simulator would refuse the message. */
export function expectSlackAccepts(message: SlackMessage): void {
  const result = validateMessage(message);
  expect(result, JSON.stringify(result)).toEqual({ ok: true });
  // Slack advises keeping `text` under 4,000; the simulator allows 40,000.
  expect(message.text.length).toBeLessThanOrEqual(4000);
}

/** All the messages a thread reply posts (a file's comment included). */
export function messagesOf(replies: ThreadReply[]): SlackMessage[] {
  return replies.map((r) => (r.kind === 'message' ? r.message : r.comment));
}

/** Everything a person reads in a message, joined: section texts, fields, context, headers, button labels. */
export function visibleText(message: SlackMessage): string {
  return message.blocks.map(blockText).join('\n');
}

function blockText(b: Block): string {
  switch (b.type) {
    case 'header':
      return b.text.text;
    case 'section':
      return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)].join('\n');
    case 'context':
      return b.elements.map((e) => e.text).join('\n');
    case 'actions':
      return b.elements.map((e) => e.text.text).join('\n');
    case 'divider':
      return '';
  }
}

export function buttonsOf(message: SlackMessage): ButtonElement[] {
  return message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
}
