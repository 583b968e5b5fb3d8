import type { Container, KubeEvent, Pod } from '../kube/types.js';
import { eventsForContainer, eventsWith } from './container-events.js';
import { crashStory, tellingSummary } from './crash-story.js';
import { cutAround } from './cut-around.js';
import { describeProbe } from './describe-probe.js';
import { describeProbeTarget, probeFailureCause } from './describe-probe-target.js';
import { findHeapSettings } from './find-heap-settings.js';
import { findHookFailure } from './find-hook-failure.js';
import { findStuckInit } from './find-stuck-init.js';
import { eventCount } from './fold-events.js';
import { parseImageRef } from './parse-image-ref.js';
import { parseMissingConfig } from './parse-missing-config.js';
import { parseQuantity } from './parse-quantity.js';
import { pickLogLines } from './pick-log-lines.js';
import { rankLogLine } from './rank-log-line.js';
import { summarizeEventMessages } from './summarize-event-messages.js';
import { formatAge, secondsSince } from './time.js';
import type { ContainerDiagnosis, ContainerLogFacts, Finding, TerminationFacts } from './types.js';

/** What the container rules look at. */
export interface ContainerFindingInput {
  pod: Pod;
  container: ContainerDiagnosis;
  spec: Container | undefined;
  /** All the pod's events (unfolded); the rules pick this container's. */
  events: readonly KubeEvent[];
  logs: ContainerLogFacts | undefined;
  /** The diagnosis time, to tell a recent restart from an old one. */
  now?: Date;
}

/** A restart older than this, with the container running since, is history rather than a problem. */
const OLD_RESTART_SECONDS = 3600;

const IMAGE_PULL_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'SignatureValidationFailed',
]);

/** How container runtimes (containerd/runc, CRI-O, dockershim) word a failure to exec the process. */
const RUNTIME_MESSAGE =
  /OCI runtime|runc|crun|exec: "|starting container process|failed to create (shim|containerd)|executable file not found|exec format error|exec user process/i;

/** Terminated reasons that say nothing about the application's own code. */
const NOT_THE_APP = new Set(['StartError', 'ContainerCannotRun', 'ContainerStatusUnknown']);

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

const MAX_EVIDENCE_MESSAGES = 3;

/** A rule about one container: what it finds, and the Kubernetes fact it relies on. */
export interface ContainerRule {
  name: string;
  fact: string;
  find(input: ContainerFindingInput, events: KubeEvent[]): Finding | undefined;
  /** Only when no earlier rule explained the container (a pull or config error hides any start failure). */
  onlyIfUnexplained?: boolean;
}

/**
 * The specific container rules, in order. What they leave unexplained falls to the crash rules below
 * (findContainerFindings): an application error, a clean exit under restartPolicy Always, a failing init container.
 */
export const CONTAINER_RULES: readonly ContainerRule[] = [
  {
    name: 'lifecycle hook',
    fact: 'A failing postStart hook makes the kubelet kill the container it just started (event FailedPostStartHook, Killing "FailedPostStartHook", waiting reason PostStartHookError): the exit 137 that follows is that kill.',
    find: (input, events) => findHookFailure(input, events),
  },
  {
    name: 'image pull',
    fact: "The kubelet reports pull failures as waiting reasons ErrImagePull, ImagePullBackOff, InvalidImageName, ErrImageNeverPull (pkg/kubelet/images/types.go), with the registry's answer in the message and the Failed events.",
    find: (input, events) => imagePull(input, events),
  },
  {
    name: 'missing configuration',
    fact: 'CreateContainerConfigError: the kubelet could not build the environment from a ConfigMap or Secret (`configmap "x" not found`, `couldn\'t find key k in Secret ns/x`).',
    find: (input) => configError(input),
  },
  {
    name: 'process that cannot start',
    fact: 'The OCI runtime refuses to exec the command (StartError, RunContainerError: `executable file not found in $PATH`, `permission denied`, `exec format error`); a shell that cannot run one exits 127 or 126 and says why.',
    find: (input, events) => startFailure(input, events),
    onlyIfUnexplained: true,
  },
  {
    name: 'init container that never finishes',
    fact: 'Init containers run one at a time and each must exit 0 before the next one (and the app containers) start; one still running keeps the pod in Init:N/M.',
    find: (input) => findStuckInit(input),
  },
  {
    name: 'OOM kill',
    fact: 'terminated.reason OOMKilled: the kernel OOM killer ended the container at its cgroup memory limit.',
    find: (input) => oomKilled(input),
  },
  {
    name: 'probe',
    fact: 'Unhealthy events carry the prober\'s result; a liveness or startup probe past its failureThreshold makes the kubelet kill the container (Killing "failed liveness probe, will be restarted").',
    find: (input, events) => probeFailure(input, events),
  },
];

