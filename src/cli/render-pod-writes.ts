import yaml from 'js-yaml';
import type { Config } from '../config/index.js';

export type PodWritesResult = { ok: true; yaml: string } | { ok: false; problems: string[] };

/** The ServiceAccount deploy/base/rbac.yaml creates for the bot. */
const BOT_SUBJECT = { kind: 'ServiceAccount', name: 'debugdead', namespace: 'debugdead-system' };

/**
 * Pure: the RoleBindings that let the bot create, patch and delete pods in exactly the namespaces of
 * `namespaces.allow` (deploy/components/pod-writes binds the node-shell namespace itself), and, with
 * debugContainer.enabled, add debug containers there (pods/ephemeralcontainers), never in the node-shell namespace.
 * RBAC binds namespaces by name, so a glob in the list is refused with the names to write instead.
 */
export function renderPodWrites(config: Config): PodWritesResult {
  const globs = config.namespaces.allow.filter((n) => /[*?]/.test(n));
  if (globs.length) {
    return {
      ok: false,
      problems: globs.map(
        (g) =>
          `namespaces.allow: ${JSON.stringify(g)} is a pattern, and a RoleBinding names one namespace: list the namespaces it should match instead`,
      ),
    };
  }
  const names = config.namespaces.allow.filter((n) => n !== config.nodeShell.namespace);
  const roles = ['debugdead-pod-writer', ...(config.debugContainer.enabled ? ['debugdead-debug-containers'] : [])];
  const docs = names.flatMap((namespace) =>
    roles.map((role) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: role, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [BOT_SUBJECT],
    })),
  );
  const header =
    "# RoleBindings per namespace of debugdead.yaml's namespaces.allow (written by `debugdead pod-writes`):\n" +
    `# the bot may create, patch and delete pods there and nowhere else${config.debugContainer.enabled ? ', and add debug containers to them' : ''}.\n`;
  return { ok: true, yaml: header + docs.map((d) => yaml.dump(d, { lineWidth: 120 })).join('---\n') };
}
