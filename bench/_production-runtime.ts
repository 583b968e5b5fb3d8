/**
 * The Node and glibc settings production runs the bot with, read from the shipped Deployment
 * (deploy/base/deployment.yaml), so a benchmark measures memory as the pod would have it: the heap caps in
 * NODE_OPTIONS, and the malloc tuning that hands freed memory back to the OS.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

/** The variables that shape a Node process's memory; others (Redis address, config path) are the pod's business. */
const RUNTIME_VARIABLES = /^(NODE_OPTIONS|MALLOC_[A-Z_]+)$/;

interface EnvEntry {
  name?: unknown;
  value?: unknown;
}

/** The runtime variables of the `debugdead` container of every Deployment in a manifest file. */
export function readRuntimeEnv(path: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const doc of yaml.loadAll(readFileSync(path, 'utf8')) as { kind?: string; spec?: any }[]) {
    if (doc?.kind !== 'Deployment') continue;
    const containers: { name?: string; env?: EnvEntry[] }[] = doc.spec?.template?.spec?.containers ?? [];
    for (const c of containers.filter((c) => c.name === 'debugdead')) {
      const env: Record<string, string> = {};
      for (const e of c.env ?? [])
        if (typeof e.name === 'string' && RUNTIME_VARIABLES.test(e.name) && typeof e.value === 'string')
          env[e.name] = e.value;
      out.push(env);
    }
  }
  return out;
}

/** The bot's runtime variables as the shipped Deployment sets them. */
export function productionRuntimeEnv(root: string): Record<string, string> {
  const [env] = readRuntimeEnv(`${root}deploy/base/deployment.yaml`);
  if (!env?.NODE_OPTIONS) throw new Error('deploy/base/deployment.yaml: no NODE_OPTIONS on the debugdead container');
  return env;
}
