/** One dependency's state as /readyz reports it. */
export interface CheckResult {
  ok: boolean;
  /** Why not, as a sentence an operator can act on. */
  reason?: string;
}

/** The readiness verdict and the text /readyz answers with (one line per check, as the API server's /readyz?verbose). */
export interface Readiness {
  ready: boolean;
  text: string;
}

/** Ready when every check is; the text lists each check `[+]name ok` or `[-]name failed: reason`, in name order. */
export function judgeReadiness(checks: Readonly<Record<string, CheckResult>>): Readiness {
  const names = Object.keys(checks).sort();
  const lines = names.map((name) => {
    const c = checks[name] as CheckResult;
    return c.ok ? `[+]${name} ok` : `[-]${name} failed: ${c.reason ?? 'not ready'}`;
  });
  const ready = names.every((name) => checks[name]?.ok);
  return { ready, text: `${lines.join('\n')}\n${ready ? 'readyz check passed' : 'readyz check failed'}\n` };
}
