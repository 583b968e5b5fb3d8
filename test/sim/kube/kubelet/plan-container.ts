import type { Behaviour, ContainerRule, LogLine } from './behaviour.js';
import { hasProgram, type ImageInfo, lookupImage } from './image-catalogue.js';

/** One line of a container's output, `at` milliseconds after it started. */
export interface ScriptLine {
  at: number;
  text: string;
}

/** What starting a container will do, decided once per container (every restart runs the same program). */
export type RunPlan =
  | { kind: 'startError'; message: string }
  | { kind: 'run'; script: ScriptLine[] }
  | {
      kind: 'exit';
      exitCode: number;
      afterMs: number;
      reason: 'Completed' | 'Error' | 'OOMKilled';
      script: ScriptLine[];
      terminationMessage?: string;
    }
  | { kind: 'failLiveness'; script: ScriptLine[]; probeMessage: string }
  | { kind: 'failReadiness'; script: ScriptLine[]; probeMessage: string };

type Json = any;

/** What planContainer reads besides the container itself. */
export interface PlanContext {
  /** The pod spec, for volumes and the init containers that ran before this one. */
  podSpec: Json;
  isInit: boolean;
  rules: readonly ContainerRule[];
}

const STARTUP_SPACING_MS = 7;

/** Turns rule log lines into timed script lines: plain ones at start, or spread evenly before an exit. */
export function toScript(lines: readonly LogLine[] | undefined, exitAfterMs?: number): ScriptLine[] {
  const all = lines ?? [];
  const plain = all.filter((l) => typeof l === 'string').length;
  let i = 0;
  const out = all.map((l) => {
    if (typeof l !== 'string') return { at: Math.round(l.at * 1000), text: l.text };
    const at = exitAfterMs !== undefined && plain > 0 ? Math.floor((exitAfterMs * i) / plain) : i * STARTUP_SPACING_MS;
    i++;
    return { at, text: l };
  });
  // A multi-line write reaches the log as several lines (the runtime splits on newlines), each timestamped.
  return out.flatMap((l) => l.text.split('\n').map((text) => ({ at: l.at, text }))).sort((a, b) => a.at - b.at);
}

const basename = (p: string): string => p.split('/').pop() ?? p;

