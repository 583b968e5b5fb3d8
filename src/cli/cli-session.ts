import { type Config, ConfigError, loadConfig } from '../config/index.js';
import {
  createKubeClient,
  isKubeError,
  type KubeClient,
  type LoadKubeConfigOptions,
  loadKubeConfigWithSource,
} from '../kube/index.js';

/** The `--kubeconfig` / `--context` flags; each wins over the config file's `kubernetes.*` key. */
export interface CliKubeOptions {
  kubeconfigPath?: string;
  context?: string;
}

/** What a CLI command works with: the same configuration and Kubernetes client the bot would build. */
export interface CliSession {
  config: Config;
  kube: KubeClient;
  /** The kubeconfig context's namespace, else `default`, as kubectl chooses when `-n` is absent. */
  contextNamespace: string;
}

/**
 * Loads debugdead.yaml (DEBUGDEAD_CONFIG, or ./debugdead.yaml when present; defaults otherwise) and the kubeconfig,
 * and builds the client with the config's per-call deadline. Returns the sentence to print instead of throwing: a
 * broken config file or a missing kubeconfig is the person's to fix, not a crash.
 */
export function openCliSession(
  flags: CliKubeOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { ok: true; session: CliSession } | { ok: false; message: string } {
  let config: Config;
  try {
    config = loadConfig(env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, message: e.message };
    throw e;
  }
  // src/config copies KUBECONFIG into kubernetes.kubeconfig, but KUBECONFIG may be a list (`a:b`, merged as kubectl
  // does): leave that to client-node's default loading, and pass only a path the config file itself set.
  const configured = config.kubernetes.kubeconfig;
  const kubeconfigPath = flags.kubeconfigPath ?? (configured && configured !== env.KUBECONFIG ? configured : undefined);
  const context = flags.context ?? config.kubernetes.context;
  const opts: LoadKubeConfigOptions = {
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    ...(context ? { context } : {}),
  };
  try {
    const { kubeConfig } = loadKubeConfigWithSource(opts);
    const kube = createKubeClient(kubeConfig, { timeoutMs: config.kubernetes.requestTimeoutSeconds * 1000 });
    const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace || 'default';
    return { ok: true, session: { config, kube, contextNamespace } };
  } catch (e) {
    if (isKubeError(e)) return { ok: false, message: e.message };
    throw e;
  }
}
