import { signalName } from './signals.js';
import type { ExitCodeExplanation } from './types.js';

/** What is known about the instance besides its exit code. */
export interface ExitCodeContext {
  /** The pod's (or sidecar's) restart policy: Always, OnFailure, Never. */
  restartPolicy?: string;
  /** The terminated reason the kubelet reported: Error, Completed, OOMKilled, StartError, ContainerCannotRun... */
  reason?: string;
}

/** What the usual signals mean for a container, beyond their name. */
const SIGNAL_MEANINGS: Readonly<Record<string, string>> = {
  SIGHUP: 'hangup: the controlling terminal closed or someone asked the process to reload',
  SIGINT: 'interrupted (Ctrl-C or an explicit SIGINT)',
  SIGQUIT: 'quit requested, usually with a core dump',
  SIGILL: 'illegal instruction: a binary built for another CPU or a corrupted one',
  SIGTRAP: 'trace/breakpoint trap: a debugger or a runtime assertion',
  SIGABRT: 'aborted itself: a failed assertion, abort() or an uncaught C++ exception',
  SIGBUS: 'bus error: bad memory access, often a truncated memory-mapped file',
  SIGFPE: 'arithmetic fault such as an integer division by zero',
  SIGKILL: 'often the OOM killer or a failed liveness probe (SIGKILL after the grace period)',
  SIGUSR1: 'user signal 1 that the process did not handle',
  SIGSEGV: 'segmentation fault: invalid memory access in native code',
  SIGUSR2: 'user signal 2 that the process did not handle',
  SIGPIPE: 'wrote to a pipe or socket whose reader had gone',
  SIGALRM: 'an alarm timer fired that the process did not handle',
  SIGTERM: 'asked to stop: the kubelet sends SIGTERM on deletion, eviction or a failed liveness probe',
  SIGXCPU: 'exceeded its CPU time limit (RLIMIT_CPU)',
  SIGXFSZ: 'exceeded the maximum file size (RLIMIT_FSIZE)',
  SIGSYS: 'a forbidden system call, often blocked by seccomp',
};

/** sysexits.h conventions (64..78), which many daemons and CLIs follow. */
const SYSEXITS: Readonly<Record<number, string>> = {
  64: 'EX_USAGE: the command was used incorrectly (bad arguments or flags)',
  65: 'EX_DATAERR: the input data was incorrect',
  66: 'EX_NOINPUT: an input file did not exist or was not readable',
  67: 'EX_NOUSER: an addressee was unknown',
  68: 'EX_NOHOST: a host name was unknown',
  69: 'EX_UNAVAILABLE: a service was unavailable',
  70: 'EX_SOFTWARE: an internal software error',
  71: 'EX_OSERR: an operating system error (e.g. cannot fork)',
  72: 'EX_OSFILE: a system file was missing or wrong',
  73: 'EX_CANTCREAT: an output file could not be created',
  74: 'EX_IOERR: an input/output error',
  75: 'EX_TEMPFAIL: a temporary failure; retrying may work',
  76: 'EX_PROTOCOL: a remote system answered with a protocol error',
  77: 'EX_NOPERM: insufficient permission',
  78: 'EX_CONFIG: a configuration error',
};

/**
 * Explains a container exit code in one sentence a person understands. The reason wins where it is more precise
 * than the code: OOMKilled is the kernel's OOM killer whatever the code, StartError means the process never ran.
 */
export function explainExitCode(code: number, ctx: ExitCodeContext = {}): ExitCodeExplanation {
  const signal = code > 128 && code <= 128 + 64 ? signalName(code - 128) : undefined;
  const base = signal ? { code, signal } : { code };
  if (ctx.reason === 'OOMKilled') {
    return {
      ...base,
      meaning: 'killed by the kernel OOM killer: the container used more memory than its limit',
    };
  }
  if (ctx.reason === 'StartError' || ctx.reason === 'ContainerCannotRun') {
    return {
      ...base,
      meaning: `the runtime could not start the process (${ctx.reason}): wrong command, missing binary or not executable`,
    };
  }
  return { ...base, meaning: meaningOf(code, signal, ctx) };
}

function meaningOf(code: number, signal: string | undefined, ctx: ExitCodeContext): string {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    return `unusual exit code ${code} reported by the runtime (exit codes are 0..255)`;
  }
  if (code === 0) {
    return ctx.restartPolicy === 'Always'
      ? 'exited cleanly (0), but restartPolicy Always restarts it: a long-running process is expected, so exiting at all is the problem'
      : 'exited cleanly (success)';
  }
  if (code === 1) return 'general application error: the process reported a failure (read its logs)';
  if (code === 2) return 'misuse of a shell builtin or a command-line usage error (bad flag or argument)';
  if (code === 126) return 'command found but not executable (permission denied or not a binary)';
  if (code === 127) return 'command not found: the executable is not in the image or not on $PATH';
  if (code === 128) return 'invalid exit argument, or the runtime failed to start the process (StartError)';
  if (code === 125) return 'the container runtime itself failed to run the container';
  if (code === 255) return 'exit status out of range (exit(-1)) or a fatal error the program did not classify';
  if (signal) {
    const n = code - 128;
    const why = SIGNAL_MEANINGS[signal];
    return why ? `killed by ${signal} (signal ${n}): ${why}` : `killed by ${signal} (signal ${n})`;
  }
  const sysexit = SYSEXITS[code];
  if (sysexit) return `application-defined failure; by convention ${sysexit}`;
  return `application-defined failure (exit ${code}): the program's own code, see its logs`;
}
