// Helpers for the alert tests and bench: pods written straight into the simulated cluster with the status we want.
import type { KubeSim } from '../sim/kube/index.js';
import { buildNode } from '../sim/kube/scenarios/build-objects.js';

export type PodState = 'ready' | 'crash' | 'starting';

const HASH = '5f7c9d8b6';

/** Pod name `<deployment>-<hash>-<i>`, owned by ReplicaSet `<deployment>-<hash>` as the Deployment controller does. */
export const podName = (deployment: string, i: number): string => `${deployment}-${HASH}-p${i}`;

/** Makes sure a node exists for the pods to sit on (the kubelet accounts pods against it). */
export function ensureNode(sim: KubeSim): void {
  if (!sim.store.get('nodes', undefined, 'alert-node-1')) {
    sim.store.create('nodes', buildNode('alert-node-1', { index: 201, pods: '100000', cpu: '512', memory: '2048Gi' }));
  }
}

function status(state: PodState, now: string): Record<string, unknown> {
  const ready = state === 'ready';
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
    startTime: now,
    containerStatuses: [
      {
        name: 'app',
        image: 'ghcr.io/acme/web:1.0.0',
        imageID: '',
        ready,
        started: ready,
        restartCount: state === 'crash' ? 5 : 0,
        state:
          state === 'crash'
            ? { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } }
            : state === 'ready'
              ? { running: { startedAt: now } }
              : { waiting: { reason: 'ContainerCreating' } },
        lastState: state === 'crash' ? { terminated: { reason: 'Error', exitCode: 1 } } : {},
      },
    ],
  };
}

/** Creates one pod of a Deployment in `state`, written with its final status (the kubelet adopts it as is). */
export function createPod(
  sim: KubeSim,
  ns: string,
  deployment: string,
  i: number,
  state: PodState,
  extraLabels: Record<string, string> = {},
): void {
  const now = new Date(sim.clock.now()).toISOString();
  sim.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(deployment, i),
      namespace: ns,
      labels: { app: deployment, 'pod-template-hash': HASH, ...extraLabels },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${deployment}-${HASH}`,
          uid: `rs-${deployment}`,
          controller: true,
        },
      ],
    },
    spec: { nodeName: 'alert-node-1', containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.0.0' }] },
    status: status(state, now),
  });
}

/** Rewrites a pod's status as the kubelet would on a transition. */
export function setPodState(sim: KubeSim, ns: string, name: string, state: PodState): void {
  const pod = sim.store.get('pods', ns, name);
  if (!pod) throw new Error(`no pod ${ns}/${name}`);
  pod.status = status(state, new Date(sim.clock.now()).toISOString());
  sim.store.update('pods', pod);
}

export function deletePod(sim: KubeSim, ns: string, name: string): void {
  sim.store.remove('pods', ns, name);
}
