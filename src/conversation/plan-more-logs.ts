import type { ContainerDiagnosis, ContainerLogFacts, Fetched, LogCut } from '../diagnosis/index.js';
import { escapeMrkdwn } from '../render/index.js';
import {
  attemptsOf,
  hasRun,
  type LogInstance,
  MORE_LOG_LINES,
  type MoreLogsPick,
  type SinceWindow,
} from './more-logs-menu.js';

/** What the thread's logs were read with (config `logs`). */
export interface ThreadLogs {
  tailLines: number;
  limitBytes: number;
}

/** How a pick reads the container's logs again: through the same pipeline as a diagnosis, with these options. */
export interface MoreLogsRead {
  tailLines: number;
  limitBytes: number;
  sinceSeconds?: number;
}

/** Lines at most of a "Last 1 h" window: it is a Slack thread, not a log store. */
export const SINCE_MAX_LINES = 2000;
/** A More logs read may take this many times `logs.limitBytes`: it reads more lines than the thread. */
export const MORE_LOGS_BYTES_FACTOR = 4;

/**
 * The read a pick needs: for older lines, the thread's tail plus MORE_LOG_LINES (the kubelet serves the last N lines,
 * so the older part is the head of a longer tail); for a window, sinceSeconds capped at SINCE_MAX_LINES; for the newest
 * instance, what the thread read. Pure.
 */
export function moreLogsRead(pick: Pick<MoreLogsPick, 'range'>, thread: ThreadLogs): MoreLogsRead {
  const limitBytes = thread.limitBytes * MORE_LOGS_BYTES_FACTOR;
  switch (pick.range.kind) {
    case 'older':
      return { tailLines: thread.tailLines + MORE_LOG_LINES, limitBytes };
    case 'since':
      return { tailLines: SINCE_MAX_LINES, limitBytes, sinceSeconds: pick.range.seconds };
    case 'newer':
      return { tailLines: thread.tailLines, limitBytes: thread.limitBytes };
  }
}

/** The answer to a pick: the sentence posted in the thread, the log to post under it (if any), the audit words. */
export interface MoreLogsAnswer {
  header: string;
  log?: { instance: LogInstance; text: string };
  /** For the audit record: what was asked and what came of it. */
  detail: string;
}

export interface MoreLogsFacts {
  pick: MoreLogsPick;
  /** The container's name (from the diagnosis record). */
  container: string;
  pod: { namespace: string; name: string };
  user: string;
  /** The container as it is now; undefined when the pod no longer has it. */
  status: ContainerDiagnosis | undefined;
  /** Its logs as read now with `read` (redacted, duplicate instances folded, as for a diagnosis). */
  logs: ContainerLogFacts | undefined;
  read: MoreLogsRead;
  thread: ThreadLogs;
  now: Date;
}

/** One instance as readable now: its attempt, the kubectl flag that reads it, its log and how the read was cut. */
interface Instance {
  attempt: number;
  flag: LogInstance;
  log: Fetched<string>;
  cut?: LogCut | undefined;
}

/**
 * The instances readable now. For a container waiting in back-off the kubelet serves the last ended instance for both
 * reads, and the pipeline keeps it once (as previous): one instance, the newest.
 */
function instancesNow(c: ContainerDiagnosis, l: ContainerLogFacts | undefined): Instance[] {
  if (!l) return [];
  const attempts = attemptsOf(c);
  const out: Instance[] = [];
  if (attempts.current === attempts.previous) {
    const log = l.previous ?? l.current;
    const cut = l.previous ? l.cut?.previous : l.cut?.current;
    if (log) out.push({ attempt: attempts.current, flag: l.previous ? 'previous' : 'current', log, cut });
    return out;
  }
  if (l.current) out.push({ attempt: attempts.current, flag: 'current', log: l.current, cut: l.cut?.current });
  if (l.previous) out.push({ attempt: attempts.previous, flag: 'previous', log: l.previous, cut: l.cut?.previous });
  return out;
}

/** Lines of a log body (a final newline ends the last line, it does not start another). */
function linesOf(text: string): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body === '' ? [] : body.split('\n');
}

export type OlderSlice =
  /** `before`: the lines before the thread's; `fromStart`: nothing earlier exists. */
  | { by: 'lines'; before: string[]; fromStart: boolean }
  /** The kubelet stopped at limitBytes: the first complete `lines` of the longer tail; where the thread's begin is unknown. */
  | { by: 'bytes'; lines: string[] };

/**
 * The lines before what the thread showed, from a read of the last `shown + more` lines: its head. The thread showed
 * the last `shown` lines. A read the kubelet cut at limitBytes holds the head of that tail only (the kubelet applies
 * tailLines, then limitBytes), and then where the thread's lines begin is not known: its complete lines are returned
 * as they are, at most `more`, and the caller says so. Lines are counted after redaction, which may fold a multi-line
 * key into one line. Pure.
 */