/** The findings about one container, most specific first; empty when nothing is wrong with it. */
export function findContainerFindings(input: ContainerFindingInput): Finding[] {
  const { container: c } = input;
  const events = eventsForContainer(input.events, c);
  const found: Finding[] = [];
  const add = (f: Finding | undefined) => {
    if (f) found.push(f);
  };
  for (const rule of CONTAINER_RULES) {
    if (rule.onlyIfUnexplained && found.length > 0) continue;
    add(rule.find(input, events));
  }
  // Findings that explain no crash (a readiness failure, a preStop hook that only delayed a stop, an init container
  // still running, a hook failure the container recovered from): the crash still gets its own finding.
  const specific = found.some((f) =>
    f.kind === 'ProbeFailure'
      ? f.action === 'clone-without-probes'
      : f.kind === 'LifecycleHook' || f.kind === 'InitContainerFailure'
        ? f.severity === 'critical'
        : true,
  );
  const crash = crashTermination(c);
  if (!specific && crash) {
    // The process never ran (StartError), or the kubelet lost track of it (ContainerStatusUnknown): no application
    // error to read, the runtime's or kubelet's message is the story.
    if (crash.reason && NOT_THE_APP.has(crash.reason)) add(genericCrash(input, events));
    else if (crash.exitCode === 0) add(cleanExit(input, crash));
    else if (c.kind === 'init') add(initFailure(input, crash));
    else add(applicationError(input, crash));
  }
  if (found.length === 0 && c.failing) add(genericCrash(input, events));
  if (found.length === 0 && !c.failing && c.restartCount > 0 && c.lastTermination) add(pastRestarts(input));
  return found;
}

/** The termination that explains the crash: the current one when terminated now, else the last one. */
function crashTermination(c: ContainerDiagnosis): TerminationFacts | undefined {
  if (!c.failing) return undefined;
  return c.state === 'terminated' ? c.terminated : c.lastTermination;
}

function who(c: ContainerDiagnosis): string {
  return c.kind === 'app' ? c.name : `${c.kind} container ${c.name}`;
}

function restarts(c: ContainerDiagnosis): string {
  return c.restartCount === 1 ? '1 restart' : `${c.restartCount} restarts`;
}

function parenthesis(...parts: string[]): string {
  const kept = parts.filter(Boolean);
  return kept.length ? ` (${kept.join(', ')})` : '';
}

function commandLine(spec: Container | undefined): string[] {
  const out: string[] = [];
  if (spec?.command?.length) out.push(`command: ${JSON.stringify(spec.command)}`);
  if (spec?.args?.length) out.push(`args: ${JSON.stringify(spec.args)}`);
  if (out.length === 0) out.push('command: the image entrypoint (no command or args in the spec)');
  return out;
}

/** The log text that shows the crash: the terminated instance, else the previous one, else whatever exists. */
export function crashLogText(c: ContainerDiagnosis, logs: ContainerLogFacts | undefined): string | undefined {
  const current = logs?.current?.ok ? logs.current.value : undefined;
  const previous = logs?.previous?.ok ? logs.previous.value : undefined;
  // A terminated (or crash-looping) container's current log is the last crashed instance's (kubelet behaviour).
  if (c.state !== 'running' && current !== undefined) return current;
  return previous ?? current;
}

function logEvidence(c: ContainerDiagnosis, logs: ContainerLogFacts | undefined): string[] {
  const text = crashLogText(c, logs);
  if (text === undefined) {
    const failed = [logs?.previous, logs?.current].find((l) => l && !l.ok);
    return failed && !failed.ok ? [`logs unavailable: ${failed.message}`] : ['no logs were collected'];
  }
  if (text.trim() === '') return ['the container wrote nothing to its logs'];
  return pickLogLines(text);
}

function ranFor(t: TerminationFacts): string {
  return t.ranSeconds === undefined ? '' : ` after ${formatAge(t.ranSeconds)}`;
}

