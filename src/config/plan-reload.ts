import type { Config } from './types.js';

/**
 * Config paths a running bot reads at each use, so a reload (SIGHUP) applies them at once. Every other key is read
 * once at start (connections, the alert watch, the HTTP ports, captured limits) and needs a restart. The README's
 * "Operating it" lists the same keys.
 */
export const LIVE_KEYS: readonly string[] = [
  'approvers',
  'bindings',
  'namespaces',
  'limits',
  'logs',
  'debugClone',
  'debugContainer',
  'nodeShell.approvers',
  'nodeShell.twoPersonRule',
  'nodeShell.image',
  'nodeShell.defaultTtlSeconds',
  'nodeShell.maxTtlSeconds',
  'nodeShell.mountHostRoot',
  'approvals.requestTtlSeconds',
  'approvals.grantTtlSeconds',
  'audit.viewers',
  'mute.approvers',
  'log.level',
];

/** What a reload changes: keys applied now, and changed keys that wait for a restart (names only, never values). */
export interface ReloadPlan {
  live: string[];
  restart: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf path whose value differs (arrays compared whole). */
function changedPaths(a: unknown, b: unknown, prefix: string): string[] {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

const liveRoot = (path: string): string | undefined =>
  LIVE_KEYS.find((key) => path === key || path.startsWith(`${key}.`));

/** Compares the running configuration with the reloaded one (pure). */
export function planReload(running: Config, next: Config): ReloadPlan {
  const live = new Set<string>();
  const restart: string[] = [];
  for (const path of changedPaths(running, next, '')) {
    const root = liveRoot(path);
    if (root) live.add(root);
    else restart.push(path);
  }
  return { live: [...live], restart };
}

/**
 * Writes the live keys of `next` into `running`, in place: the objects the bot holds (its `Config`, and parts of it
 * captured at start such as `limits`) see the new values at their next read.
 */
export function applyReload(running: Config, next: Config, live: readonly string[]): void {
  for (const path of live) {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let target = running as unknown as Record<string, unknown>;
    let source = next as unknown as Record<string, unknown>;
    for (const p of parts) {
      target = target[p] as Record<string, unknown>;
      source = source[p] as Record<string, unknown>;
    }
    const from = target[last];
    const to = source[last];
    if (isPlainObject(from) && isPlainObject(to)) {
      for (const k of Object.keys(from)) if (!(k in to)) delete from[k];
      Object.assign(from, structuredClone(to));
    } else {
      target[last] = structuredClone(to);
    }
  }
}
