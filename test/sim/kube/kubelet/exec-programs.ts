import { type ExecEnvironment, enterNode } from './exec-environment.js';
import { BUSYBOX_APPLETS, hasProgram } from './image-catalogue.js';

/** One write of a process: fd 1 (stdout) or 2 (stderr). */
export interface Output {
  fd: 1 | 2;
  text: string;
}

/** A shell reading commands from stdin, one per level of nesting (`sh`, then `nsenter … -- sh -l` inside it). */
export interface ShellFrame {
  env: ExecEnvironment;
  /** Exported variables: the process environment. */
  exported: Map<string, string>;
  /** Shell variables that are not exported. */
  locals: Map<string, string>;
  /** `$?` */
  status: number;
  cwd: string;
  /** `$0`, which prefixes the shell's own error messages (`sh: x: not found`). */
  name: string;
}

/** What running one program did: it finished, or it is a shell that now reads stdin. */
export type ProgramResult =
  | { kind: 'done'; outputs: Output[]; status: number }
  | { kind: 'shell'; frame: ShellFrame; outputs: Output[] };

/** What a program is started with besides its argv. */
export interface ProgramContext {
  /** Whether stdin is open (`kubectl exec -i`): a shell without a script then reads commands from it. */
  stdin: boolean;
  /** Interactive shells already running in this exec (for `ps`). */
  shells: number;
  /** The shell interpreter, for `sh -c 'script'`. */
  runScript: (frame: ShellFrame, script: string, stdin: boolean) => ProgramResult;
}

/** Where a program name leads: a program in the image (by name), the injected busybox, or nothing. */
export type Resolved = { kind: 'program'; name: string } | { kind: 'missing' };

const basename = (p: string): string => p.split('/').pop() ?? p;
const SHELLS = new Set(['sh', 'ash', 'bash', 'dash']);

/** A new frame for a process started in `env`, with the container's environment. */
export function newFrame(env: ExecEnvironment, name = 'sh'): ShellFrame {
  return { env, exported: new Map(env.env), locals: new Map(), status: 0, cwd: '/', name };
}

/**
 * Resolves `word` as the runtime (and a shell, which searches the same PATH) does: a path names a file, the injected
 * busybox and its applet links included; a bare name is looked up along `path`, in the image's directories and in
 * mounted ones. busybox's own `sh` is built without FEATURE_SH_STANDALONE (defconfig, as the docker-library images
 * build it), so a bare `ls` in a shell-less image is not found even inside that busybox's shell unless the applet
 * links are on PATH.
 */
export function resolveProgram(env: ExecEnvironment, word: string, path?: string): Resolved {
  if (word.includes('/')) {
    if (env.injected.includes(word)) return { kind: 'program', name: 'busybox' };
    const dir = word.slice(0, word.lastIndexOf('/')) || '/';
    const mounted = env.mounts[dir];
    if (mounted)
      return mounted.includes(basename(word)) ? { kind: 'program', name: basename(word) } : { kind: 'missing' };
    return hasProgram(env.image, word) ? { kind: 'program', name: basename(word) } : { kind: 'missing' };
  }
  const dirs = (path ?? env.env.find(([k]) => k === 'PATH')?.[1] ?? '').split(':').map((d) => d.replace(/\/+$/, ''));
  for (const dir of dirs) {
    const mounted = env.mounts[dir];
    if (mounted ? mounted.includes(word) : hasProgram(env.image, word)) return { kind: 'program', name: word };
  }
  return { kind: 'missing' };
}

/** What the OCI runtime says when it cannot start `program` (runc: exec.LookPath, then stat). */
export function runtimeNotFound(program: string): string {
  return program.includes('/')
    ? `exec: "${program}": stat ${program}: no such file or directory`
    : `exec: "${program}": executable file not found in $PATH`;
}

const done = (status: number, ...outputs: Output[]): ProgramResult => ({
  kind: 'done',
  status,
  outputs: outputs.filter((o) => o.text !== ''),
});
const out = (text: string): Output => ({ fd: 1, text });
const err = (text: string): Output => ({ fd: 2, text });
const lines = (items: readonly string[]): string => items.map((l) => `${l}\n`).join('');

/** GNU coreutils wording (Debian images and the node) rather than busybox's. */
const isGnu = (env: ExecEnvironment): boolean => env.image.shell === 'dash' || env.onNode;