export function sliceOlderLines(text: string, cut: LogCut | undefined, shown: number, more: number): OlderSlice {
  if (cut?.by === 'bytes') {
    const lines = linesOf(text);
    // The last line may stop mid-way (the kubelet's LimitWriter cuts bytes, not lines).
    const complete = text.endsWith('\n') ? lines : lines.slice(0, -1);
    return { by: 'bytes', lines: complete.slice(0, more) };
  }
  const lines = linesOf(text);
  const before = lines.slice(0, Math.max(0, lines.length - shown)).slice(-more);
  return { by: 'lines', before, fromStart: cut === undefined };
}

const SINCE_FLAG: Record<SinceWindow, string> = { 3600: '1h', 21600: '6h' };
const SINCE_WORDS: Record<SinceWindow, string> = { 3600: '1 h', 21600: '6 h' };

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `in about 3 min`, from the last termination and the back-off the kubelet announced. */
function nextStart(c: ContainerDiagnosis, now: Date): string {
  const finished = c.lastTermination?.finishedAt ? Date.parse(c.lastTermination.finishedAt) : Number.NaN;
  if (c.backOffSeconds === undefined || Number.isNaN(finished)) {
    // The kubelet doubles the back-off from 10 s up to 5 min.
    return 'within 5 min (the longest back-off)';
  }
  const seconds = Math.round((finished + c.backOffSeconds * 1000 - now.getTime()) / 1000);
  if (seconds <= 0) return 'any moment now';
  return seconds < 90 ? `in about ${seconds} s` : `in about ${Math.round(seconds / 60)} min`;
}

/**
 * What to post for a pick, from the container as it is now and its logs read again: older lines of the very instance
 * the thread showed (or why they are gone), a window of the last hours, or the newest instance, said honestly when
 * there is none yet (a container waiting in back-off has no newer instance, and reposting the last crash would
 * mislead). Pure.
 */
