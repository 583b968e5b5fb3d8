import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/** One Kubernetes object of the rendered install. */
export type Manifest = Record<string, any>;

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `kubectl kustomize <dir>` (a path relative to the repository), parsed: exactly what `kubectl apply -k` sends. */
export function renderKustomization(dir: string): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { cwd: REPO_ROOT, encoding: 'utf8' });
  return (yaml.loadAll(out) as Manifest[]).filter(Boolean);
}

/** A rendered object by kind and name. */
export function findManifest(all: Manifest[], kind: string, name: string, namespace?: string): Manifest {
  const found = all.find(
    (m) =>
      m.kind === kind && m.metadata?.name === name && (namespace === undefined || m.metadata?.namespace === namespace),
  );
  if (!found) throw new Error(`no ${kind} ${namespace ? `${namespace}/` : ''}${name} in the rendered install`);
  return found;
}
