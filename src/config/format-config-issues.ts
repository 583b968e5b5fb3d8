import type { z } from 'zod';
import { listItemOf, objectShapeOf } from './object-shape-of.js';

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;

/**
 * Pure: zod's issues as the sentences people read, `key.path: expected …, got …`, in file order. Each schema in
 * CONFIG_SCHEMA words its own issue (schema-fields.ts); this puts the key path in front, and turns an unknown key
 * into `key: unknown key (did you mean "…"?)` using the keys the schema knows there. Unknown keys of a mapping come
 * before the problems inside it, as they are usually the cause.
 */
export function formatConfigIssues(issues: readonly Issue[], schema: z.ZodType): string[] {
  const ordered = [...issues];
  for (let i = 0; i < ordered.length; i++) {
    const issue = ordered[i]!;
    if (issue.code !== 'unrecognized_keys') continue;
    let at = i;
    while (at > 0 && startsWith(ordered[at - 1]!.path, issue.path)) at--;
    ordered.splice(i, 1);
    ordered.splice(at, 0, issue);
  }
  return ordered.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const hint = closest(key, known);
        return `${formatPath([...issue.path, key])}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`;
      });
    }
    return [`${formatPath(issue.path)}: ${issue.message}`];
  });
}

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  return path.length > prefix.length && prefix.every((s, i) => path[i] === s);
}

/** `alerts.routes[0].channel`; the whole file is "(top level)". */
export function formatPath(path: readonly Segment[]): string {
  if (path.length === 0) return '(top level)';
  return path.reduce<string>(
    (out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${String(s)}` : String(s)),
    '',
  );
}

/** The keys of the mapping at `path` in the schema, through lists. */
function knownKeysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  let at: z.ZodType | undefined = schema;
  for (const segment of path) {
    at = typeof segment === 'number' ? listItemOf(at) : objectShapeOf(at)?.[segment as string];
    if (!at) return [];
  }
  return Object.keys(objectShapeOf(at) ?? {});
}

/** The known key a typo most likely meant, if any is within two edits. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
