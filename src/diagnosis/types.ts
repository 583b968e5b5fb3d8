import type { KubeErrorKind } from '../kube/errors.js';
import type { KubeEvent, KubeNode, Pod } from '../kube/types.js';
import type { FailingSince } from './failing-since.js';

/** A read that may have failed; a failed read never sinks the diagnosis, it is reported as missing evidence. */
export type Fetched<T> = { ok: true; value: T } | { ok: false; kind: KubeErrorKind; message: string };

/** One link of the owner chain, nearest first (ReplicaSet, then Deployment). */
export interface OwnerLink {
  kind: string;
  name: string;
}

export interface ContainerLogFacts {
  container: string;
  /** Current (or, for a crash-looping container, the last crashed) instance. */
  current?: Fetched<string>;
  /** The previous instance; absent when the container never restarted. */
  previous?: Fetched<string>;
  /** How each read was cut short, when it was: what we post must say what it left out. */
  cut?: { current?: LogCut; previous?: LogCut };
}

/**
 * A log read cut short: at `tailLines` (the log has earlier lines than the `lines` shown) or at `limitBytes` (the
 * kubelet stops after that many bytes, so later lines are missing).
 */
export type LogCut = { by: 'tail'; lines: number } | { by: 'bytes'; limitBytes: number };

/** Everything the gatherer fetched, as plain data: the input of `diagnose`. */
export interface DiagnosisFacts {
  pod: Pod;
  events: Fetched<KubeEvent[]>;
  logs: ContainerLogFacts[];
  owners: Fetched<OwnerLink[]>;
  node?: Fetched<KubeNode>;
  now: Date;
}

export type ContainerStateName = 'running' | 'waiting' | 'terminated' | 'unknown';

export interface ExitCodeExplanation {
  code: number;
  /** e.g. SIGKILL for 137. */
  signal?: string;
  /** One sentence a person understands: "killed by SIGKILL (often the OOM killer)". */
  meaning: string;
}

export interface TerminationFacts {
  exitCode: number;
  reason?: string;
  signal?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Seconds the instance ran, when both timestamps are known. */
  ranSeconds?: number;
  explanation: ExitCodeExplanation;
}

export interface ContainerDiagnosis {
  name: string;
  /** `ephemeral`: a debug container added through pods/ephemeralcontainers (never restarted, never the failure). */
  kind: 'init' | 'sidecar' | 'app' | 'ephemeral';
  image: string;
  state: ContainerStateName;
  /** Waiting or terminated reason: CrashLoopBackOff, OOMKilled, ErrImagePull... */
  reason?: string;
  message?: string;
  ready: boolean;
  restartCount: number;
  /** The current termination when state is terminated. */
  terminated?: TerminationFacts;
  /** The last termination (lastState.terminated). */
  lastTermination?: TerminationFacts;
  /** Seconds of back-off the kubelet announced ("back-off 5m0s ..."). */
  backOffSeconds?: number;
  /** True when this container is the one failing (crashing, waiting on an error, or terminated non-zero). */
  failing: boolean;
}

export type FindingKind =
  | 'ApplicationError'
  | 'OOMKilled'
  | 'ProbeFailure'
  | 'CommandNotFound'
  | 'NotExecutable'
  | 'ImagePull'
  | 'MissingConfig'
  | 'Unschedulable'
  | 'InitContainerFailure'
  | 'LifecycleHook'
  | 'VolumeFailure'
  | 'SandboxFailure'
  | 'Evicted'
  | 'DeadlineExceeded'
  | 'CleanExitUnderAlways'
  | 'Crashing'
  | 'Healthy';

export type Severity = 'critical' | 'warning' | 'info';

/** What the bot offers next: the buttons and the words depend on it. */
export type RecommendedAction = 'clone' | 'clone-with-busybox' | 'clone-without-probes' | 'node-shell' | 'none';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  container?: string;
  /** One line: "app was OOMKilled 12 s after start (limit 64Mi)". */
  summary: string;
  /** The facts behind it: log lines, event messages, spec values. */
  evidence: string[];
  /** The next step in words. */
  recommendation: string;
  action: RecommendedAction;
}

/** An event after folding repeats (same type, reason, message). */
export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** Seconds since it was last seen. */
  ageSeconds?: number;
  source?: string;
}

export interface MissingEvidence {
  /** "events", "logs of app (previous)", "owner chain", "node". */
  what: string;
  kind: KubeErrorKind;
  message: string;
}

export interface Diagnosis {
  pod: {
    name: string;
    namespace: string;
    uid?: string;
    phase: string;
    /** The STATUS column kubectl would show: CrashLoopBackOff, Init:Error, Pending, Running... */
    status: string;
    reason?: string;
    message?: string;
    node?: string;
    owners: OwnerLink[];
    createdAt?: string;
    ageSeconds?: number;
    restartPolicy: string;
    restarts: number;
    conditions: { type: string; status: string; reason?: string; message?: string }[];
  };
  /** "prod/web-1 — CrashLoopBackOff, exit 1 (23 restarts)" */
  verdict: string;
  containers: ContainerDiagnosis[];
  /** Most severe first. Never empty: a healthy pod gets a 'Healthy' info finding. */
  findings: Finding[];
  events: EventSummary[];
  logs: ContainerLogFacts[];
  missing: MissingEvidence[];
  /** When the pod began failing, from its own record (failingSince); absent when it is not failing or undated. */
  failingSince?: FailingSince;
}
