import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { runKubectl } from '../../control-plane/run-kubectl.js';
import { type Manifest, REPO_ROOT, renderKustomization } from '../render-deploy.js';
import type { RealClusterInfo } from './admin-api.js';

/** The bot's identity as deploy/ ships it. */
export const BOT_SERVICE_ACCOUNT = { namespace: 'debugdead-system', name: 'debugdead' } as const;

/** The kinds of the install that decide what the bot may do, and where. */
const ACCESS_KINDS = new Set([
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
]);

/**
 * Applies the shipped install's namespaces (with their Pod Security labels), the bot's ServiceAccount and its RBAC,
 * exactly as `kubectl apply -k deploy/overlays/example` would, with the real kubectl. The bot's Deployment and
 * Redis are left out: the tests run the bot in-process. Namespaces the RoleBindings grant in but the install does not
 * create (the workloads' own, `demo`) are created first. Returns the applied objects.
 */
export async function installAccess(info: RealClusterInfo): Promise<Manifest[]> {
  const install = existsSync(join(REPO_ROOT, 'deploy/overlays/example')) ? 'deploy/overlays/example' : 'deploy/base';
  const access = renderKustomization(install).filter((m) => ACCESS_KINDS.has(m.kind));
  const defined = new Set(access.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name));
  const referenced = new Set(access.map((m) => m.metadata?.namespace).filter((n): n is string => !!n));
  for (const namespace of [...referenced].filter((n) => !defined.has(n))) {
    const res = await runKubectl(info.adminKubeconfig, ['create', 'namespace', namespace]);
    if (res.code !== 0 && !res.stderr.includes('AlreadyExists')) throw new Error(res.stderr);
  }
  const applied = await runKubectl(
    info.adminKubeconfig,
    ['apply', '-f', '-'],
    access.map((m) => yaml.dump(m)).join('---\n'),
  );
  if (applied.code !== 0) throw new Error(`kubectl apply of ${install}'s access objects: ${applied.stderr}`);
  return access;
}
