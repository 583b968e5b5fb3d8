import { cutAround } from './cut-around.js';
import { findTellingLine, type TellingLine } from './pick-telling-line.js';
import type { TerminationFacts } from './types.js';

/**
 * The kubelet keeps at most 4096 bytes of a termination message, and with terminationMessagePolicy
 * FallbackToLogsOnError at most the last 80 lines of the log (pkg/kubelet/kuberuntime: maxTerminationMessageLength,
 * kubecontainer.MaxContainerTerminationMessageLogLines).
 */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
export const TERMINATION_MESSAGE_MAX_LINES = 80;

/** Log lines examined for the telling line: the crash is at the end. */
const TAIL_LINES = 300;

/** The line that best tells why a container died, and where it was read. */
export interface CrashStory {
  telling?: TellingLine & { source: 'log' | 'termination message' };
  /** Evidence lines about the termination message, empty when there is none. */
  terminationEvidence: string[];
}

/** Terminated reasons whose message is the runtime's or kubelet's, not the application's. */
const RUNTIME_REASONS = new Set(['StartError', 'ContainerCannotRun', 'ContainerStatusUnknown', 'OOMKilled']);

function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  while (all.length && (all[all.length - 1] ?? '').trim() === '') all.pop();
  return all.slice(-TAIL_LINES).map((l) => l.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').trimEnd());
}

/** Whether the kubelet may have cut the message: it reached one of its limits. */
export function terminationMessageCut(message: string): boolean {
  return (
    Buffer.byteLength(message, 'utf8') >= TERMINATION_MESSAGE_MAX_BYTES ||
    message.replace(/\n$/, '').split('\n').length >= TERMINATION_MESSAGE_MAX_LINES
  );
}

/**
 * Weighs the crashed instance's log against its termination message (what the app wrote to
 * terminationMessagePath, or the kubelet's log tail under FallbackToLogsOnError): the more telling line wins, the
 * message when the log says nothing (a log shipped elsewhere, or a process that died before logging).
 */
export function crashStory(logText: string | undefined, t: TerminationFacts | undefined, maxLine = 280): CrashStory {
  const fromLog = logText ? findTellingLine(lines(logText)) : undefined;
  const message = t?.message && !(t.reason && RUNTIME_REASONS.has(t.reason)) ? t.message : undefined;
  if (!message || message.trim() === '') {
    return { ...(fromLog ? { telling: { ...fromLog, source: 'log' } } : {}), terminationEvidence: [] };
  }
  const msgLines = lines(message);
  // Under FallbackToLogsOnError the message is the log's own tail: when the log was read, it says nothing new.
  const lastWords = msgLines
    .filter((l) => l.trim() !== '')
    .pop()
    ?.trim();
  if (logText && lastWords && logText.includes(lastWords)) {
    return {
      ...(fromLog ? { telling: { ...fromLog, source: 'log' } } : {}),
      terminationEvidence: [],
    };
  }
  const fromMessage =
    findTellingLine(msgLines) ??
    // An app's own termination message is its last word even without an error word in it.
    ((): TellingLine | undefined => {
      const last = msgLines.filter((l) => l.trim() !== '').pop();
      return last ? { score: 0, severity: 0, text: last.trim(), index: msgLines.lastIndexOf(last) } : undefined;
    })();
  const useMessage = fromMessage && (!fromLog || fromMessage.score > fromLog.score);
  const shown = fromMessage ? cutAround(fromMessage.text, maxLine, fromMessage.phrase) : '';
  const evidence = [
    `termination message${msgLines.length > 1 ? ` (${msgLines.length} lines)` : ''}: ${shown}`,
    ...(terminationMessageCut(message)
      ? [
          `the termination message may be cut: the kubelet keeps at most ${TERMINATION_MESSAGE_MAX_BYTES} bytes (and ${TERMINATION_MESSAGE_MAX_LINES} log lines under FallbackToLogsOnError)`,
        ]
      : []),
  ];
  const telling = useMessage
    ? { ...fromMessage, source: 'termination message' as const }
    : fromLog
      ? { ...fromLog, source: 'log' as const }
      : undefined;
  return { ...(telling ? { telling } : {}), terminationEvidence: evidence };
}

/** The telling line for a summary, cut around its phrase. */
export function tellingSummary(story: CrashStory, max = 200): string | undefined {
  const t = story.telling;
  return t ? cutAround(t.text, max, t.phrase) : undefined;
}
