import type { ScriptLine } from './plan-container.js';

/** The query parameters of `pods/{name}/log` that shape the text (the container is resolved before). */
export interface LogParams {
  container: string;
  previous?: boolean;
  tailLines?: number;
  limitBytes?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
}

/** One run of a container: its output is its script up to now (or until it finished). */
export interface InstanceLog {
  startedAt: number;
  finishedAt?: number;
  script: readonly ScriptLine[];
  /** Values for the script's `{{restart}}`, `{{pod}}`, `{{podIP}}` placeholders. */
  vars: { restart: number; pod: string; podIP: string };
}

/**
 * `2026-11-23T09:00:01.123004729Z`: the CRI log format, always nine fractional digits (kuberuntime_logs.go
 * timeFormatOut). The sub-millisecond digits are made up per line, stable across reads.
 */
export function logTimestamp(ms: number, line: number): string {
  const iso = new Date(ms).toISOString(); // ...T09:00:01.123Z
  const micro = String((line * 104_729 + 7_919) % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 23)}${micro}Z`;
}

function fill(text: string, at: number, vars: InstanceLog['vars']): string {
  if (!text.includes('{{')) return text;
  return text
    .replaceAll('{{time}}', new Date(at).toISOString())
    .replaceAll('{{restart}}', String(vars.restart))
    .replaceAll('{{pod}}', vars.pod)
    .replaceAll('{{podIP}}', vars.podIP);
}

/** The printed lines of one instance as of `now`, with their times. */
export function instanceLines(log: InstanceLog, now: number): { at: number; text: string }[] {
  const end = Math.min(now, log.finishedAt ?? now);
  const out: { at: number; text: string }[] = [];
  for (const l of log.script) {
    const at = log.startedAt + l.at;
    if (at > end) break;
    out.push({ at, text: fill(l.text, at, log.vars) });
  }
  return out;
}

/**
 * The body the kubelet serves: sinceSeconds, then tailLines, then timestamps, then limitBytes (cut mid-line if need
 * be, as the kubelet's LimitWriter does).
 */
export function renderLog(log: InstanceLog | undefined, params: LogParams, now: number): string {
  if (!log) return '';
  let lines = instanceLines(log, now).map((l, i) => ({ ...l, i }));
  if (params.sinceSeconds !== undefined) {
    const since = now - params.sinceSeconds * 1000;
    lines = lines.filter((l) => l.at >= since);
  }
  if (params.tailLines !== undefined) lines = params.tailLines <= 0 ? [] : lines.slice(-params.tailLines);
  let body = lines.map((l) => (params.timestamps ? `${logTimestamp(l.at, l.i)} ${l.text}\n` : `${l.text}\n`)).join('');
  if (params.limitBytes !== undefined && params.limitBytes >= 0) {
    const buf = Buffer.from(body, 'utf8');
    if (buf.length > params.limitBytes) body = buf.subarray(0, params.limitBytes).toString('utf8');
  }
  return body;
}

/**
 * The terminated state's `message` under `terminationMessagePolicy: FallbackToLogsOnError` when the container
 * failed and wrote no termination message: the last 80 lines, at most 2048 bytes (kubelet kuberuntime_container.go).
 */
export function fallbackMessage(log: InstanceLog, now: number): string {
  const text = instanceLines(log, now)
    .slice(-80)
    .map((l) => `${l.text}\n`)
    .join('');
  const buf = Buffer.from(text, 'utf8');
  return buf.length > 2048 ? buf.subarray(buf.length - 2048).toString('utf8') : text;
}