function idLine(env: ExecEnvironment, argv: readonly string[]): ProgramResult {
  const user = (uid: number): string => {
    const n = env.rootfs.users[uid]?.name;
    return n ? `${uid}(${n})` : String(uid);
  };
  const group = (gid: number): string => {
    const n = env.rootfs.groups[gid]?.name;
    return n ? `${gid}(${n})` : String(gid);
  };
  const flags = argv.slice(1).join('');
  const names = flags.includes('n');
  if (flags.includes('u')) return done(0, out(`${names ? (env.rootfs.users[env.uid]?.name ?? env.uid) : env.uid}\n`));
  if (flags.includes('G')) return done(0, out(`${env.groups.join(' ')}\n`));
  if (flags.includes('g')) return done(0, out(`${env.gid}\n`));
  return done(0, out(`uid=${user(env.uid)} gid=${group(env.gid)} groups=${env.groups.map(group).join(',')}\n`));
}

/** The entries `ls` finds in `dir`, or undefined when the simulator knows no such directory. */
function listing(env: ExecEnvironment, dir: string): readonly string[] | undefined {
  const path = dir === '/' ? '/' : dir.replace(/\/+$/, '');
  if (path === '/') {
    const mounted = Object.keys(env.mounts)
      .filter((m) => m.split('/').length === 2)
      .map((m) => m.slice(1));
    return [...new Set([...env.rootfs.entries, ...mounted])].sort();
  }
  if (env.mounts[path]) return [...(env.mounts[path] ?? [])].sort();
  if (path === '/proc/1/root' && env.pidOneRoot) return env.pidOneRoot.entries;
  const top = path.split('/')[1] ?? '';
  // Directories of the image below `/` exist, but their contents are not modelled: they list as empty.
  return path.split('/').length === 2 && env.rootfs.entries.includes(top) ? [] : undefined;
}

function ls(env: ExecEnvironment, argv: readonly string[], cwd: string): ProgramResult {
  const flags = argv.slice(1).filter((a) => a.startsWith('-') && a !== '-');
  const all = flags.some((f) => f.includes('a'));
  const almost = flags.some((f) => f.includes('A'));
  const paths = argv.slice(1).filter((a) => !a.startsWith('-') || a === '-');
  const targets = paths.length ? paths : [cwd];
  const outputs: Output[] = [];
  let status = 0;
  for (const t of targets) {
    const abs = t.startsWith('/') ? t : `${cwd.replace(/\/$/, '')}/${t}`;
    const entries = listing(env, abs);
    if (abs.replace(/\/+$/, '') === '/proc/1/root' && env.pidOneRoot && !env.pidOneRoot.readable) {
      outputs.push(err(`ls: can't open '${t}': Permission denied\n`));
      status = 1;
      continue;
    }
    if (!entries) {
      outputs.push(
        err(
          isGnu(env)
            ? `ls: cannot access '${t}': No such file or directory\n`
            : `ls: ${t}: No such file or directory\n`,
        ),
      );
      status = isGnu(env) ? 2 : 1;
      continue;
    }
    const dot = abs === '/' ? Object.keys(env.mounts).filter((m) => /^\/\.[^/]+$/.test(m)) : [];
    const visible =
      all || almost ? [...dot.map((m) => m.slice(1)), ...entries] : entries.filter((e) => !e.startsWith('.'));
    const names = [...new Set(visible)].sort();
    if (targets.length > 1) outputs.push(out(`${t}:\n`));
    // Not a terminal (kubectl exec without -t): one entry per line.
    outputs.push(out(lines(all ? ['.', '..', ...names] : names)));
  }
  return done(status, ...outputs);
}

function cat(frame: ShellFrame, argv: readonly string[]): ProgramResult {
  const env = frame.env;
  const files: Record<string, () => string> = {
    '/etc/hostname': () => `${env.hostname}\n`,
    '/etc/passwd': () =>
      lines(
        Object.entries(env.rootfs.users).map(
          ([uid, u]) => `${u.name}:x:${uid}:${u.gid}:${u.name}:${uid === '0' ? '/root' : '/nonexistent'}:/sbin/nologin`,
        ),
      ),
    '/etc/group': () =>
      lines(Object.entries(env.rootfs.groups).map(([gid, g]) => `${g.name}:x:${gid}:${(g.members ?? []).join(',')}`)),
    '/proc/1/cmdline': () => `${env.mainCommand.split(' ').join('\0')}\0`,
  };
  const outputs: Output[] = [];
  let status = 0;
  for (const f of argv.slice(1)) {
    const abs = f.startsWith('/') ? f : `${frame.cwd.replace(/\/$/, '')}/${f}`;
    const read = files[abs];
    if (read) outputs.push(out(read()));
    else {
      outputs.push(
        err(
          isGnu(env) ? `cat: ${f}: No such file or directory\n` : `cat: can't open '${f}': No such file or directory\n`,
        ),
      );
      status = 1;
    }
  }
  return done(status, ...outputs);
}

