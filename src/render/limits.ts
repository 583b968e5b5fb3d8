import type { Block, TextObject } from './block-kit-types.js';

/**
 * Slack's Block Kit limits (Slack's Block Kit reference), counted like Slack counts: UTF-16 code units, after
 * mrkdwn escaping. Every renderer cuts through the helpers below, so no message can exceed them.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  contextElements: 10,
  actionsElements: 25,
  /** Undocumented sum of all text in all blocks; past it Slack answers `msg_blocks_too_long`. */
  cumulativeBlockText: 12_000,
  /** Slack truncates past 40,000 and advises staying under 4,000. */
  messageText: 4000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/** Margin under the cumulative limit, so a small miscount (or a later `chat.update` adding a line) stays legal. */
export const MESSAGE_TEXT_BUDGET = 11_000;

export const ELLIPSIS = '…';

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** An index ≤ `at` that splits neither a surrogate pair nor an `&amp;`-style entity. */
function safeEnd(text: string, at: number): number {
  let end = Math.max(0, Math.min(at, text.length));
  if (end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end--;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && end - amp <= 5 && !text.slice(amp, end).includes(';') && /^&(?:amp|lt|gt);/.test(text.slice(amp))) {
    end = amp;
  }
  return end;
}

/** An index ≥ `at` that splits neither a surrogate pair nor an entity. */
function safeStart(text: string, at: number): number {
  let start = Math.max(0, Math.min(at, text.length));
  if (start > 0 && start < text.length && isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1))) start++;
  const amp = text.lastIndexOf('&', start - 1);
  if (amp >= 0 && start - amp < 5) {
    const entity = /^&(?:amp|lt|gt);/.exec(text.slice(amp));
    if (entity && amp + entity[0].length > start) start = amp + entity[0].length;
  }
  return start;
}

/** Keeps the beginning of `text` within `max` code units, ending with `…` when cut. */
export function truncateEnd(text: string, max: number, ellipsis = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return text.slice(0, safeEnd(text, max));
  return text.slice(0, safeEnd(text, max - ellipsis.length)) + ellipsis;
}

/** Keeps the end of `text` within `max` code units, starting with `…` when cut (logs: the last lines matter). */
export function truncateStart(text: string, max: number, ellipsis = ELLIPSIS): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return text.slice(safeStart(text, text.length - max));
  return ellipsis + text.slice(safeStart(text, text.length - (max - ellipsis.length)));
}

function textOf(t: TextObject | undefined): number {
  return t ? t.text.length : 0;
}

/** The text of one block as Slack sums it for `msg_blocks_too_long`: every text object, buttons and dialogs too. */
export function blockTextLength(block: Block): number {
  switch (block.type) {
    case 'header':
      return textOf(block.text);
    case 'section':
      return (
        textOf(block.text) +
        (block.fields ?? []).reduce((n, f) => n + textOf(f), 0) +
        (block.accessory ? textOf(block.accessory.text) : 0)
      );
    case 'context':
      return block.elements.reduce((n, e) => n + textOf(e), 0);
    case 'actions':
      return block.elements.reduce(
        (n, b) =>
          n +
          textOf(b.text) +
          (b.confirm
            ? textOf(b.confirm.title) + textOf(b.confirm.text) + textOf(b.confirm.confirm) + textOf(b.confirm.deny)
            : 0),
        0,
      );
    case 'divider':
      return 0;
  }
}

/**
 * Splits blocks into as few messages as possible, each within the block count and the cumulative text budget.
 * Blocks must already be individually legal; order is kept.
 */
export function packBlocks(blocks: Block[], opts: { maxBlocks?: number; maxChars?: number } = {}): Block[][] {
  const maxBlocks = opts.maxBlocks ?? SLACK_LIMITS.blocksPerMessage;
  const maxChars = opts.maxChars ?? MESSAGE_TEXT_BUDGET;
  const pages: Block[][] = [];
  let page: Block[] = [];
  let chars = 0;
  for (const block of blocks) {
    const n = blockTextLength(block);
    if (page.length > 0 && (page.length >= maxBlocks || chars + n > maxChars)) {
      pages.push(page);
      page = [];
      chars = 0;
    }
    page.push(block);
    chars += n;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
