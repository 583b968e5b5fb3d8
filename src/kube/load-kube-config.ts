import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './errors.js';

export interface LoadKubeConfigOptions {
  /** An explicit kubeconfig file (config `kubernetes.kubeconfig`, CLI `--kubeconfig`). @defaultValue KUBECONFIG, then ~/.kube/config, then in-cluster */
  kubeconfigPath?: string;
  /** A context other than the file's current-context (config `kubernetes.context`). */
  context?: string;
}

/** Where a configuration was found, for the start-up log line. */
export type KubeConfigSource = 'file' | 'KUBECONFIG' | 'home' | 'in-cluster';

// client-node config.js: with no KUBECONFIG, no ~/.kube/config and no ServiceAccount token, loadFromDefault() loads
// this cluster/context pair instead of failing, and every call then fails with ECONNREFUSED on localhost:8080.
const FALLBACK_SERVER = 'http://localhost:8080';
const FALLBACK_CONTEXT = 'loaded-context';

/**
 * Loads the kubeconfig the bot will use: the explicit path, else what client-node's default search finds
 * (KUBECONFIG, ~/.kube/config, the in-cluster ServiceAccount). Throws a KubeError that says what to configure,
 * instead of client-node's silent fallback to http://localhost:8080.
 */
export function loadKubeConfig(opts: LoadKubeConfigOptions = {}): KubeConfig {
  return loadKubeConfigWithSource(opts).kubeConfig;
}

/** As `loadKubeConfig`, also saying where the configuration came from. */
export function loadKubeConfigWithSource(opts: LoadKubeConfigOptions = {}): {
  kubeConfig: KubeConfig;
  source: KubeConfigSource;
} {
  const kc = new KubeConfig();
  let source: KubeConfigSource;
  if (opts.kubeconfigPath) {
    if (!existsSync(opts.kubeconfigPath)) {
      throw new KubeError(
        'Unavailable',
        undefined,
        `kubeconfig ${opts.kubeconfigPath} does not exist (set by kubernetes.kubeconfig or --kubeconfig)`,
      );
    }
    guard(opts.kubeconfigPath, () => kc.loadFromFile(opts.kubeconfigPath as string));
    source = 'file';
  } else {
    const env = process.env.KUBECONFIG;
    guard(env ? `KUBECONFIG=${env}` : '~/.kube/config', () => kc.loadFromDefault());
    source = env ? 'KUBECONFIG' : kc.getCurrentContext() === 'inClusterContext' ? 'in-cluster' : 'home';
    if (kc.getCurrentContext() === FALLBACK_CONTEXT && kc.getCurrentCluster()?.server === FALLBACK_SERVER) {
      throw new KubeError(
        'Unavailable',
        undefined,
        'no Kubernetes configuration found: set kubernetes.kubeconfig in the config file, the KUBECONFIG environment ' +
          'variable or --kubeconfig, create ~/.kube/config, or run in a pod with a ServiceAccount token',
      );
    }
    const server = kc.getCurrentCluster()?.server ?? '';
    if (source === 'in-cluster' && server.includes('undefined')) {
      throw new KubeError(
        'Unavailable',
        undefined,
        'a ServiceAccount token is mounted but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set',
      );
    }
  }
  const where = opts.kubeconfigPath ?? process.env.KUBECONFIG ?? 'the kubeconfig';
  if (opts.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(opts.context)) {
      throw new KubeError(
        'Invalid',
        undefined,
        `context "${opts.context}" is not in ${where} (kubernetes.context); it has: ${names.join(', ') || 'none'}`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new KubeError(
      'Invalid',
      undefined,
      `${where} has no usable current context: set current-context in it, or kubernetes.context in the config`,
    );
  }
  // client-node 2.x refuses every request to an http: server unless the cluster entry skips TLS verification
  // ("HTTP protocol is not allowed when skipTLSVerify is not set or false"): say so at start-up, not per call.
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new KubeError(
      'Invalid',
      undefined,
      `cluster "${cluster.name}" in ${where} uses plain ${cluster.server}: add insecure-skip-tls-verify: true to its ` +
        'cluster entry (client-node refuses plain http otherwise), or use an https:// server',
    );
  }
  return { kubeConfig: kc, source };
}

function guard(what: string, load: () => void): void {
  try {
    load();
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n', 1)[0] ?? '') : String(e);
    throw new KubeError('Invalid', undefined, `cannot load kubeconfig from ${what}: ${reason}`, e);
  }
}
