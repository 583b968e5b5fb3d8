import { writeFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import type { AdminApi, RealClusterInfo } from './admin-api.js';
import { BOT_SERVICE_ACCOUNT } from './install-access.js';

/** What one bot of one test gets from the shared real cluster. */
export interface BotAccessOptions {
  /** Where to write the bot's kubeconfig. */
  kubeconfigPath: string;
  /** Pod Security level to enforce on the node-shell namespace. @defaultValue 'privileged' (deploy/base/namespaces.yaml) */
  nodeShellNamespaceLevel?: 'privileged' | 'baseline' | 'restricted';
  /** @defaultValue 'debugdead-nodeshell' */
  nodeShellNamespace?: string;
  /** The token's lifetime. @defaultValue 3600 (the API server's minimum is 600) */
  tokenSeconds?: number;
  /** The scenario's pods, by namespace: any other pod there was made by an earlier test and is deleted. */
  scenarioPods?: Record<string, readonly string[]>;
}

/**
 * Readies the shared cluster for a new bot and gives it the deployed identity:
 * - what earlier tests left is removed: the bots' debug pods (label debugdead.io/managed=true), pods the tests
 *   created beside the scenario's (both deleted with grace 0, so none lingers while the kubelet finishes it) and
 *   the alert watcher's Lease, which a stopped bot would otherwise hold until it expires;
 * - the node-shell namespace's Pod Security label is set to the level the test asks for;
 * - a token for the ServiceAccount of deploy/ is requested through the TokenRequest API (what the kubelet mounts
 *   into the bot's pod), and a kubeconfig carrying only that token is written: every call the bot makes is then
 *   authenticated as the ServiceAccount and authorised by the API server's RBAC.
 */
export async function prepareBotAccess(api: AdminApi, info: RealClusterInfo, options: BotAccessOptions): Promise<void> {
  const managed = await api.list('/api/v1/pods?labelSelector=debugdead.io%2Fmanaged%3Dtrue');
  for (const [namespace, keep] of Object.entries(options.scenarioPods ?? {})) {
    const pods = await api.list(`/api/v1/namespaces/${namespace}/pods`);
    managed.push(
      ...pods.filter((p) => !keep.includes(p.metadata.name) && !managed.some((m) => m.metadata.uid === p.metadata.uid)),
    );
  }
  await Promise.all(
    managed.map((p) =>
      api.call(
        'DELETE',
        `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`,
        {
          gracePeriodSeconds: 0,
        },
        { ok: [404] },
      ),
    ),
  );
  for (const lease of await api.list(
    `/apis/coordination.k8s.io/v1/namespaces/${BOT_SERVICE_ACCOUNT.namespace}/leases`,
  )) {
    await api.call(
      'DELETE',
      `/apis/coordination.k8s.io/v1/namespaces/${BOT_SERVICE_ACCOUNT.namespace}/leases/${lease.metadata.name}`,
      undefined,
      { ok: [404] },
    );
  }
  await api.call(
    'PATCH',
    `/api/v1/namespaces/${options.nodeShellNamespace ?? 'debugdead-nodeshell'}`,
    { metadata: { labels: { 'pod-security.kubernetes.io/enforce': options.nodeShellNamespaceLevel ?? 'privileged' } } },
    { contentType: 'application/merge-patch+json' },
  );

  const { namespace, name } = BOT_SERVICE_ACCOUNT;
  const granted = await api.call('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: options.tokenSeconds ?? 3600 },
  });
  await writeFile(options.kubeconfigPath, buildTokenKubeconfig(info, granted.status.token), { mode: 0o600 });
}

/** A kubeconfig that authenticates with a bearer token only (pure). */
export function buildTokenKubeconfig(info: Pick<RealClusterInfo, 'server' | 'tls'>, token: string): string {
  const user = `system:serviceaccount:${BOT_SERVICE_ACCOUNT.namespace}:${BOT_SERVICE_ACCOUNT.name}`;
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'real',
        cluster: { server: info.server, 'certificate-authority-data': Buffer.from(info.tls.ca).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'real', context: { cluster: 'real', user, namespace: 'demo' } }],
    'current-context': 'real',
  });
}
