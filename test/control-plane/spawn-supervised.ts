import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** A component we started, in its own process group, logging to a file. */
export interface SupervisedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<string>;
  /** How it ended (`exit 1`, `SIGKILL`), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<SupervisedProcess>();
let exitHookInstalled = false;

/**
 * Starts `binary` in a new process group (so a stop reaches anything it forked) with a watchdog: a `sh` that reads
 * its stdin from us and, when that pipe closes because we died without stopping it (SIGKILL, a crashed test
 * worker), kills the group and removes `removeWhenOrphaned` (a working directory). A clean exit of this process
 * kills the groups synchronously too.
 */
export function spawnSupervised(
  name: string,
  binary: string,
  args: string[],
  logFile: string,
  options: { removeWhenOrphaned?: string } = {},
): SupervisedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name} did not start (${binary})`);
  const pid = child.pid;
  // dash's kill takes neither `--` nor `-s`: `kill -9 -PGID`.
  const script = 'read _ignored; kill -9 "-$1" 2>/dev/null; if [ -n "$2" ]; then sleep 1; rm -rf "$2"; fi';
  const watchdog = spawn('sh', ['-c', script, 'watchdog', String(pid), options.removeWhenOrphaned ?? ''], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor our end of its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as Socket | null)?.unref();
  let status: string | undefined;
  const exited = new Promise<string>((resolve) => {
    const end = (how: string) => {
      status = how;
      resolve(how);
    };
    child.once('exit', (code, signal) => end(signal ?? `exit ${code}`));
    child.once('error', (e) => end(`failed: ${e.message}`));
  });

  const handle: SupervisedProcess = {
    name,
    pid,
    logFile,
    exited,
    exitStatus: () => status,
    tail: (lines = 30) => tailOf(logFile, lines),
    stop: async (graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything the component forked dies with it.
      killGroup(pid, 'SIGKILL');
      retireWatchdog(watchdog);
      live.delete(handle);
    },
  };
  live.add(handle);
  installExitHook();
  return handle;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function retireWatchdog(watchdog: ChildProcess): void {
  watchdog.kill('SIGKILL');
  watchdog.stdin?.destroy();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: signals only.
  process.once('exit', () => {
    for (const p of live) killGroup(p.pid, 'SIGKILL');
  });
}

function tailOf(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
