import type { Container, ContainerStatus, Pod } from '../kube/types.js';
import { explainExitCode } from './explain-exit-code.js';
import { parseBackOffSeconds } from './parse-duration.js';
import { toIso, toMillis } from './time.js';
import type { ContainerDiagnosis, ContainerStateName, TerminationFacts } from './types.js';

type Terminated = NonNullable<NonNullable<ContainerStatus['state']>['terminated']>;

/** Waiting reasons that mean "starting normally", not "stuck". */
const BENIGN_WAITING = new Set(['', 'ContainerCreating', 'PodInitializing']);

/** A native sidecar is an init container with restartPolicy Always (KEP-753, Kubernetes 1.28+). */
export function isSidecar(c: Pick<Container, 'restartPolicy'> | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** The restart policy that governs a container: Always for a sidecar, Never/OnFailure for others as the pod says. */
export function effectiveRestartPolicy(pod: Pod, kind: ContainerDiagnosis['kind']): string {
  if (kind === 'sidecar') return 'Always';
  // The kubelet never restarts an ephemeral container.
  if (kind === 'ephemeral') return 'Never';
  const policy = pod.spec?.restartPolicy ?? 'Always';
  // Init containers are retried on failure under Always too: an init container exiting 0 is its job.
  if (kind === 'init') return policy === 'Never' ? 'Never' : 'OnFailure';
  return policy;
}

/** Turns a terminated state into the facts a person reads: exit code and its meaning, when, for how long. */
export function terminationFacts(t: Terminated, restartPolicy: string): TerminationFacts {
  const exitCode = typeof t.exitCode === 'number' ? t.exitCode : -1;
  const started = toMillis(t.startedAt);
  const finished = toMillis(t.finishedAt);
  const facts: TerminationFacts = {
    exitCode,
    explanation: explainExitCode(exitCode, { restartPolicy, ...(t.reason ? { reason: t.reason } : {}) }),
  };
  if (t.reason) facts.reason = t.reason;
  if (typeof t.signal === 'number' && t.signal !== 0) facts.signal = t.signal;
  if (t.message) facts.message = t.message;
  const startedAt = toIso(t.startedAt);
  const finishedAt = toIso(t.finishedAt);
  if (startedAt) facts.startedAt = startedAt;
  if (finishedAt) facts.finishedAt = finishedAt;
  if (started !== undefined && finished !== undefined && finished >= started) {
    facts.ranSeconds = Math.round((finished - started) / 1000);
  }
  return facts;
}

/**
 * One entry per container in spec order: init containers and native sidecars first, then app containers, then
 * ephemeral (debug) containers. A container with no status yet (pod not scheduled) is reported with state 'unknown'.
 */
export function describeContainers(pod: Pod): ContainerDiagnosis[] {
  const spec = pod.spec;
  const status = pod.status;
  const out: ContainerDiagnosis[] = [];
  const initStatuses = asArray(status?.initContainerStatuses);
  const appStatuses = asArray(status?.containerStatuses);
  for (const c of asArray(spec?.initContainers)) {
    const kind = isSidecar(c) ? 'sidecar' : 'init';
    out.push(
      describeOne(
        pod,
        c,
        kind,
        initStatuses.find((s) => s?.name === c.name),
      ),
    );
  }
  for (const c of asArray(spec?.containers)) {
    out.push(
      describeOne(
        pod,
        c,
        'app',
        appStatuses.find((s) => s?.name === c.name),
      ),
    );
  }
  const ephemeralStatuses = asArray(status?.ephemeralContainerStatuses);
  for (const c of asArray(spec?.ephemeralContainers)) {
    out.push(
      describeOne(
        pod,
        c as Container,
        'ephemeral',
        ephemeralStatuses.find((s) => s?.name === c.name),
      ),
    );
  }
  // Statuses without a spec entry (a malformed or partial object): still worth showing.
  const known = new Set(out.map((c) => c.name));
  for (const s of initStatuses) if (s && !known.has(s.name)) out.push(describeOne(pod, undefined, 'init', s));
  for (const s of appStatuses) if (s && !known.has(s.name)) out.push(describeOne(pod, undefined, 'app', s));
  return out;
}

function describeOne(
  pod: Pod,
  spec: Container | undefined,
  kind: ContainerDiagnosis['kind'],
  st: ContainerStatus | undefined,
): ContainerDiagnosis {
  const policy = effectiveRestartPolicy(pod, kind);
  const name = spec?.name ?? st?.name ?? '?';
  const d: ContainerDiagnosis = {
    name: String(name),
    kind,
    image: String(spec?.image ?? st?.image ?? ''),
    state: 'unknown',
    ready: st?.ready === true,
    restartCount: typeof st?.restartCount === 'number' && st.restartCount > 0 ? st.restartCount : 0,
    failing: false,
  };
  const state = st?.state;
  let stateName: ContainerStateName = 'unknown';
  if (state?.terminated) {
    stateName = 'terminated';
    d.terminated = terminationFacts(state.terminated, policy);
    if (state.terminated.reason) d.reason = state.terminated.reason;
    if (state.terminated.message) d.message = state.terminated.message;
  } else if (state?.waiting) {
    stateName = 'waiting';
    if (state.waiting.reason) d.reason = state.waiting.reason;
    if (state.waiting.message) d.message = state.waiting.message;
    const backOff = parseBackOffSeconds(state.waiting.message);
    if (backOff !== undefined) d.backOffSeconds = backOff;
  } else if (state?.running) {
    stateName = 'running';
  }
  d.state = stateName;
  const last = st?.lastState?.terminated;
  if (last) d.lastTermination = terminationFacts(last, policy);
  d.failing = isFailing(d, policy);
  return d;
}

function isFailing(d: ContainerDiagnosis, policy: string): boolean {
  // A debug container is a tool, not the workload: however it ended, it is not why the pod fails.
  if (d.kind === 'ephemeral') return false;
  if (d.state === 'waiting') return !BENIGN_WAITING.has(d.reason ?? '');
  if (d.state === 'terminated' && d.terminated) {
    if (d.terminated.exitCode !== 0) return true;
    // A clean exit is only a failure where the kubelet will restart it anyway.
    return policy === 'Always' && d.restartCount > 0;
  }
  if (d.state === 'running') {
    // Running again after crashes but not ready: still in the crash loop (probes, slow start that dies).
    return !d.ready && d.restartCount > 0 && d.lastTermination !== undefined;
  }
  return false;
}

function asArray<T>(x: T[] | undefined | null): T[] {
  return Array.isArray(x) ? x : [];
}
