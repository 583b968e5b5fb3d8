import { type ClientTls, requestUrl } from '../../control-plane/request-url.js';

/** How to reach a running real control plane as its admin (passed from vitest's global setup to the test files). */
export interface RealClusterInfo {
  /** https://127.0.0.1:<port> */
  server: string;
  /** The API server's CA and the admin's client certificate (user kubernetes-admin, group system:masters), PEM. */
  tls: Required<Pick<ClientTls, 'ca' | 'cert' | 'key'>>;
  /** The admin kubeconfig, for kubectl. */
  adminKubeconfig: string;
  /** Where test files add container rules to the run's virtual kubelet (serveKubeletRules), when it runs elsewhere. */
  kubeletRulesUrl?: string;
}

/** A Kubernetes object as JSON. */
export type KubeJson = Record<string, any>;

/** The admin's side door into the real API server: what the tests read and set up, never what the bot uses. */
export interface AdminApi {
  /** One request; throws with the API server's Status on any status not in `ok` (2xx always is). */
  call(method: string, path: string, body?: unknown, options?: { ok?: number[]; contentType?: string }): Promise<any>;
  /** The items of a list. */
  list(path: string): Promise<KubeJson[]>;
}

export function createAdminApi(info: RealClusterInfo): AdminApi {
  const call: AdminApi['call'] = async (method, path, body, options = {}) => {
    const res = await requestUrl(method, `${info.server}${path}`, {
      tls: info.tls,
      body,
      timeoutMs: 15_000,
      ...(options.contentType ? { contentType: options.contentType } : {}),
    });
    const ok = (res.status >= 200 && res.status < 300) || (options.ok ?? []).includes(res.status);
    if (!ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body.slice(0, 500)}`);
    return res.body ? JSON.parse(res.body) : undefined;
  };
  return {
    call,
    list: async (path) => (await call('GET', path)).items ?? [],
  };
}