/** Image pull failures: which image, which tag, whether a pull secret is set, and why the registry said no. */
function imagePull(input: ContainerFindingInput, events: KubeEvent[]): Finding | undefined {
  const { container: c, pod } = input;
  if (!c.reason || !IMAGE_PULL_REASONS.has(c.reason)) return undefined;
  const ref = parseImageRef(c.image);
  // "Error: ErrImagePull" and the back-off notices only repeat the reason; the registry's answer is in the rest.
  const pullEvents = events.filter(
    (e) =>
      (e.reason === 'Failed' || e.reason === 'BackOff') &&
      /pull|image/i.test(e.message ?? '') &&
      !/^(Error: (ErrImagePull|ImagePullBackOff)|Back-off pulling image .*)$/.test(e.message ?? ''),
  );
  const text = [c.message ?? '', ...pullEvents.map((e) => e.message ?? '')].join('\n');
  const secrets = (pod.spec?.imagePullSecrets ?? []).map((s) => s?.name).filter(Boolean);
  const cause = classifyPullFailure(c.reason, text);
  const evidence = [
    `image: ${c.image}`,
    `registry: ${ref.registry}, repository: ${ref.repository}${ref.tag ? `, tag: ${ref.tag}` : ''}${ref.digest ? `, digest: ${ref.digest}` : ''}`,
    secrets.length ? `imagePullSecrets: ${secrets.join(', ')}` : 'imagePullSecrets: none',
    ...(c.message ? [`${c.reason}: ${c.message}`] : [`${c.reason}`]),
    ...summarizeEventMessages(pullEvents.filter((e) => e.message !== c.message)),
  ];
  const recommendation = {
    'not-found': `Check that ${ref.repository}${ref.tag ? `:${ref.tag}` : ''} exists in ${ref.registry} (a typo in the tag or a build that never pushed); fix the image in the workload.`,
    unauthorized: secrets.length
      ? `The registry refused the credentials in ${secrets.join(', ')}: check the secret is of type kubernetes.io/dockerconfigjson, for ${ref.registry}, and not expired.`
      : `The registry wants credentials and the pod has no imagePullSecrets: create a docker-registry secret for ${ref.registry} and reference it (or attach it to the ServiceAccount).`,
    network: `The node cannot reach ${ref.registry}: check DNS, egress/firewall rules and any proxy on the node; open a node shell to test the connection.`,
    'rate-limited': `${ref.registry} refuses more pulls for now (rate limit): pull with credentials (an imagePullSecret, which raises the limit), use a mirror or pull-through cache, or wait for the window to reset. Image pull policy Always on a common image makes it worse.`,
    invalid: `The image reference "${c.image}" is not valid: fix its spelling in the workload.`,
    never: `imagePullPolicy is Never and the image is not on the node: preload it or change the pull policy.`,
    unknown: `Read the registry's answer above; try pulling ${c.image} by hand with the same credentials.`,
  }[cause.kind];
  return {
    kind: 'ImagePull',
    severity: 'critical',
    container: c.name,
    summary: `cannot pull image ${c.image} for ${who(c)}: ${cause.words}`,
    evidence,
    recommendation,
    action: cause.kind === 'network' ? 'node-shell' : 'none',
  };
}

type PullCause = {
  kind: 'not-found' | 'unauthorized' | 'network' | 'rate-limited' | 'invalid' | 'never' | 'unknown';
  words: string;
};

/** Tells "no such image" from "not allowed" from "cannot reach the registry" in the runtime's pull error. */
export function classifyPullFailure(reason: string, text: string): PullCause {
  if (reason === 'InvalidImageName') return { kind: 'invalid', words: 'the image name is invalid' };
  if (reason === 'ErrImageNeverPull')
    return { kind: 'never', words: 'imagePullPolicy Never and the image is not on the node' };
  // Docker Hub and most registries answer 429 with "toomanyrequests" (distribution spec error code TOOMANYREQUESTS).
  if (/toomanyrequests|too many requests|\b429\b|pull rate limit|rate limit(?:ed| exceeded)/i.test(text)) {
    return { kind: 'rate-limited', words: 'the registry refused: pull rate limit reached (429 toomanyrequests)' };
  }
  if (
    /unauthorized|authentication required|authorization failed|no basic auth credentials|insufficient_scope|\b401\b|\b403\b|forbidden|access denied|denied: /i.test(
      text,
    ) &&
    !/manifest unknown|: not found/i.test(text)
  ) {
    return { kind: 'unauthorized', words: 'the registry refused access (unauthorized)' };
  }
  if (/not found|manifest unknown|does not exist|name unknown|no such manifest|pull access denied/i.test(text)) {
    return { kind: 'not-found', words: 'the image or tag was not found' };
  }
  if (
    /i\/o timeout|no such host|connection refused|dial tcp|tls handshake|context deadline exceeded|network is unreachable|connection reset|x509|proxyconnect/i.test(
      text,
    ) ||
    reason === 'RegistryUnavailable'
  ) {
    return { kind: 'network', words: 'the registry could not be reached (network)' };
  }
  return {
    kind: 'unknown',
    words: reason === 'ImagePullBackOff' ? 'pulls keep failing (back-off)' : 'the pull failed',
  };
}

