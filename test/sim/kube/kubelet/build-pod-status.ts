import { isoSeconds } from '../store.js';
import { normaliseImage } from './image-catalogue.js';
import { type PodPhase, podPhase } from './pod-phase.js';
import type { ContainerRun, PodRun } from './pod-run.js';
import { qosClass } from './qos-class.js';

type Json = any;

/** status.containerStatuses[] of one container, as the kubelet reports it. */
export function containerStatus(c: ContainerRun): Json {
  // convertToAPIContainerStatuses: a container that is not running and has a cached start error shows that error as
  // its waiting reason, the instance that just ended as its last state.
  const hook = c.hookError !== undefined && c.state?.terminated;
  return {
    name: c.name,
    state: hook ? { waiting: { reason: 'PostStartHookError', message: c.hookError } } : c.state,
    lastState: hook ? { terminated: c.state.terminated } : c.lastState,
    ready: c.ready,
    restartCount: c.restartCount,
    image: normaliseImage(c.spec.image ?? ''),
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: c.started,
  };
}

const isRegular = (c: ContainerRun): boolean => !c.init && !c.ephemeral;

/** The pod's phase: the terminal one when the kubelet ended it, else from its container statuses. */
export function runPhase(run: PodRun): PodPhase {
  if (run.terminal) return run.terminal.phase;
  return podPhase(
    run.spec,
    run.containers.filter((c) => c.init).map(containerStatus),
    run.containers.filter(isRegular).map(containerStatus),
  );
}

function setCondition(
  run: PodRun,
  now: number,
  type: string,
  status: 'True' | 'False',
  reason?: string,
  message?: string,
): void {
  const prev = run.conditions.get(type);
  run.conditions.set(type, {
    status,
    since: prev && prev.status === status ? prev.since : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  });
}

const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/**
 * The pod status the kubelet writes: phase, the five conditions in the kubelet's order (lastTransitionTime moves
 * only when a condition's status changes, remembered in `run.conditions`), IPs, start time, container statuses and
 * QoS class.
 */
export function buildPodStatus(run: PodRun, now: number): Json {
  const init = run.containers.filter((c) => c.init);
  const regular = run.containers.filter(isRegular);
  const ephemeral = run.containers.filter((c) => c.ephemeral);
  const initStatuses = init.map(containerStatus);
  const statuses = regular.map(containerStatus);
  const phase = run.terminal?.phase ?? podPhase(run.spec, initStatuses, statuses);
  const incomplete = init
    .filter((c) => (c.sidecar ? !c.everStarted : !(c.step === 'done' && c.state.terminated?.exitCode === 0)))
    .map((c) => c.name);
  const unready = regular.filter((c) => !c.ready).map((c) => c.name);
  setCondition(run, now, 'PodReadyToStartContainers', run.sandboxReady ? 'True' : 'False');
  if (incomplete.length === 0) setCondition(run, now, 'Initialized', 'True');
  else {
    const message = `containers with incomplete status: [${incomplete.join(' ')}]`;
    setCondition(run, now, 'Initialized', 'False', 'ContainersNotInitialized', message);
  }
  if (phase === 'Succeeded') {
    setCondition(run, now, 'ContainersReady', 'False', 'PodCompleted');
    setCondition(run, now, 'Ready', 'False', 'PodCompleted');
  } else if (unready.length === 0 && phase === 'Running') {
    setCondition(run, now, 'ContainersReady', 'True');
    setCondition(run, now, 'Ready', 'True');
  } else {
    const names = unready.length ? unready : regular.map((c) => c.name);
    const message = `containers with unready status: [${names.join(' ')}]`;
    setCondition(run, now, 'ContainersReady', 'False', 'ContainersNotReady', message);
    setCondition(run, now, 'Ready', 'False', 'ContainersNotReady', message);
  }
  const conditions = CONDITION_ORDER.filter((type) => run.conditions.has(type)).map((type) => {
    const c = run.conditions.get(type)!;
    return {
      type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: isoSeconds(c.since),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    };
  });
  const status: Json = {
    phase,
    conditions,
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    podIP: run.podIP,
    podIPs: [{ ip: run.podIP }],
    startTime: isoSeconds(run.startTime),
  };
  if (run.terminal?.reason) {
    status.reason = run.terminal.reason;
    status.message = run.terminal.message;
  }
  if (init.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (ephemeral.length > 0) status.ephemeralContainerStatuses = ephemeral.map(containerStatus);
  status.qosClass = qosClass({ metadata: {}, spec: run.spec });
  return status;
}
