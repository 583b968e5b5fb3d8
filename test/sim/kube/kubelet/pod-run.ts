import type { RunPlan } from './plan-container.js';

type Json = any;

/** One run of a container: a containerID, when it started and (once over) finished. */
export interface Instance {
  id: string;
  startedAt: number;
  finishedAt?: number;
  restart: number;
}

/** Where a container is in the kubelet's start/restart cycle. */
export type Step = 'idle' | 'pulling' | 'waiting' | 'running' | 'exited' | 'done';

/** A back-off entry (client-go flowcontrol.Backoff): the current delay and when it last moved. */
export interface BackoffEntry {
  delay: number;
  updatedAt: number;
}

/** The kubelet's memory of one container: its wire state plus the instances whose logs it keeps. */
export interface ContainerRun {
  name: string;
  spec: Json;
  init: boolean;
  /** A native sidecar: an init container with `restartPolicy: Always`. */
  sidecar: boolean;
  /** Added through pods/ephemeralcontainers: never restarted, not part of phase or readiness. */
  ephemeral: boolean;
  fieldPath: string;
  plan?: RunPlan;
  step: Step;
  state: Json;
  lastState: Json;
  restartCount: number;
  /** Containers created so far (restartCount + 1 once started). */
  created: number;
  ready: boolean;
  started: boolean;
  everStarted: boolean;
  containerID?: string;
  imageID: string;
  /** The instance `state` describes (running or terminated). */
  cur?: Instance;
  /** The instance `lastState` describes. */
  last?: Instance;
  backoff?: BackoffEntry;
  pullBackoff?: BackoffEntry;
  timer?: unknown;
  /**
   * The kubelet's reason cache after a failed postStart hook: until the next start the status shows waiting
   * PostStartHookError with this message, the killed instance as lastState.
   */
  hookError?: string;
}

/** A pod condition as the kubelet tracks it; `since` becomes lastTransitionTime. */
export interface Condition {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  since: number;
}

/** The kubelet's memory of one pod it drives. */
export interface PodRun {
  ns: string;
  name: string;
  uid: string;
  node: string;
  hostIP: string;
  podIP: string;
  startTime: number;
  spec: Json;
  /** Init containers first, then regular, then ephemeral ones as they are added. */
  containers: ContainerRun[];
  conditions: Map<string, Condition>;
  /** Volumes mounted and sandbox up: containers may start. */
  sandboxReady: boolean;
  terminal?: { phase: 'Failed' | 'Succeeded'; reason: string; message: string };
  deleting: boolean;
  podTimer?: unknown;
  deadlineTimer?: unknown;
}

/** A container not started yet, waiting with `waitingReason` (ContainerCreating or PodInitializing). */
export function newContainerRun(spec: Json, init: boolean, waitingReason: string): ContainerRun {
  return {
    name: spec.name,
    spec,
    init,
    sidecar: init && spec.restartPolicy === 'Always',
    ephemeral: false,
    fieldPath: init ? `spec.initContainers{${spec.name}}` : `spec.containers{${spec.name}}`,
    step: 'idle',
    state: { waiting: { reason: waitingReason } },
    lastState: {},
    restartCount: 0,
    created: 0,
    ready: false,
    started: false,
    everStarted: false,
    imageID: '',
  };
}