/** CreateContainerConfigError: the ConfigMap, Secret or key the container refers to does not exist. */
function configError(input: ContainerFindingInput): Finding | undefined {
  const { container: c, pod } = input;
  if (c.reason !== 'CreateContainerConfigError') return undefined;
  const missing = parseMissingConfig(c.message ?? '');
  if (!missing) return undefined;
  const ns = pod.metadata?.namespace ?? 'default';
  const what = missing.key
    ? `key "${missing.key}" is missing from ${missing.kind} ${missing.name}`
    : `${missing.kind} "${missing.name}" not found in ${ns}`;
  const create =
    missing.kind === 'ConfigMap'
      ? `kubectl create configmap ${missing.name} -n ${ns} --from-literal=KEY=VALUE`
      : `kubectl create secret generic ${missing.name} -n ${ns} --from-literal=KEY=VALUE`;
  return {
    kind: 'MissingConfig',
    severity: 'critical',
    container: c.name,
    summary: `${who(c)} cannot start: ${what}`,
    evidence: [`CreateContainerConfigError: ${c.message ?? ''}`, ...references(input.spec, missing.name)],
    recommendation: missing.key
      ? `Add the key "${missing.key}" to ${missing.kind} ${missing.name}, or fix the key name in the container's env.`
      : `Create the ${missing.kind} (\`${create}\`), fix the name in the pod spec, or mark the reference optional: true if the app can live without it.`,
    action: 'none',
  };
}

function references(spec: Container | undefined, name: string): string[] {
  const out: string[] = [];
  for (const e of spec?.env ?? []) {
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (ref?.name === name) out.push(`env ${e.name} ← ${name}[${ref.key}]${ref.optional ? ' (optional)' : ''}`);
  }
  for (const f of spec?.envFrom ?? []) {
    const ref = f.configMapRef ?? f.secretRef;
    if (ref?.name === name) out.push(`envFrom ${name}${ref.optional ? ' (optional)' : ''}`);
  }
  return out;
}

/**
 * The runtime could not start the process: `exec: "bash": executable file not found in $PATH`, `permission
 * denied`, `exec format error`, or a shell that answered 127/126. A clone with busybox injected can look inside.
 */
function startFailure(input: ContainerFindingInput, events: KubeEvent[]): Finding | undefined {
  const { container: c, spec } = input;
  const t = c.state === 'terminated' ? c.terminated : c.lastTermination;
  // Only the runtime's own words count: an app's termination message may well say "no such file or directory".
  const messages = [
    t?.message,
    c.state === 'waiting' ? c.message : undefined,
    ...eventsWith(events, 'Failed').map((e) => e.message),
  ]
    // A hook's exec failure is the hook's (find-hook-failure.ts), not the container's command.
    .filter((m): m is string => !!m && RUNTIME_MESSAGE.test(m) && !/lifecycle hook/i.test(m))
    // The kubelet's Failed event repeats the runtime's message behind "Error: ".
    .map((m) => m.replace(/^Error: /, ''))
    .filter((m, i, all) => all.indexOf(m) === i);
  const text = messages.join('\n');
  const runtimeNotFound = /executable file not found in \$PATH|no such file or directory/i.test(text);
  const runtimeNotExec = /permission denied|exec format error/i.test(text);
  const shellCode = t && t.reason !== 'OOMKilled' && c.failing ? t.exitCode : undefined;
  // What a shell or runc's init printed to the log when it could not run a script: it names the file.
  const script = c.failing ? scriptFailure(crashLogText(c, input.logs)) : undefined;
  if (!runtimeNotFound && !runtimeNotExec && !script && shellCode !== 127 && shellCode !== 126) return undefined;
  const exe =
    /exec: "([^"]+)"/.exec(text)?.[1] ??
    /stat (\S+): no such file/.exec(text)?.[1] ??
    script?.file ??
    spec?.command?.[0];
  const base = exe?.split('/').pop() ?? '';
  const evidence = [
    ...messages.slice(0, MAX_EVIDENCE_MESSAGES),
    ...(script ? [`log: ${script.line}`] : []),
    ...(t ? [`exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}: ${t.explanation.meaning}`] : []),
    ...commandLine(spec),
    `image: ${c.image}`,
  ];
  if (!runtimeNotFound && !runtimeNotExec) evidence.push(...logEvidence(c, input.logs));
  const notExec = runtimeNotExec || (!runtimeNotFound && (script ? script.problem !== 'not found' : shellCode === 126));
  const arch = /exec format error/i.test(text) || script?.problem === 'exec format error';
  const pathEnv = (spec?.env ?? []).find((e) => e?.name === 'PATH')?.value;
  // "No shell" only when the evidence says so: an absolute shell path that does not exist, or a shell-less image.
  // A bare `sh` missing from $PATH may be a PATH the spec overrides while /bin/sh exists.
  const noShell =
    SHELLS.has(base) &&
    ((exe?.startsWith('/') && /no such file or directory/i.test(text)) || SHELL_LESS_IMAGE.test(c.image));
  let summary: string;
  let interpreter = false;
  if (notExec) {
    summary = arch
      ? `${who(c)} cannot run ${exe ?? 'its command'}: built for another CPU architecture (exec format error)`
      : `${who(c)} cannot run ${exe ?? 'its command'}: found but not executable (permission denied)`;
  } else if (noShell) {
    summary = `${who(c)} has no shell: ${exe} is not in the image (distroless or scratch?)`;
  } else if (script?.via === 'runc' && script.problem === 'not found' && !runtimeNotFound) {
    // The runtime found the file (the container started), yet execve said ENOENT: what is missing is the
    // interpreter its #! line names, often because of CRLF line endings ("/bin/sh\r") or bash on a busybox image.
    interpreter = true;
    summary = `${who(c)} cannot run ${exe ?? 'its command'}: no such file or directory, though the file exists: the interpreter on its #! line is missing (or the script has CRLF line endings)`;
  } else if (SHELLS.has(base) && !exe?.startsWith('/')) {
    summary = `${who(c)} cannot start: shell "${exe}" is not on $PATH${pathEnv !== undefined ? ` (the spec sets PATH=${pathEnv})` : ''}`;
  } else {
    summary = `${who(c)} cannot start: command ${exe ? `"${exe}" ` : ''}not found in the image`;
  }
  return {
    kind: notExec ? 'NotExecutable' : 'CommandNotFound',
    severity: 'critical',
    container: c.name,
    summary,
    evidence,
    recommendation: interpreter
      ? `Check the first line of ${exe ?? 'the script'} in a debug clone with busybox injected (head -1 | od -c shows a \\r): convert it to LF line endings, or install the interpreter it names (bash on alpine), or call it as \`sh ${exe ?? 'script'}\`.`
      : noShell
        ? 'The image has no shell, so `kubectl exec` cannot help either: create a debug clone with busybox injected to look at its filesystem, then fix the command (use the binary itself, not a shell).'
        : notExec
          ? `Create a debug clone with busybox injected to inspect ${exe ?? 'the file'} (ls -l, file type); fix its mode (chmod +x in the Dockerfile, or run it as \`sh ${exe ?? 'script'}\`) or the image architecture.`
          : SHELLS.has(base)
            ? `The runtime looks "${exe}" up on $PATH${pathEnv !== undefined ? `, which the spec sets to ${pathEnv}` : ''}: use its absolute path (/bin/${base}) or fix PATH; a debug clone with busybox injected shows what the image holds.`
            : 'Create a debug clone with busybox injected to see what the image contains ($PATH, the entrypoint) and fix command/args in the workload.',
    action: 'clone-with-busybox',
  };
}

