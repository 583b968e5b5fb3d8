/**
 * Linux signal names by number (x86-64/arm64 numbering, signal(7)). The kernel reports a signal death as
 * exit code 128 + n, which is what the container runtime passes on as exitCode.
 */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  16: 'SIGSTKFLT',
  17: 'SIGCHLD',
  18: 'SIGCONT',
  19: 'SIGSTOP',
  20: 'SIGTSTP',
  21: 'SIGTTIN',
  22: 'SIGTTOU',
  23: 'SIGURG',
  24: 'SIGXCPU',
  25: 'SIGXFSZ',
  26: 'SIGVTALRM',
  27: 'SIGPROF',
  28: 'SIGWINCH',
  29: 'SIGIO',
  30: 'SIGPWR',
  31: 'SIGSYS',
};

/** Highest signal number the kernel delivers (SIGRTMAX). */
export const SIGRTMAX = 64;

/** The name of signal n: SIGKILL for 9, SIGRTMIN+2 for 36; undefined outside 1..64. */
export function signalName(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > SIGRTMAX) return undefined;
  const named = SIGNAL_NAMES[n];
  if (named) return named;
  // 32 and 33 are real-time signals glibc keeps for its threads; user-visible SIGRTMIN is 34.
  if (n < 34) return `SIG${n}`;
  return n === 34 ? 'SIGRTMIN' : n === SIGRTMAX ? 'SIGRTMAX' : `SIGRTMIN+${n - 34}`;
}
