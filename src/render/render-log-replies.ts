import type { ContainerDiagnosis, ContainerLogFacts, Diagnosis, Fetched } from '../diagnosis/types.js';
import { redact } from '../redact/index.js';
import type { SlackMessage } from './block-kit-types.js';
import { section } from './blocks.js';
import { renderCodeBlock } from './code-block.js';
import { describeLogCut, kubectlLogsCommand } from './describe-log-cut.js';
import { escapeCode } from './escape-mrkdwn.js';
import { SLACK_LIMITS } from './limits.js';
import { safeMrkdwn } from './safe-mrkdwn.js';
import { sanitizeText } from './sanitize-text.js';
import type { ThreadReply } from './thread-reply.js';

export interface LogReplyOptions {
  /** Lines shown inline: a longer log becomes a file with its last lines inline (config `logs.inlineLines`). */
  inlineLogLines: number;
  /** Code units of log shown inline, fences included; capped so label and block fit one section. @defaultValue 2700 */
  maxInlineChars?: number;
  /** The logs are slices the caller describes (More logs), not whole reads: a file is "attached", not "full log". @defaultValue false */
  slices?: boolean;
}

const LABEL_ROOM = 260;

/**
 * The kubelet answers 400 when a container never started (`is waiting to start: image can't be pulled`) or has no
 * previous instance: a fact about the container, not missing evidence (as src/diagnosis/collect-missing.ts decides).
 */
const EXPECTED_LOG_REFUSAL = /is waiting to start|previous terminated container .* not found/i;
const MAX_INLINE = SLACK_LIMITS.sectionText - LABEL_ROOM;

function exitNote(c: ContainerDiagnosis | undefined, instance: 'current' | 'previous'): string {
  if (!c) return '';
  if (instance === 'previous') return c.lastTermination ? ` (exit ${c.lastTermination.exitCode})` : '';
  if (c.terminated) return ` (exit ${c.terminated.exitCode})`;
  if (c.state === 'waiting' && c.lastTermination) return ` (last run, exit ${c.lastTermination.exitCode})`;
  return c.state === 'running' ? ' (running)' : '';
}

/** `app — previous instance (exit 1)`: what the reader is looking at, in words. */
export function logLabel(
  container: string,
  instance: 'current' | 'previous',
  c: ContainerDiagnosis | undefined,
): string {
  return `${container} — ${instance} instance${exitNote(c, instance)}`;
}

function fileName(pod: string, container: string, instance: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'x';
  return `${clean(pod)}_${clean(container)}_${instance}.log`;
}

/** Log text as it may leave the cluster: secrets scrubbed (again), control characters and broken UTF-16 cleaned. */
function cleanLog(raw: string): string {
  return sanitizeText(redact(raw).text).replace(/\n+$/, '');
}

function message(text: string, blockText: string): SlackMessage {
  return { text, blocks: [section(blockText)] };
}

function renderOne(
  d: Diagnosis,
  logs: ContainerLogFacts,
  instance: 'current' | 'previous',
  fetched: Fetched<string>,
  opts: LogReplyOptions,
): ThreadReply {
  const c = d.containers.find((x) => x.name === logs.container);
  const label = safeMrkdwn(logLabel(logs.container, instance, c), 150);
  if (!fetched.ok && fetched.kind === 'Invalid' && EXPECTED_LOG_REFUSAL.test(fetched.message)) {
    return {
      kind: 'message',
      message: message(label, `:scroll: *${label}*: no log — ${safeMrkdwn(fetched.message, 600)}`),
    };
  }
  if (!fetched.ok) {
    const why = `${fetched.kind}: ${fetched.message}`;
    return {
      kind: 'message',
      message: message(label, `:warning: *${label}*: could not be read — ${safeMrkdwn(why, 600)}`),
    };
  }
  const text = cleanLog(fetched.value);
  if (text.trim() === '') {
    return { kind: 'message', message: message(label, `:scroll: *${label}*: no output`) };
  }
  // A cut log says so, with the command that reads the rest, wherever it is shown: inline, in the file, its comment.
  const cut = logs.cut?.[instance];
  const shown = cut ? describeLogCut(cut) : undefined;
  const rest = cut ? kubectlLogsCommand(d, logs.container, instance) : undefined;
  const restLine = rest ? `\n:scissors: The rest: \`${escapeCode(rest)}\`` : '';
  const maxInline = Math.max(40, Math.min(opts.maxInlineChars ?? 2700, MAX_INLINE) - restLine.length);
  const lines = text.split('\n');
  const inlineLines = Math.max(0, Math.floor(opts.inlineLogLines));
  if (lines.length <= inlineLines && escapeCode(text).length + 8 <= maxInline) {
    const block = renderCodeBlock(text, maxInline).text;
    const head = shown ? `:scroll: *${label}*: ${shown}` : `:scroll: *${label}*`;
    return { kind: 'message', message: message(label, `${head}${restLine}\n${block}`) };
  }
  const tail = inlineLines > 0 ? lines.slice(-inlineLines).join('\n') : '';
  const lead = shown
    ? `:scroll: *${label}*: log attached, ${shown}${restLine}\n`
    : `:scroll: *${label}*: ${opts.slices ? 'attached' : 'full log attached'} (${lines.length} lines)`;
  const body = tail
    ? `${lead}${shown ? 'T' : '; t'}he last ${Math.min(inlineLines, lines.length)}:\n${renderCodeBlock(tail, maxInline).text}`
    : lead;
  const fileHead = shown && rest ? `# debugdead: ${shown}. The rest: ${rest}\n` : '';
  return {
    kind: 'file',
    filename: fileName(d.pod.name, logs.container, instance),
    title: sanitizeText(`${logLabel(logs.container, instance, c)}${shown ? `, ${shown}` : ''}`).slice(0, 250),
    content: `${fileHead}${text}`,
    comment: message(body, body),
  };
}

/**
 * Current and previous logs of every container as thread replies: a code block when the log is short, otherwise a
 * file with the full text and its last lines inline. A log that could not be read says why.
 */
export function renderLogReplies(d: Diagnosis, opts: LogReplyOptions): ThreadReply[] {
  const replies: ThreadReply[] = [];
  for (const logs of d.logs) {
    if (logs.current) replies.push(renderOne(d, logs, 'current', logs.current, opts));
    if (logs.previous) replies.push(renderOne(d, logs, 'previous', logs.previous, opts));
  }
  return replies;
}