/** Images known to ship without a shell. */
const SHELL_LESS_IMAGE = /distroless|\bscratch\b|chainguard\/static|-static\b/i;

interface ScriptFailure {
  file?: string;
  problem: 'permission denied' | 'not found' | 'exec format error';
  /** A shell said it, or runc's init process after the container had started (the file exists then). */
  via: 'shell' | 'runc';
  line: string;
}

/**
 * A shell's or runc's own words about a script it could not run: `/bin/sh: 1: /app/start.sh: Permission denied`,
 * `bash: line 1: ./run.sh: No such file or directory`, `exec /entrypoint.sh: exec format error`.
 */
function scriptFailure(log: string | undefined): ScriptFailure | undefined {
  if (!log) return undefined;
  const lines = log.split(/\r?\n/).slice(-50).reverse();
  for (const line of lines) {
    const shell =
      /^(?:\S*\/)?(?:sh|bash|ash|dash|zsh|ksh)(?:: line \d+| \d+)?:(?: \d+:)?(?: line \d+:)? (\S+): (Permission denied|not found|No such file or directory|command not found|cannot execute binary file(?:: Exec format error)?)/i.exec(
        line,
      );
    const runc = /^exec (\S+): (permission denied|exec format error|no such file or directory)/i.exec(line);
    // Older runc: `standard_init_linux.go:219: exec user process caused: exec format error` (names no file).
    const init = /exec user process caused:? "?(exec format error|permission denied|no such file or directory)/i.exec(
      line,
    );
    const m = shell ?? runc ?? (init ? [init[0], '', init[1]] : undefined);
    if (!m?.[2]) continue;
    const word = m[2].toLowerCase();
    const problem = /permission/.test(word)
      ? 'permission denied'
      : /format|binary/.test(word)
        ? 'exec format error'
        : 'not found';
    return { ...(m[1] ? { file: m[1] } : {}), problem, via: shell ? 'shell' : 'runc', line: cutAround(line, 280) };
  }
  return undefined;
}

