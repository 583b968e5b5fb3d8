/**
 * Small builders for the real-world corpus: each case transcribes a public failure report (its pod state, events and
 * logs, with the kubelet's own wording) into the DiagnosisFacts the gatherer would hand over.
 */
import type { DiagnosisFacts, FindingKind } from '../../../src/diagnosis/types.js';
import type { Container, ContainerStatus, KubeEvent } from '../../../src/kube/types.js';
import {
  ago,
  container,
  crashLooping,
  event,
  facts,
  logs,
  NS,
  type PodOptions,
  pod,
  running,
  type Termination,
  terminated,
  waiting,
} from '../fixtures.js';

/** One corpus case: where it comes from, the facts, the cause a diagnosis must find and the words it must say. */
export interface RealWorldCase {
  id: string;
  /** The public report (issue, pull request, documentation) the facts were transcribed from. */
  source: string;
  /** The class the case pins (hook, volume, dns…), for the score table. */
  family: string;
  facts: DiagnosisFacts;
  /** The kind of the top finding. */
  cause: FindingKind;
  /** Words the headline (verdict and top finding summary) must contain, case-insensitive. */
  headline: string[];
}

export type { Container, ContainerStatus, KubeEvent, PodOptions, Termination };
export { ago, container, crashLooping, logs, NS, pod, running, terminated, waiting };

/** A kubelet event on one container (fieldPath set), or on the pod. */
export function ev(
  reason: string,
  message: string,
  o: {
    type?: string;
    count?: number;
    age?: number;
    container?: string;
    init?: boolean;
    from?: string;
    pod?: string;
  } = {},
): KubeEvent {
  return event(
    o.type ??
      (/^(Scheduled|Pulling|Pulled|Created|Started|Killing|SandboxChanged)$/.test(reason) ? 'Normal' : 'Warning'),
    reason,
    message,
    {
      count: o.count ?? 1,
      ageSeconds: o.age ?? 10,
      ...(o.container ? { fieldPath: `spec.${o.init ? 'initContainers' : 'containers'}{${o.container}}` } : {}),
      component: o.from ?? 'kubelet',
      podName: o.pod ?? 'pod',
    },
  );
}

/** A single-container Deployment pod crash-looping with `last`, its previous log `log`. */
export function crashCase(o: {
  name: string;
  image: string;
  last: Termination;
  restarts?: number;
  log?: string;
  spec?: Partial<Container>;
  events?: KubeEvent[];
  /** The log read failed with this message (the termination message then carries the story). */
  logError?: string;
}): DiagnosisFacts {
  const c = o.spec?.name ?? 'app';
  return facts(
    pod(o.name, {
      containers: [container(c, o.image, o.spec)],
      statuses: [crashLooping(o.name, c, o.image, o.last, { restarts: o.restarts ?? 5 })],
    }),
    {
      events: [
        ev('Started', `Started container ${c}`, { container: c, count: (o.restarts ?? 5) + 1, age: 60 }),
        ev('BackOff', `Back-off restarting failed container ${c} in pod ${o.name}_${NS}(uid)`, {
          container: c,
          count: 20,
          age: 5,
        }),
        ...(o.events ?? []),
      ],
      logs: [
        o.logError
          ? { container: c, previous: { ok: false, kind: 'Forbidden', message: o.logError } }
          : logs(c, o.log ?? '', o.log ?? ''),
      ],
    },
  );
}

/** A pod stuck before its containers start (ContainerCreating), with pod-level events. */
export function creatingCase(o: {
  name: string;
  image?: string;
  spec?: PodOptions['spec'];
  events: KubeEvent[];
  containerSpec?: Partial<Container>;
  deleting?: boolean;
}): DiagnosisFacts {
  const image = o.image ?? 'ghcr.io/acme/app:1.0';
  return facts(
    pod(o.name, {
      phase: 'Pending',
      containers: [container('app', image, o.containerSpec)],
      statuses: [waiting('app', image, 'ContainerCreating')],
      ...(o.spec ? { spec: o.spec } : {}),
      ...(o.deleting ? { deleting: true } : {}),
    }),
    { events: o.events },
  );
}

/** A regular init container running for `seconds`, its log so far `log`, the app container waiting behind it. */
export function stuckInitCase(o: {
  name: string;
  image?: string;
  command: string[];
  seconds: number;
  log: string;
}): DiagnosisFacts {
  const image = o.image ?? 'busybox:1.28';
  const init: ContainerStatus = {
    name: 'init',
    image,
    imageID: `${image}@sha256:abc`,
    ready: false,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: ago(o.seconds) } },
  };
  return facts(
    pod(o.name, {
      phase: 'Pending',
      initContainers: [container('init', image, { command: o.command })],
      containers: [container('app', 'ghcr.io/acme/app:1.0')],
      initStatuses: [init],
      statuses: [waiting('app', 'ghcr.io/acme/app:1.0', 'PodInitializing')],
      conditions: [
        { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        { type: 'PodScheduled', status: 'True' },
      ],
    }),
    {
      events: [ev('Started', 'Started container init', { container: 'init', init: true, age: o.seconds })],
      logs: [logs('init', o.log), { container: 'app' }],
    },
  );
}
