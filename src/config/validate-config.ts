import type { z } from 'zod';
import { formatConfigIssues } from './format-config-issues.js';
import { CONFIG_SCHEMA } from './schema.js';

/** What debugdead.yaml holds once validated: defaults filled, durations as `…Seconds`. */
export type FileConfig = z.output<typeof CONFIG_SCHEMA>;

export type ValidationResult = { ok: true; value: FileConfig } | { ok: false; errors: string[] };

/**
 * Checks a parsed YAML document against CONFIG_SCHEMA and fills defaults. Reports every problem at once, each
 * prefixed with its key path, and rejects unknown keys (they are almost always typos).
 */
export function validateConfigTree(raw: unknown): ValidationResult {
  const document = raw ?? {};
  const parsed = CONFIG_SCHEMA.safeParse(document);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = formatConfigIssues(parsed.error.issues, CONFIG_SCHEMA);
  // zod checks rules across keys only once every key is valid. To report those too, at once, check them again on the
  // document without the keys at fault (their defaults stand in, as for a key left out).
  const repaired = CONFIG_SCHEMA.safeParse(withoutFaults(document, parsed.error.issues));
  if (!repaired.success) {
    for (const e of formatConfigIssues(repaired.error.issues, CONFIG_SCHEMA)) if (!errors.includes(e)) errors.push(e);
  }
  return { ok: false, errors };
}

/** A copy of `doc` without the values the issues point at (and without unknown keys). */
function withoutFaults(doc: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(doc);
  for (const issue of issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of paths) {
      if (path.length === 0) return {};
      let parent: unknown = copy;
      for (const segment of path.slice(0, -1)) {
        parent = parent && typeof parent === 'object' ? (parent as Record<PropertyKey, unknown>)[segment] : undefined;
      }
      if (Array.isArray(parent)) parent[path.at(-1) as number] = REMOVED;
      else if (parent && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[path.at(-1)!];
    }
  }
  return dropRemoved(copy);
}

const REMOVED = Symbol('removed');

function dropRemoved(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((item) => item !== REMOVED).map(dropRemoved);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dropRemoved(x)]));
  return v;
}
