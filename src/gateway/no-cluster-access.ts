import { type KubeClient, KubeError } from '../kube/index.js';

/**
 * The gateway's KubeClient: it holds no cluster credentials, so every call fails with a sentence instead of reaching
 * an API server. Anything that should go to a cluster's agent and does not is caught here, loudly.
 */
export function noClusterAccess(): KubeClient {
  const refuse = () =>
    Promise.reject(
      new KubeError(
        'Forbidden',
        undefined,
        'the gateway holds no cluster credentials: this is done by the agent in the cluster',
      ),
    );
  return new Proxy({} as KubeClient, {
    get(_, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'observe') return () => () => {};
      if (prop === 'withTimeout') return () => noClusterAccess();
      if (prop === 'clusterName' || prop === 'server') return 'none (gateway)';
      if (prop === 'timeoutMs') return 0;
      return refuse;
    },
  });
}
