const UNIT_SECONDS: Readonly<Record<string, number>> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
  us: 0.000001,
  µs: 0.000001,
  ns: 1e-9,
};

/** Parses a Go duration ("5m0s", "1m20s", "40s", "1h0m0s", "500ms") into seconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/gy;
  let total = 0;
  let matched = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length) return undefined;
  return total;
}

/**
 * The back-off the kubelet announced in a CrashLoopBackOff waiting message:
 * `back-off 5m0s restarting failed container=app pod=web-1_ns(<uid>)` → 300. Back-off doubles from 10 s to 5 min.
 */
export function parseBackOffSeconds(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /back-off (\S+) restarting failed/i.exec(message);
  return m?.[1] ? parseGoDuration(m[1]) : undefined;
}