/** The kernel's OOM killer: the memory limit, and how soon after start it died. */
function oomKilled(input: ContainerFindingInput): Finding | undefined {
  const { container: c, spec } = input;
  const t = [c.terminated, c.lastTermination].find((x) => x?.reason === 'OOMKilled');
  if (!t) return undefined;
  const limit = spec?.resources?.limits?.memory;
  const request = spec?.resources?.requests?.memory;
  const limitBytes = parseQuantity(limit);
  const quick = t.ranSeconds !== undefined && t.ranSeconds < 60;
  // A heap allowed to grow past the limit is killed before the runtime's own out-of-memory error can fire.
  const oversized = findHeapSettings(spec).filter((h) => limitBytes !== undefined && h.bytes >= limitBytes);
  const evidence = [
    `terminated: OOMKilled, exit ${t.exitCode}${t.finishedAt ? ` at ${t.finishedAt}` : ''}${t.ranSeconds !== undefined ? `, ran ${formatAge(t.ranSeconds)}` : ''}`,
    `memory limit: ${limit ?? 'none'}${request ? `, request: ${request}` : ''}`,
    ...oversized.map((h) => `${h.source}: ${h.flag} allows a heap at least as large as the ${limit} limit`),
    `${restarts(c)}`,
    ...logEvidence(c, input.logs).slice(-5),
  ];
  const heap = oversized[0];
  return {
    kind: 'OOMKilled',
    severity: c.failing ? 'critical' : 'warning',
    container: c.name,
    summary: `${who(c)} was OOMKilled${ranFor(t)} (${limit ? `limit ${limit}` : 'no memory limit: the node ran out of memory'})${heap ? `; ${heap.flag} exceeds it` : ''}`,
    evidence,
    recommendation: heap
      ? `${heap.flag} (${heap.source}) lets the heap grow past the ${limit} limit: set it well below the limit (leave about a quarter for non-heap memory) or raise the limit.`
      : !limit
        ? 'Set a memory request and limit that match what it uses, and look for the node-level memory pressure that killed it.'
        : quick
          ? `It dies within a minute, so its normal footprint is above ${limit}: raise the limit (and request) or lower its memory settings (heap size, workers).`
          : `It grows for ${t.ranSeconds !== undefined ? formatAge(t.ranSeconds) : 'a while'} before dying: a leak or an unbounded cache is likely; profile it in a debug clone, or raise ${limit} if the growth is legitimate.`,
    action: 'clone',
  };
}

/** Liveness/startup probes that kill the container (Unhealthy then Killing events), or readiness that never passes. */
function probeFailure(input: ContainerFindingInput, events: KubeEvent[]): Finding | undefined {
  const { container: c, spec } = input;
  const unhealthy = eventsWith(events, 'Unhealthy');
  const kills = eventsWith(events, 'Killing', /failed (liveness|startup) probe/i);
  const byKind = (k: string) => unhealthy.filter((e) => new RegExp(`^${k} probe`, 'i').test(e.message ?? ''));
  const liveness = byKind('Liveness');
  const startup = byKind('Startup');
  const readiness = byKind('Readiness');
  const killing = kills.length > 0 || ((liveness.length > 0 || startup.length > 0) && c.restartCount > 0);
  if (!killing && readiness.length === 0) return undefined;
  const probeDesc: string[] = [];
  if (spec?.livenessProbe) probeDesc.push(`liveness: ${describeProbe(spec.livenessProbe)}`);
  if (spec?.startupProbe) probeDesc.push(`startup: ${describeProbe(spec.startupProbe)}`);
  if (spec?.readinessProbe) probeDesc.push(`readiness: ${describeProbe(spec.readinessProbe)}`);
  const failures = (list: KubeEvent[]) => list.reduce((n, e) => n + eventCount(e), 0);
  // Events come oldest first: the newest says how it fails now.
  const newest = (list: KubeEvent[]) => list[list.length - 1]?.message ?? undefined;
  if (killing) {
    const which = startup.length > 0 && liveness.length === 0 ? 'startup' : 'liveness';
    const n = failures(which === 'startup' ? startup : liveness);
    const message = newest(which === 'startup' ? startup : liveness);
    const target = describeProbeTarget(which === 'startup' ? spec?.startupProbe : spec?.livenessProbe, message);
    const cause = probeFailureCause(message);
    const what = [target, cause].filter(Boolean).join(': ');
    return {
      kind: 'ProbeFailure',
      severity: c.failing || c.restartCount > 0 ? 'critical' : 'warning',
      container: c.name,
      summary: `${who(c)} is killed by its failing ${which} probe${parenthesis(what, n ? `${n} failures` : '', c.restartCount ? restarts(c) : '')}`,
      evidence: [...summarizeEventMessages([...liveness, ...startup]), ...summarizeEventMessages(kills), ...probeDesc],
      recommendation:
        'Check the probe against the app (port, path, how long it takes to start): a slow start needs a startupProbe or a longer initialDelaySeconds. Create a clone without probes to see whether the app works when it is left alone.',
      action: 'clone-without-probes',
    };
  }
  const message = newest(readiness);
  const target = describeProbeTarget(spec?.readinessProbe, message);
  const cause = probeFailureCause(message);
  return {
    kind: 'ProbeFailure',
    severity: 'warning',
    container: c.name,
    summary: `${who(c)} is not ready: its readiness probe${target ? ` ${target}` : ''} fails (${[cause, `${failures(readiness)} failures`].filter(Boolean).join('; ')}), so it gets no traffic`,
    // A container that is not ready is suspect: what its log says right now often explains the probe.
    evidence: [
      ...summarizeEventMessages(readiness),
      ...probeDesc,
      ...(c.state === 'running' && input.logs?.current?.ok
        ? pickLogLines(input.logs.current.value, { maxLines: 5 })
        : []),
    ],
    recommendation:
      'Check what the readiness endpoint depends on (a database, a downstream service) and that the probe port and path match the app.',
    action: 'none',
  };
}

