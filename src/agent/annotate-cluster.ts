import { CLUSTER_ANNOTATION } from '../debugpods/index.js';
import type { KubeClient } from '../kube/index.js';

/**
 * The agent's KubeClient: every pod it creates carries `debugdead.io/cluster`, so a debug pod names its cluster to
 * whoever finds it with kubectl, whatever kind of pod the job built.
 */
export function annotateCluster(kube: KubeClient, cluster: string): KubeClient {
  return new Proxy(kube, {
    get(target, prop, receiver) {
      if (prop !== 'createPod') return Reflect.get(target, prop, receiver);
      return (namespace: string, pod: Parameters<KubeClient['createPod']>[1]) =>
        target.createPod(namespace, {
          ...pod,
          metadata: {
            ...pod.metadata,
            annotations: { ...pod.metadata?.annotations, [CLUSTER_ANNOTATION]: cluster },
          },
        });
    },
  });
}