function repoOf(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** See ContainerRule.image for the accepted forms. */
export function imageMatches(pattern: string | RegExp, image: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(image);
  if (pattern.endsWith('*'))
    return image.startsWith(pattern.slice(0, -1)) || repoOf(image).split('/').pop()!.startsWith(pattern.slice(0, -1));
  if (image === pattern) return true;
  const repo = repoOf(image);
  return repo === pattern || repo.endsWith(`/${pattern}`);
}

function commandMatches(pattern: string | RegExp, argv: readonly string[]): boolean {
  const line = argv.join(' ');
  return pattern instanceof RegExp ? pattern.test(line) : line.startsWith(pattern);
}

/** The OCI runtime's refusal when the program is missing, as containerd 1.7 / runc report it. */
export function startErrorMessage(program: string): string {
  const inner = program.includes('/')
    ? `exec: "${program}": stat ${program}: no such file or directory`
    : `exec: "${program}": executable file not found in $PATH`;
  return (
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: ' +
    `unable to start container process: ${inner}: unknown`
  );
}

function notFoundLine(shell: string, info: ImageInfo, word: string): string {
  if (shell === 'bash') return `bash: line 1: ${word}: command not found`;
  if (info.shell === 'busybox') return `sh: ${word}: not found`;
  return `/bin/sh: 1: ${word}: not found`;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
const BUILTINS = new Set([
  'exit',
  'echo',
  'cd',
  'set',
  'export',
  ':',
  'true',
  'false',
  'test',
  '[',
  'trap',
  'wait',
  'exec',
  'printf',
  'read',
  'while',
  'for',
  'if',
]);

function parseSleep(arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg === 'infinity') return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/**
 * The common utilities' behaviour, which no image-only rule overrides: `sleep N` runs N seconds then completes,
 * `true`/`false`/`exit N`, copies (the debug injector), a shell with no script (no stdin: exits 0 at once).
 */
function utilityPlan(argv: readonly string[]): RunPlan | undefined {
  const name = basename(argv[0] ?? '');
  const done = (exitCode: number, afterMs: number, script: ScriptLine[] = []): RunPlan => ({
    kind: 'exit',
    exitCode,
    afterMs,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    script,
  });
  switch (name) {
    case 'sleep': {
      const s = parseSleep(argv[1]);
      if (s === undefined) return done(1, 5, toScript([`sleep: invalid number '${argv[1] ?? ''}'`]));
      return s === Number.POSITIVE_INFINITY ? { kind: 'run', script: [] } : done(0, s * 1000);
    }
    case 'true':
      return done(0, 5);
    case 'false':
      return done(1, 5);
    case 'exit':
      return done(Number(argv[1] ?? 0) & 255, 5);
    case 'cp':
    case 'install':
    case 'mkdir':
    case 'chmod':
      return done(0, 50);
    case 'busybox':
      if (argv[1] === '--install') return done(0, 50);
      // `busybox sh -c 'cp … && …'` (the debug clone's injector): the script's first program decides.
      if (SHELLS.has(argv[1] ?? '') && argv[2] === '-c') return utilityPlan(scriptWords(argv[3] ?? ''));
      return argv.length > 1 ? utilityPlan(argv.slice(1)) : done(0, 5);
    default:
      if (SHELLS.has(name) && argv.length === 1) return done(0, 5);
      return undefined;
  }
}

/** The words of a `sh -c` script, `exec` dropped, split on spaces (enough for `exec node server.js`). */
function scriptWords(script: string): string[] {
  const words = script
    .trim()
    .split(/[\s;&|]+/)
    .filter(Boolean);
  return words[0] === 'exec' ? words.slice(1) : words;
}

/**
 * Whether `path` is a file an earlier init container copied into an emptyDir this container mounts: the debug
 * clone's injected busybox. Init containers run in order and all complete before regular
 * containers start, so being earlier in the spec is enough.
 */
export function isInjectedProgram(path: string, c: Json, ctx: PlanContext): boolean {
  const mount = (c.volumeMounts ?? []).find((m: Json) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  if (!mount) return false;
  const volume = (ctx.podSpec.volumes ?? []).find((v: Json) => v.name === mount.name);
  if (!volume?.emptyDir) return false;
  const inits: Json[] = ctx.podSpec.initContainers ?? [];
  const before = ctx.isInit
    ? inits.slice(
        0,
        Math.max(
          0,
          inits.findIndex((i) => i.name === c.name),
        ),
      )
    : inits;
  const file = basename(path);
  return before.some(
    (i) =>
      (i.volumeMounts ?? []).some((m: Json) => m.name === mount.name) &&
      [...(i.command ?? []), ...(i.args ?? [])].join(' ').includes(file),
  );
}

function fromBehaviour(b: Exclude<Behaviour, { kind: 'pullError' }>, c: Json): RunPlan {
  switch (b.kind) {
    case 'run':
      return { kind: 'run', script: toScript(b.logs) };
    case 'exit': {
      const afterMs = b.afterSeconds * 1000;
      return {
        kind: 'exit',
        exitCode: b.exitCode,
        afterMs,
        reason: b.exitCode === 0 ? 'Completed' : 'Error',
        script: toScript(b.logs, afterMs),
        ...(b.terminationMessage ? { terminationMessage: b.terminationMessage } : {}),
      };
    }
    case 'oom': {
      const afterMs = b.afterSeconds * 1000;
      return { kind: 'exit', exitCode: 137, afterMs, reason: 'OOMKilled', script: toScript(b.logs, afterMs) };
    }
    case 'failLiveness': {
      const script = toScript(b.logs);
      const probe = c.livenessProbe;
      if (!probe) return { kind: 'run', script };
      return { kind: 'failLiveness', script, probeMessage: b.probeMessage ?? defaultProbeMessage(probe) };
    }
    case 'failReadiness': {
      const script = toScript(b.logs);
      const probe = c.readinessProbe;
      if (!probe) return { kind: 'run', script };
      return { kind: 'failReadiness', script, probeMessage: b.probeMessage ?? defaultProbeMessage(probe) };
    }
  }
}

/** What the kubelet's prober reports for a failing probe of each kind (pkg/probe/http, tcp, exec). */
function defaultProbeMessage(probe: Json): string {
  if (probe.httpGet) return 'HTTP probe failed with statuscode: 503';
  if (probe.tcpSocket) return `dial tcp {{podIP}}:${probe.tcpSocket.port}: connect: connection refused`;
  if (probe.grpc)
    return 'timeout: failed to connect service ":' + probe.grpc.port + '" within 1s: context deadline exceeded';
  return '';
}

/** The first rule saying the image cannot be pulled, or the catalogue's verdict; undefined when it pulls. */
export function pullFailure(image: string, rules: readonly ContainerRule[]): string | undefined {
  const rule = rules.find((r) => imageMatches(r.image, image) && r.behaviour.kind === 'pullError' && !r.command);
  if (rule?.behaviour.kind === 'pullError' && rule.behaviour.message) return rule.behaviour.message;
  if (!rule && lookupImage(image).pullable) return undefined;
  const ref = image.includes('/') ? image : `docker.io/library/${image}`;
  const full = /:[^/]+$/.test(ref) || ref.includes('@') ? ref : `${ref}:latest`;
  return (
    `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference ` +
    `"${full}": ${full}: not found`
  );
}

/**
 * Decides what starting this container does: a StartError when its program does not exist in the image, exit 127
 * when a shell cannot find the script's program, a rule's behaviour, a utility's (sleep, cp, ...), or the default
 * (init containers complete after a second; others run).
 */
export function planContainer(c: Json, ctx: PlanContext): RunPlan {
  const info = lookupImage(c.image ?? '');
  const ownProgram = !c.command;
  let argv: string[] = c.command
    ? [...c.command, ...(c.args ?? [])]
    : [...(info.entrypoint ?? ['/entrypoint']), ...(c.args ?? [])];
  const argv0 = argv[0] ?? '';
  let utility: RunPlan | undefined;
  if (argv0.startsWith('/') && !ownProgram && isInjectedProgram(argv0, c, ctx)) {
    // The injected static busybox runs any applet, whatever the image holds.
    argv = argv.slice(1);
    utility = argv.length === 0 ? utilityPlan(['busybox']) : utilityPlan(argv);
    if (!utility) {
      const shell = SHELLS.has(basename(argv[0] ?? '')) && argv[1] === '-c';
      utility = shell ? utilityPlan(scriptWords(argv[2] ?? '')) : undefined;
      utility ??= { kind: 'run', script: [] };
    }
  } else {
    const program = ownProgram && !info.entrypoint ? '' : argv0;
    if (program && !hasProgram(info, program)) return { kind: 'startError', message: startErrorMessage(program) };
    const shell = basename(argv0);
    if (SHELLS.has(shell) && argv[1] === '-c') {
      const words = scriptWords(argv[2] ?? '');
      const w = words[0];
      if (w && !BUILTINS.has(w) && !hasProgram(info, w)) {
        return {
          kind: 'exit',
          exitCode: 127,
          afterMs: 10,
          reason: 'Error',
          script: toScript([notFoundLine(shell, info, w)]),
        };
      }
      if (w) {
        argv = words;
        utility = utilityPlan(words);
      }
    } else if (c.stdin && SHELLS.has(shell) && argv.length === 1) {
      // A shell with stdin open (`kubectl debug -it`, `kubectl run -i`) waits for input instead of exiting at once.
      utility = { kind: 'run', script: [] };
    } else {
      utility = utilityPlan(argv);
    }
  }
  for (const rule of ctx.rules) {
    if (!imageMatches(rule.image, c.image ?? '')) continue;
    if (rule.command ? !commandMatches(rule.command, [...(c.command ?? []), ...(c.args ?? [])]) : utility) continue;
    if (rule.behaviour.kind === 'pullError') continue;
    return fromBehaviour(rule.behaviour, c);
  }
  if (utility) return utility;
  return ctx.isInit
    ? { kind: 'exit', exitCode: 0, afterMs: 1000, reason: 'Completed', script: [] }
    : { kind: 'run', script: [] };
}
