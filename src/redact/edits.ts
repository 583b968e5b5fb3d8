/**
 * A replacement of `text[start, end)` by `text`. The edits of one text are sorted by `start` and never overlap, so
 * the redacted text is built once, at the end, however many passes found something.
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The text with its edits applied, in one join. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const out: string[] = [];
  let copied = 0;
  for (const edit of edits) {
    out.push(text.slice(copied, edit.start), edit.text);
    copied = edit.end;
  }
  out.push(text.slice(copied));
  return out.join('');
}

/** Every offset at which `marker` starts, in order. */
export function indexesOf(text: string, marker: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) found.push(at);
  return found;
}

/** Two sorted, non-overlapping edit lists as one. */
export function mergeEdits(a: readonly Edit[], b: readonly Edit[]): Edit[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  return [...a, ...b].sort((x, y) => x.start - y.start);
}