export function planMoreLogs(f: MoreLogsFacts): MoreLogsAnswer {
  const { pick, container, status: c } = f;
  const name = `\`${container}\``;
  const who = `for <@${f.user}>`;
  const kubectl = (flag: LogInstance, extra: string) =>
    `\`kubectl logs -n ${f.pod.namespace} ${f.pod.name} -c ${container}${flag === 'previous' ? ' --previous' : ''}${extra}\``;
  const asked =
    pick.range.kind === 'older'
      ? `older ${MORE_LOG_LINES} lines of the ${pick.instance} instance`
      : pick.range.kind === 'since'
        ? `last ${SINCE_WORDS[pick.range.seconds]} of the ${pick.instance} instance`
        : 'the newest instance';
  const detail = (outcome: string) => `more logs: ${container}, ${asked} (restart ${pick.attempt}): ${outcome}`;
  if (!c) {
    return {
      header: `:x: More logs of ${name}, ${who}: the pod has no container ${name} any more.`,
      detail: detail('container gone'),
    };
  }
  const instances = instancesNow(c, f.logs);
  const unreadable = (flag: LogInstance, log: { kind: string; message: string }): MoreLogsAnswer => ({
    header: `:warning: More logs of ${name}, ${flag} instance, ${who}: could not be read: ${escapeMrkdwn(`${log.kind}: ${log.message}`).slice(0, 400)}`,
    detail: detail(`unreadable (${log.kind})`),
  });

  if (pick.range.kind === 'older') {
    const at = instances.find((i) => i.attempt === pick.attempt);
    if (!at) {
      return {
        header: `:hourglass: More logs of ${name}, ${who}: the instance the thread showed (restart ${pick.attempt}) is gone: the container restarted since (restart ${c.restartCount} now), and the kubelet keeps only the last ended instance. Run \`/debugdead\` again for the newest.`,
        detail: detail('instance gone'),
      };
    }
    if (!at.log.ok) return unreadable(at.flag, at.log);
    const label = `More logs of ${name}, ${at.flag} instance (restart ${at.attempt}), ${who}`;
    const slice = sliceOlderLines(at.log.value, at.cut, f.thread.tailLines, MORE_LOG_LINES);
    // The thread's lines were the last then; an instance that kept writing is counted from its end now.
    const stillWriting =
      at.flag === 'current' && c.state === 'running'
        ? ' (it is still writing: counted from its end now)'
        : pick.instance === 'current' && at.flag === 'previous'
          ? ' (it ran on after the thread and ended: counted from its end)'
          : '';
    if (slice.by === 'bytes') {
      return {
        header: `:mag: ${label}: the first ${plural(slice.lines.length, 'line')} of its last ${f.read.tailLines}. The kubelet stopped the read at ${formatBytes(f.read.limitBytes)} (${MORE_LOGS_BYTES_FACTOR} × logs.limitBytes), so where the thread's lines begin is not known, and some may repeat them. The whole log: ${kubectl(at.flag, '')}`,
        ...(slice.lines.length ? { log: { instance: at.flag, text: slice.lines.join('\n') } } : {}),
        detail: detail(`${slice.lines.length} lines, cut at ${f.read.limitBytes} bytes`),
      };
    }
    if (slice.before.length === 0) {
      return {
        header: `:mag: ${label}: nothing before the lines the thread showed; it showed the whole log${stillWriting}.`,
        detail: detail('no older lines'),
      };
    }
    const start = slice.fromStart
      ? `; the log starts there${slice.before.length < MORE_LOG_LINES ? ` (only ${slice.before.length} earlier lines)` : ''}`
      : `. Earlier lines: ${kubectl(at.flag, ` --tail=${f.read.tailLines + MORE_LOG_LINES}`)}`;
    return {
      header: `:mag: ${label}: the ${plural(slice.before.length, 'line')} before the last ${f.thread.tailLines} the thread showed${stillWriting}${start}.`,
      log: { instance: at.flag, text: slice.before.join('\n') },
      detail: detail(`${slice.before.length} lines`),
    };
  }

  if (pick.range.kind === 'since') {
    const window = SINCE_WORDS[pick.range.seconds];
    // Waiting in back-off there is one instance, the last ended; otherwise the one named.
    const at =
      instances.length === 1 && attemptsOf(c).current === attemptsOf(c).previous
        ? instances[0]
        : instances.find((i) => i.flag === pick.instance);
    if (!at) {
      return {
        header: `:mag: More logs of ${name}, ${who}: no ${pick.instance} instance to read${hasRun(c) ? '' : ' (it has not started)'}.`,
        detail: detail(`no ${pick.instance} instance`),
      };
    }
    if (!at.log.ok) return unreadable(at.flag, at.log);
    const label = `More logs of ${name}, ${at.flag} instance (restart ${at.attempt}), ${who}`;
    const lines = linesOf(at.log.value);
    const complete = at.cut?.by === 'bytes' && !at.log.value.endsWith('\n') ? lines.slice(0, -1) : lines;
    if (complete.length === 0) {
      return {
        header: `:mag: ${label}: nothing written in the last ${window}.`,
        detail: detail('no lines in the window'),
      };
    }
    const flag = ` --since=${SINCE_FLAG[pick.range.seconds]}`;
    const capped =
      at.cut?.by === 'tail'
        ? `, capped at its last ${plural(complete.length, 'line')}: earlier lines of the window are not shown (${kubectl(at.flag, flag)})`
        : at.cut?.by === 'bytes'
          ? `, its first ${formatBytes(f.read.limitBytes)} (the read's limit): later lines are not shown (${kubectl(at.flag, flag)})`
          : `: ${plural(complete.length, 'line')}`;
    return {
      header: `:mag: ${label}: the last ${window}${capped}.`,
      log: { instance: at.flag, text: complete.join('\n') },
      detail: detail(`${complete.length} lines${at.cut ? `, cut by ${at.cut.by}` : ''}`),
    };
  }

  // The newest instance, when newer than the thread's.
  const newest = instances.reduce<Instance | undefined>((a, i) => (a && a.attempt >= i.attempt ? a : i), undefined);
  if (!newest || newest.attempt < pick.attempt) {
    const waiting = c.state === 'waiting';
    const why = !hasRun(c)
      ? `${name} has not started yet${c.reason ? ` (${c.reason})` : ''}, so it has no log`
      : waiting && c.lastTermination
        ? `no newer instance yet: the container is waiting in back-off (${c.reason ?? 'CrashLoopBackOff'}), next start ${nextStart(c, f.now)}; the thread already shows its last run (restart ${attemptsOf(c).previous})`
        : 'no newer instance than the one the thread showed';
    return { header: `:hourglass: More logs of ${name}, ${who}: ${why}.`, detail: detail('no newer instance') };
  }
  if (!newest.log.ok) return unreadable(newest.flag, newest.log);
  const ended =
    newest.flag === 'previous' || c.state === 'terminated'
      ? `; it has ended${c.lastTermination && newest.flag === 'previous' ? ` (exit ${c.lastTermination.exitCode})` : ''}`
      : c.state === 'running'
        ? '; it is running'
        : '';
  const lines = linesOf(newest.log.value);
  const cut = !lines.length
    ? 'no output'
    : newest.cut?.by === 'tail'
      ? `its last ${plural(lines.length, 'line')}`
      : plural(lines.length, 'line');
  return {
    header: `:mag: More logs of ${name}, newest instance (restart ${newest.attempt}), ${who}: ${cut}${ended}.`,
    ...(lines.length ? { log: { instance: newest.flag, text: lines.join('\n') } } : {}),
    detail: detail(`restart ${newest.attempt}, ${lines.length} lines`),
  };
}
