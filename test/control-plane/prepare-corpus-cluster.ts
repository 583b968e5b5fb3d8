import * as k8s from '@kubernetes/client-node';
import { CORPUS_PRIORITY_CLASS, CORPUS_RUNTIME_CLASS, REFUSED, SHAPES } from '../debugpods/clone-corpus.js';

/** The clients the corpus tests use, for a kubeconfig file (the real control plane's or the simulator's). */
export function corpusClients(kubeconfig: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    scheduling: kc.makeApiClient(k8s.SchedulingV1Api),
    node: kc.makeApiClient(k8s.NodeV1Api),
  };
}
export type CorpusClients = ReturnType<typeof corpusClients>;

/**
 * What the corpus pods need in a cluster before they can be created: their PriorityClass and RuntimeClass, their
 * namespaces (and `extra` ones) and ServiceAccounts. With `waitForDefaultSa`, waits until the controller manager
 * has made each namespace's `default` ServiceAccount (the real API server refuses pods before that).
 */
export async function prepareCorpusCluster(c: CorpusClients, waitForDefaultSa: boolean, extra: string[] = []) {
  await c.scheduling.createPriorityClass({ body: CORPUS_PRIORITY_CLASS });
  await c.node.createRuntimeClass({ body: CORPUS_RUNTIME_CLASS });
  const shapes = [...SHAPES, ...REFUSED];
  const namespaces = new Set([...extra, ...shapes.map((s) => s.source().metadata!.namespace ?? 'default')]);
  for (const ns of namespaces)
    await c.core.createNamespace({ body: { metadata: { name: ns } } }).catch(() => undefined);
  for (const s of shapes) {
    const sa = s.source().spec?.serviceAccountName;
    if (sa)
      await c.core
        .createNamespacedServiceAccount({
          namespace: s.source().metadata!.namespace!,
          body: { metadata: { name: sa } },
        })
        .catch(() => undefined);
  }
  for (const ns of namespaces) {
    for (let i = 0; waitForDefaultSa && i < 240; i++) {
      const ok = await c.core.readNamespacedServiceAccount({ namespace: ns, name: 'default' }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