function ps(env: ExecEnvironment, shells: number): ProgramResult {
  const name = (uid: number): string => env.rootfs.users[uid]?.name ?? String(uid);
  const row = (pid: number, user: string, cmd: string): string =>
    `${String(pid).padStart(5)} ${user.padEnd(8)} 0:00 ${cmd}`;
  const own = env.hostPID
    ? [
        row(1, 'root', '/sbin/init'),
        row(612, 'root', '/usr/bin/containerd'),
        row(731, 'root', '/usr/bin/kubelet'),
        row(2048, name(env.uid), env.mainCommand),
      ]
    : [row(1, name(env.pidOneRoot?.uid ?? env.uid), env.mainCommand)];
  const base = env.hostPID ? 4100 : 7;
  const sh = Array.from({ length: shells }, (_, i) => row(base + i * 6, name(env.uid), 'sh'));
  return done(
    0,
    out(lines(['PID   USER     TIME  COMMAND', ...own, ...sh, row(base + shells * 6, name(env.uid), 'ps')])),
  );
}

/** busybox nsenter.c order: namespaces are entered user, ipc, uts, net, pid, mnt. */
const NS_ORDER = ['user', 'ipc', 'uts', 'net', 'pid', 'mnt'] as const;
const NS_FLAGS: Record<string, (typeof NS_ORDER)[number]> = {
  '-U': 'user',
  '--user': 'user',
  '-i': 'ipc',
  '--ipc': 'ipc',
  '-u': 'uts',
  '--uts': 'uts',
  '-n': 'net',
  '--net': 'net',
  '-p': 'pid',
  '--pid': 'pid',
  '-m': 'mnt',
  '--mount': 'mnt',
};

function nsenter(frame: ShellFrame, argv: readonly string[], ctx: ProgramContext): ProgramResult {
  const wanted = new Set<(typeof NS_ORDER)[number]>();
  let target: string | undefined;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-t' || a === '--target') target = argv[++i];
    else if (a.startsWith('--target=')) target = a.slice('--target='.length);
    else if (NS_FLAGS[a]) wanted.add(NS_FLAGS[a]);
    else if (/^-[a-zA-Z]+$/.test(a) && [...a.slice(1)].every((f) => NS_FLAGS[`-${f}`]))
      for (const f of a.slice(1)) wanted.add(NS_FLAGS[`-${f}`] as (typeof NS_ORDER)[number]);
    else if (a.startsWith('-')) return done(1, err(`nsenter: unrecognized option '${a}'\n`));
    else break;
  }
  const command = argv.slice(i);
  const env = frame.env;
  const first = NS_ORDER.find((n) => wanted.has(n));
  if (first && target === undefined)
    return done(1, err(`nsenter: neither filename nor target pid supplied for ns/${first}\n`));
  let next = env;
  if (first) {
    // Without CAP_SYS_ADMIN (a container that is not privileged) setns(2) fails; with hostPID, PID 1 is the node's
    // init, whose namespace files only a privileged container may open.
    if (!env.privileged) {
      return env.hostPID && target === '1'
        ? done(1, err(`nsenter: can't open '/proc/1/ns/${first}': Permission denied\n`))
        : done(1, err(`nsenter: setns(): can't reassociate to namespace '${first}': Operation not permitted\n`));
    }
    if (env.hostPID && target === '1' && (wanted.has('mnt') || wanted.has('uts'))) next = enterNode(env);
  }
  const child = newFrame(next, frame.name);
  child.exported = new Map(frame.exported);
  return launch(child, command.length ? command : [frame.exported.get('SHELL') ?? '/bin/sh'], ctx);
}

/**
 * Starts `argv` in `frame`'s environment: a modelled program answers at once (programs the simulator does not model
 * run and succeed silently); a shell with no script and stdin open reads commands from stdin.
 */
