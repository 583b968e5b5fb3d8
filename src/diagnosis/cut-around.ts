/**
 * Fits `text` (collapsed to one line) into `max` characters while keeping the phrase at `phrase`: the head is cut
 * when the phrase sits at the end, the tail when it sits at the start, both around it otherwise, with "…" marking
 * each cut. Causes often come last ("…: dial tcp 10.0.0.7:5432: connect: connection refused"), so a fixed cut at the
 * start would lose them.
 */
export function cutAround(text: string, max: number, phrase?: { start: number; length: number }): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('');
  if (max <= 2) return '…'.repeat(Math.max(0, max));
  // The phrase was located (in UTF-16 units) in the raw text: re-measure it in the collapsed characters.
  const at = (i: number) => Array.from(text.slice(0, Math.max(0, i)).replace(/\s+/g, ' ').trimStart()).length;
  const start = phrase ? Math.min(at(phrase.start), chars.length - 1) : 0;
  const end = phrase ? Math.min(chars.length, Math.max(start + 1, at(phrase.start + phrase.length))) : 0;
  if (!phrase || end <= max - 1) return `${chars.slice(0, max - 1).join('')}…`;
  const room = max - 2;
  if (end - start >= room) return `…${chars.slice(start, start + room).join('')}…`;
  // A third of the spare room before the phrase (what failed), the rest after it (the detail).
  const from = Math.max(0, start - Math.floor((room - (end - start)) / 3));
  if (from + room >= chars.length) return `…${chars.slice(chars.length - (max - 1)).join('')}`;
  return `${from > 0 ? '…' : ''}${chars.slice(from, from + room).join('')}…`;
}
