import { createHash } from 'node:crypto';
import { isoSeconds } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { buildNamespace, buildNode, defaultPodSpec, safeSuffix } from './build-objects.js';
import type { ScenarioContext } from './scenario-context.js';
import { createOrKeep } from './scenario-context.js';

/** Options of {@link fillPods}. */
export interface FillOptions {
  /** Pods per namespace (`scale-0`, `scale-1`, ...). @defaultValue 1000 */
  perNamespace?: number;
  /** Pods per node (`scale-node-1`, ...). @defaultValue 250 */
  perNode?: number;
}

/**
 * Fills the cluster with `count` healthy, already Running pods spread over namespaces and nodes, for 50,000-pod
 * benches. They are written with their final status (no scheduling, no events, no timers), which the kubelet
 * adopts as is; their logs still come from the rules.
 */
export function fillPods(ctx: ScenarioContext, count: number, opts: FillOptions = {}): void {
  const { store, clock } = ctx;
  const perNs = opts.perNamespace ?? 1000;
  const perNode = opts.perNode ?? 250;
  const nodes = Math.max(1, Math.ceil(count / perNode));
  for (let i = 1; i <= nodes; i++) {
    createOrKeep(
      store,
      'nodes',
      buildNode(`scale-node-${i}`, { index: 100 + (i % 150), pods: String(perNode + 10), cpu: '64', memory: '256Gi' }),
    );
  }
  const namespaces = Math.max(1, Math.ceil(count / perNs));
  for (let n = 0; n < namespaces; n++) createOrKeep(store, 'namespaces', buildNamespace(`scale-${n}`));
  const t = isoSeconds(clock.now());
  const spec = defaultPodSpec({
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/catalog:1.0.4',
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
      },
    ],
  });
  const hash = safeSuffix('scale', 10);
  for (let i = 0; i < count; i++) {
    const ns = `scale-${Math.floor(i / perNs)}`;
    const node = `scale-node-${1 + Math.floor(i / perNode)}`;
    const name = `app-${hash}-${safeSuffix(String(i), 5)}${i}`;
    const id = createHash('sha1').update(name).digest('hex');
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        labels: { app: 'app', 'pod-template-hash': hash },
        creationTimestamp: t,
      },
      spec: { ...spec, nodeName: node },
      status: {
        phase: 'Running',
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
          (type) => ({
            type,
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: t,
          }),
        ),
        hostIP: `10.0.1.${10 + (i % 200)}`,
        podIP: `10.${100 + (Math.floor(i / 65_000) % 100)}.${Math.floor(i / 254) % 255}.${1 + (i % 254)}`,
        startTime: t,
        containerStatuses: [
          {
            name: 'app',
            state: { running: { startedAt: t } },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: 'ghcr.io/acme/catalog:1.0.4',
            imageID: 'ghcr.io/acme/catalog@sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
            containerID: `containerd://${id}${id.slice(0, 24)}`,
            started: true,
          },
        ],
        qosClass: 'Burstable',
      },
    };
    pod.status.hostIPs = [{ ip: pod.status.hostIP }];
    pod.status.podIPs = [{ ip: pod.status.podIP }];
    store.create('pods', pod);
  }
}