/** Exit 0 where the kubelet restarts it anyway: a long-running process was expected. */
function cleanExit(input: ContainerFindingInput, t: TerminationFacts): Finding {
  const { container: c } = input;
  return {
    kind: 'CleanExitUnderAlways',
    severity: 'critical',
    container: c.name,
    summary: `${who(c)} exits 0${ranFor(t)} and restartPolicy Always restarts it (${restarts(c)})`,
    evidence: [
      `last exit 0${t.reason ? ` (${t.reason})` : ''}: ${t.explanation.meaning}`,
      ...commandLine(input.spec),
      ...logEvidence(c, input.logs),
    ],
    recommendation:
      "The main process must stay in the foreground: make sure it does not daemonize (e.g. nginx -g 'daemon off;', no trailing &) or finish its work and exit. A one-off task belongs in a Job.",
    action: 'clone',
  };
}

function initFailure(input: ContainerFindingInput, t: TerminationFacts): Finding {
  const { container: c } = input;
  const lines = logEvidence(c, input.logs);
  const story = crashStory(crashLogText(c, input.logs), t);
  const telling = tellingSummary(story);
  return {
    kind: 'InitContainerFailure',
    severity: 'critical',
    container: c.name,
    summary: `init container ${c.name} fails with exit ${t.exitCode}${ranFor(t)}, so the app containers never start${telling ? `: ${telling}` : ''}`,
    evidence: [
      `exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}: ${t.explanation.meaning}`,
      ...story.terminationEvidence,
      ...(c.restartCount ? [restarts(c)] : []),
      ...commandLine(input.spec),
      ...withTelling(lines, story),
    ],
    recommendation: `Fix what ${c.name} needs (see its logs): the app containers wait until every init container exits 0. A debug clone lets you run its command by hand.`,
    action: 'clone',
  };
}

/** The evidence lines, with the telling line added when the picked lines left it out (a long noisy log). */
function withTelling(lines: string[], story: ReturnType<typeof crashStory>): string[] {
  const t = story.telling;
  if (t?.source !== 'log') return lines;
  const shown = cutAround(t.text, 300, t.phrase);
  return lines.some((l) => l.includes(t.text.slice(0, 60)) || l === shown) ? lines : [shown, ...lines];
}

function applicationError(input: ContainerFindingInput, t: TerminationFacts): Finding {
  const { container: c } = input;
  const logText = crashLogText(c, input.logs);
  const haveLogs = logText !== undefined;
  const lines = logEvidence(c, input.logs);
  const story = crashStory(logText, t);
  const telling = tellingSummary(story);
  const detail = t.signal !== undefined || t.explanation.signal ? t.explanation.signal : undefined;
  const goPanic = t.exitCode === 2 && lines.some((l) => /^panic: /.test(l));
  return {
    kind: 'ApplicationError',
    severity: 'critical',
    container: c.name,
    summary: `${who(c)} crashes with exit ${t.exitCode}${detail ? ` (${detail})` : ''}${ranFor(t)}${telling ? `: ${telling}` : ''}`,
    evidence: [
      `exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}: ${t.explanation.meaning}`,
      ...story.terminationEvidence,
      ...(c.restartCount
        ? [`${restarts(c)}${c.backOffSeconds ? `, next retry in up to ${formatAge(c.backOffSeconds)}` : ''}`]
        : []),
      // A Go program exits 2 when it panics: that, not a shell's usage error, is what exit 2 means here.
      ...(goPanic ? ['exit 2 after "panic:": the Go runtime exits 2 on an unrecovered panic'] : []),
      ...withTelling(lines, story),
    ],
    recommendation:
      haveLogs || story.telling
        ? `Read the error ${story.telling?.source === 'termination message' ? 'in its termination message' : 'lines above'}: they come from the last crashed instance. To look around with the same image, config and volumes, create a debug clone (its command is replaced so it stays up).`
        : 'Its logs could not be read (see above), so the cause is not visible here: fix the access or run `kubectl logs -p`, or create a debug clone to run the command by hand.',
    action: 'clone',
  };
}

