import type { KubeSim } from '../sim/kube/index.js';
import type { KubeBackend } from './kube-backend.js';
import { type AdminApi, collectionPathOf, type KubeJson } from './real-cluster/index.js';

/** What a test may read of the cluster whichever backend runs it (the simulator's store, or the real API server). */
export interface TestCluster {
  backend: KubeBackend;
  /** Objects of a resource (`pods`, `services`, `events`…) in a namespace, as the API server has them now. */
  list(resource: string, namespace: string): Promise<KubeJson[]>;
}

export function simulatorCluster(kube: KubeSim): TestCluster {
  return { backend: 'sim', list: async (resource, namespace) => kube.store.list(resource, namespace) };
}

export function realCluster(api: AdminApi): TestCluster {
  return { backend: 'real', list: (resource, namespace) => api.list(collectionPathOf(resource, namespace)) };
}
