/**
 * Everything a person can read in a message: its blocks' texts (headers, sections, fields, context, button labels,
 * rich text) in order, or the top-level `text` when there are no blocks (Slack then shows `text`; with blocks, `text`
 * is only the notification fallback). Lets tests assert on what is seen rather than on Block Kit structure.
 */
export function visibleText(msg: { text?: string; blocks?: unknown[] }): string {
  if (!msg.blocks || msg.blocks.length === 0) return msg.text ?? '';
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    // Text objects and rich text runs carry `text` as a string; a confirm dialog is not visible until clicked.
    if (typeof o.text === 'string') out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'confirm' && typeof v === 'object') walk(v);
  };
  walk(msg.blocks);
  return out.join('\n');
}
