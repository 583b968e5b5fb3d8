import type { KubeSim } from '../sim/kube/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import type { KubeObject } from '../sim/kube/store-contract.js';

/**
 * Adds Deployment demo/`app` whose one pod runs but never passes its readiness probe (Running 0/1): the pod a debug
 * container is offered for. Returns the pod's name.
 */
export function addNotReadyWorkload(
  kube: KubeSim,
  app: string,
  logs = ['quotes v0.9 listening on :8080', 'upstream pricing-api: 500'],
): string {
  kube.kubelet.addRule({ image: 'ghcr.io/acme/quotes', behaviour: { kind: 'failReadiness', logs } });
  const w = buildWorkload({
    namespace: 'demo',
    app,
    createdAt: new Date(kube.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    spec: {
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/quotes:0.9.0',
          command: ['/quotes', '--listen=:8080'],
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    },
  });
  kube.store.create('deployments', w.deployment);
  kube.store.create('replicasets', w.replicaSet);
  kube.store.create('pods', w.pod as KubeObject);
  return w.pod.metadata.name as string;
}
