import { readFile, writeFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import type { KubeSim } from '../sim/kube/index.js';
import type { ContainerRule } from '../sim/kube/kubelet/behaviour.js';
import type { KubeObject } from '../sim/kube/store-contract.js';
import type { KubeBackend } from './kube-backend.js';
import type { AdminApi, KubeJson, RealClusterInfo } from './real-cluster/admin-api.js';
import { asUserCreates, collectionPathOf } from './real-cluster/as-user-creates.js';

/** What a test may read of the cluster whichever backend runs it (the simulator's store, or the real API server). */
export interface TestCluster {
  backend: KubeBackend;
  /** Objects of a resource (`pods`, `services`, `events`…) in a namespace, as the API server has them now. */
  list(resource: string, namespace: string): Promise<KubeJson[]>;
  /**
   * Writes a kubeconfig for a person's kubectl (a cluster admin), reaching the API server the way the bot does
   * (through the same injected latency), with `namespace` as the context's default.
   */
  writeKubeconfig(path: string, options?: { namespace?: string }): Promise<void>;
  /**
   * Creates an object as a user would (kubectl create, as the admin): on the real API server what the server assigns
   * and owner references are dropped first (see asUserCreates), and admission and validation apply. Returns it as
   * stored.
   */
  create(resource: string, object: KubeJson): Promise<KubeJson>;
  /** Adds a container behaviour rule to the kubelet, for containers it starts from now on. */
  addKubeletRule(rule: ContainerRule): Promise<void>;
}

/** Who a person's kubectl is on the simulator: the admin, as on the real backend, never the bot. */
const PERSON = 'kubernetes-admin';

export function simulatorCluster(kube: KubeSim): TestCluster {
  return {
    backend: 'sim',
    list: async (resource, namespace) => kube.store.list(resource, namespace),
    writeKubeconfig: (path, options) => kube.writeKubeconfig(path, { ...options, user: PERSON }),
    create: async (resource, object) => kube.store.create(resource, object as KubeObject),
    addKubeletRule: async (rule) => kube.kubelet.addRule(rule),
  };
}

/** The real API server, read as its admin; kubeconfigs point at `server` (the latency proxy, when there is one). */
export function realCluster(
  api: AdminApi,
  info: RealClusterInfo,
  server: string,
  addKubeletRule: (rule: ContainerRule) => Promise<void>,
): TestCluster {
  return {
    backend: 'real',
    list: (resource, namespace) => api.list(collectionPathOf(resource, namespace)),
    async writeKubeconfig(path, options = {}) {
      const config = yaml.load(await readFile(info.adminKubeconfig, 'utf8')) as KubeJson;
      for (const c of config.clusters) c.cluster.server = server;
      for (const c of config.contexts) c.context.namespace = options.namespace ?? 'default';
      await writeFile(path, yaml.dump(config), { mode: 0o600 });
    },
    create: (resource, object) =>
      api.call('POST', collectionPathOf(resource, object.metadata?.namespace), asUserCreates(resource, object)),
    addKubeletRule,
  };
}