/**
 * Waiting reasons the kubelet sets when it cannot get a container going (pkg/kubelet/container/sync_result.go,
 * pkg/kubelet/kuberuntime, pkg/kubelet/images/types.go), in words; their message carries the cause.
 */
const KUBELET_WAITING: Readonly<Record<string, string>> = {
  CreateContainerError: 'the runtime could not create the container',
  CreateContainerConfigError: 'the kubelet could not build the container config',
  RunContainerError: 'the runtime could not start the container',
  PreCreateHookError: 'a pre-create hook of the runtime failed',
  PreStartHookError: 'a pre-start hook of the runtime failed',
  CreatePodSandboxError: 'the pod sandbox could not be created',
  ConfigPodSandboxError: 'the pod sandbox could not be configured',
  KillPodSandboxError: 'the old pod sandbox could not be stopped',
  KillContainerError: 'the old container could not be stopped',
  VerifyNonRootError: 'runAsNonRoot cannot be verified',
  RunInitContainerError: 'the init container could not be run',
  ImageInspectError: 'the image on the node could not be inspected',
  ContainerNotFound: 'the runtime lost the container',
};

function genericCrash(input: ContainerFindingInput, events: KubeEvent[]): Finding {
  const { container: c } = input;
  const state = c.reason ?? c.state;
  const t = c.state === 'terminated' ? c.terminated : c.lastTermination;
  const runtimeReason = [t?.reason, c.reason].find(
    (r) =>
      r === 'StartError' || r === 'ContainerCannotRun' || r === 'RunContainerError' || r === 'CreateContainerError',
  );
  const message = runtimeReason ? (t?.message ?? c.message) : c.message;
  const words = c.state === 'waiting' && c.reason ? KUBELET_WAITING[c.reason] : undefined;
  const cut = (m: string) => cutAround(m, 200, rankLogLine(m).phrase);
  return {
    kind: 'Crashing',
    severity: 'critical',
    container: c.name,
    summary: runtimeReason
      ? `${who(c)} could not be started by the runtime (${runtimeReason}${t ? `, exit ${t.exitCode}` : ''})${message ? `: ${cut(message)}` : ''}`
      : t && c.failing && (c.state === 'terminated' || c.reason === 'CrashLoopBackOff')
        ? `${who(c)} ended with ${t.reason ? `${t.reason}, ` : ''}exit ${t.exitCode}${t.message ? `: ${cut(t.message)}` : ''}`
        : `${who(c)} is ${state}${words ? ` (${words})` : ''}${message ? `: ${cut(message)}` : ''}`,
    evidence: [
      ...(c.message ? [`${state}: ${c.message}`] : [`state: ${state}`]),
      ...(t ? [`exit ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}: ${t.message ?? t.explanation.meaning}`] : []),
      ...summarizeEventMessages(events.filter((e) => e.type === 'Warning')),
      ...(c.restartCount ? [restarts(c)] : []),
    ],
    recommendation: runtimeReason
      ? 'The runtime could not start the process: create a debug clone with busybox injected to inspect the image and its entrypoint.'
      : 'Read the message and events above; a debug clone lets you reproduce the start with the same spec.',
    action: runtimeReason ? 'clone-with-busybox' : 'clone',
  };
}

function pastRestarts(input: ContainerFindingInput): Finding {
  const { container: c } = input;
  const t = c.lastTermination as TerminationFacts;
  const age = input.now && t.finishedAt ? secondsSince(t.finishedAt, input.now) : undefined;
  const old = age !== undefined && age > OLD_RESTART_SECONDS;
  return {
    kind: 'Crashing',
    severity: old ? 'info' : 'warning',
    container: c.name,
    summary: `${who(c)} is running again but has ${restarts(c)}; the last one exited ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${age !== undefined ? ` ${formatAge(age)} ago` : ''}`,
    evidence: [
      `last exit ${t.exitCode}: ${t.explanation.meaning}${t.finishedAt ? ` at ${t.finishedAt}` : ''}`,
      ...crashStory(undefined, t).terminationEvidence,
      ...logEvidence(c, input.logs),
    ],
    recommendation:
      "Read the previous instance's logs above to see why it restarted; watch whether the restarts continue.",
    action: 'none',
  };
}