export function launch(frame: ShellFrame, argv: readonly string[], ctx: ProgramContext): ProgramResult {
  const word = argv[0] ?? '';
  const resolved = resolveProgram(frame.env, word, frame.exported.get('PATH'));
  if (resolved.kind === 'missing') return done(127, err(notFoundLine(frame, word)));
  return runNamed(frame, resolved.name, argv, ctx);
}

/** How the shell reports a command it cannot find: busybox ash, dash (`sh: 1: x: not found`) or bash. */
function notFoundLine(frame: ShellFrame, word: string): string {
  if (frame.name === 'bash') return `bash: line 1: ${word}: command not found\n`;
  if (frame.env.image.shell === 'dash' || frame.env.onNode) return `${frame.name}: 1: ${word}: not found\n`;
  return `${frame.name}: ${word}: not found\n`;
}

function runNamed(frame: ShellFrame, name: string, argv: readonly string[], ctx: ProgramContext): ProgramResult {
  const env = frame.env;
  switch (name) {
    case 'busybox': {
      const applet = argv[1];
      if (applet === undefined) return done(0, out('BusyBox v1.37.0 multi-call binary.\n'));
      if (applet === '--list') return done(0, out(lines(BUSYBOX_APPLETS)));
      if (applet === '--install') return done(0);
      if (!BUSYBOX_APPLETS.includes(basename(applet))) return done(127, err(`${applet}: applet not found\n`));
      return runNamed(frame, basename(applet), argv.slice(1), ctx);
    }
    case 'id':
      return idLine(env, argv);
    case 'whoami': {
      const n = env.rootfs.users[env.uid]?.name;
      return n ? done(0, out(`${n}\n`)) : done(1, err(`whoami: unknown uid ${env.uid}\n`));
    }
    case 'hostname':
      return done(0, out(`${env.hostname}\n`));
    case 'uname': {
      const f = argv[1] ?? '-s';
      const value = f === '-n' ? env.hostname : f === '-m' ? 'x86_64' : 'Linux';
      return done(0, out(`${value}\n`));
    }
    case 'ls':
      return ls(env, argv, frame.cwd);
    case 'cat':
      return cat(frame, argv);
    case 'env':
    case 'printenv': {
      const names = argv.slice(1);
      if (!names.length) return done(0, out(lines([...frame.exported].map(([k, v]) => `${k}=${v}`))));
      const found = names.filter((n) => frame.exported.has(n));
      return done(found.length === names.length ? 0 : 1, out(lines(found.map((n) => frame.exported.get(n) as string))));
    }
    case 'ps':
      return ps(env, ctx.shells);
    case 'pwd':
      return done(0, out(`${frame.cwd}\n`));
    case 'echo':
      return echo(argv);
    case 'true':
      return done(0);
    case 'false':
      return done(1);
    case 'sleep':
      // Exec'd commands answer at once: a sleep returns without waiting (see README).
      return /^\d+(\.\d+)?[smhd]?$|^infinity$/.test(argv[1] ?? '')
        ? done(0)
        : done(1, err(`sleep: invalid number '${argv[1] ?? ''}'\n`));
    case 'nsenter':
      return nsenter(frame, argv, ctx);
    default:
      if (SHELLS.has(name)) return shell(frame, name, argv, ctx);
      return done(0);
  }
}

function echo(argv: readonly string[]): ProgramResult {
  const noNewline = argv[1] === '-n';
  const words = argv.slice(noNewline ? 2 : 1);
  return done(0, out(`${words.join(' ')}${noNewline ? '' : '\n'}`));
}

/** `sh -c 'script'` runs the script; `sh`, `sh -l`, `sh -i`, `sh -s` read commands from stdin (none: exit 0). */
function shell(frame: ShellFrame, name: string, argv: readonly string[], ctx: ProgramContext): ProgramResult {
  const args = argv.slice(1);
  const c = args.indexOf('-c');
  const child: ShellFrame = {
    ...newFrame(frame.env, name === 'bash' ? 'bash' : 'sh'),
    exported: new Map(frame.exported),
    cwd: frame.cwd,
  };
  if (c >= 0) {
    const script = args[c + 1];
    if (script === undefined) return done(2, err(`${child.name}: -c requires an argument\n`));
    if (args[c + 2] !== undefined) child.name = args[c + 2] as string;
    return ctx.runScript(child, script, ctx.stdin);
  }
  if (!ctx.stdin) return done(0);
  return { kind: 'shell', frame: child, outputs: [] };
}
