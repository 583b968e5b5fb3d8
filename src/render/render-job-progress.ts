import { ACTION_KINDS, type ActionKind, BUTTON } from '../actions/index.js';
import type { Block, ButtonElement, SlackMessage } from './block-kit-types.js';
import { context, section } from './blocks.js';
import { renderCodeBlock } from './code-block.js';
import { mentionUser } from './mention.js';
import { renderButton } from './render-button.js';
import { safeMrkdwn } from './safe-mrkdwn.js';
import { formatUtc, slackDate } from './slack-date.js';

export type JobStep = 'requested' | 'awaiting-approval' | 'approved' | 'creating' | 'ready' | 'failed' | 'deleted';

/** Where a debug-clone, debug-container or node-shell request stands; the job updates the parent message with it. */
export interface JobProgressState {
  kind: ActionKind;
  /** `ns/pod` for a clone or a debug container, the node name for a node shell. */
  target: string;
  container?: string;
  /** Slack user ids. */
  requestedBy: string;
  approvedBy?: string;
  /** The second approver, when two people had to agree. */
  alsoApprovedBy?: string;
  /** Who denied it (a Slack user id, shown as a mention: never inside `error`, which is shown as text). */
  deniedBy?: string;
  step: JobStep;
  /** The created pod, once known (the name is deterministic, so it is known before creation). */
  podName?: string;
  namespace?: string;
  /** The exact line to paste; built from namespace/pod/container when absent. */
  execCommand?: string;
  /** Debug containers: its name (`debugger-xxxxx`) in the pod. */
  debugContainer?: string;
  /** Debug containers: what to type in its shell to look at the target's files (`ls /proc/1/root/`). */
  lookCommands?: string[];
  /** What the container ran before the clone replaced it with a sleep. */
  originalCommand?: string;
  /** ISO time of automatic deletion. */
  expiresAt?: string;
  /** What the builder changed, in words ("PVC data swapped for emptyDir"). */
  notes?: string[];
  /** Why it failed, in words a person can act on. */
  error?: string;
  requestId: string;
  /** False once the TTL reached its maximum. @defaultValue true */
  canExtend?: boolean;
}

const ORDER: JobStep[] = ['requested', 'approved', 'creating', 'ready'];

function reached(state: JobProgressState, step: JobStep): boolean {
  if (state.step === 'deleted') return true;
  if (state.step === 'failed') return ORDER.indexOf(step) < ORDER.indexOf('creating') || step === 'creating';
  if (state.step === 'awaiting-approval') return step === 'requested';
  return ORDER.indexOf(step) <= ORDER.indexOf(state.step);
}

function checklist(s: JobProgressState): string[] {
  const done = ':white_check_mark:';
  const todo = ':white_large_square:';
  const lines = [`${done} Requested by ${mentionUser(s.requestedBy)}`];
  if (s.step === 'awaiting-approval')
    lines.push(
      s.approvedBy
        ? `:hourglass_flowing_sand: Approved by ${mentionUser(s.approvedBy)}; waiting for a second approver`
        : ':hourglass_flowing_sand: Waiting for an approver',
    );
  else if (s.step === 'failed' && !s.approvedBy) {
    // Failed before anyone approved (refused, or the request expired): no approval to tick.
  } else if (reached(s, 'approved')) {
    const by = [s.approvedBy, s.alsoApprovedBy]
      .filter((u): u is string => !!u)
      .map(mentionUser)
      .join(' and ');
    lines.push(`${done} Approved${by ? ` by ${by}` : ''}`);
  } else lines.push(`${todo} Approval`);
  const attach = !ACTION_KINDS[s.kind].makesPod;
  const made = attach
    ? s.debugContainer
      ? ` ${safeMrkdwn(s.debugContainer, 100)}`
      : ''
    : s.podName
      ? ` ${safeMrkdwn(`${s.namespace ? `${s.namespace}/` : ''}${s.podName}`, 300)}`
      : '';
  const [creating, created, create] = attach
    ? ['Attaching container', 'Attached container', 'Attach container']
    : ['Creating pod', 'Created pod', 'Create pod'];
  if (s.step === 'creating') lines.push(`:hourglass_flowing_sand: ${creating}${made}`);
  else if (reached(s, 'creating') && s.step !== 'failed') lines.push(`${done} ${created}${made}`);
  else if (s.step !== 'failed') lines.push(`${todo} ${create}`);
  if (s.step === 'failed') {
    const denied = s.deniedBy ? ` Denied by ${mentionUser(s.deniedBy)}.` : '';
    lines.push(`:x: Failed${s.error ? `: ${safeMrkdwn(s.error, 1500)}` : ''}${denied}`);
  } else if (s.step === 'ready' || s.step === 'deleted') lines.push(`${done} Running`);
  else lines.push(`${todo} Running`);
  if (s.step === 'deleted') lines.push(attach ? ':checkered_flag: Ended at its TTL' : ':wastebasket: Deleted');
  return lines;
}

function title(s: JobProgressState): string {
  const { title: what, preposition: of } = ACTION_KINDS[s.kind];
  const container = s.container ? ` (container ${safeMrkdwn(s.container, 100)})` : '';
  return `*${what} ${of} ${safeMrkdwn(s.target, 300)}*${container}`;
}

/** The `kubectl exec` line for the created pod; node shells enter the host's namespaces through nsenter. */
export function execLine(s: JobProgressState): string | undefined {
  if (s.execCommand) return s.execCommand;
  if (!s.podName) return undefined;
  const ns = s.namespace ? ` -n ${s.namespace}` : '';
  const c = s.container && ACTION_KINDS[s.kind].execNamesContainer ? ` -c ${s.container}` : '';
  const shell = ACTION_KINDS[s.kind].execShell;
  return `kubectl exec -it${ns} ${s.podName}${c} -- ${shell}`;
}

function buttons(s: JobProgressState): ButtonElement[] {
  // An ephemeral container can be neither removed nor given a longer sleep: no Extend, no Delete now.
  if (!ACTION_KINDS[s.kind].makesPod) return [];
  const exists = s.podName !== undefined && (s.step === 'creating' || s.step === 'ready' || s.step === 'failed');
  if (!exists) return [];
  const list: ButtonElement[] = [];
  if (s.step === 'ready' && s.canExtend !== false) {
    list.push(renderButton({ text: 'Extend', actionId: BUTTON.extend, value: s.requestId }));
  }
  list.push(
    renderButton({
      text: 'Delete now',
      actionId: BUTTON.delete,
      value: s.requestId,
      style: 'danger',
      confirm: {
        title: `Delete ${ACTION_KINDS[s.kind].noun.replace(/^an? /, 'the ')}?`,
        text: `Deletes pod ${s.podName} now; any shell session in it ends.`,
        confirm: 'Delete now',
        deny: 'Keep it',
        style: 'danger',
      },
    }),
  );
  return list;
}

/**
 * The progress of a debug-clone or node-shell job as it happens: a checklist (requested → approved → creating →
 * ready / failed → deleted), then the exact `kubectl exec` line, the original command, when the pod will be deleted,
 * and "Extend" / "Delete now" buttons while the pod exists.
 */
export function renderJobProgress(s: JobProgressState): SlackMessage {
  const blocks: Block[] = [section(`${title(s)}\n${checklist(s).join('\n')}`)];
  const exec = execLine(s);
  if (exec && s.step === 'ready') blocks.push(section(`*Open a shell:*\n${renderCodeBlock(exec, 1200, 'start').text}`));
  if (s.lookCommands?.length && s.step === 'ready') {
    blocks.push(
      section(
        `*Then look at the target's files* (its processes are yours to see):\n${renderCodeBlock(s.lookCommands.join('\n'), 800, 'start').text}`,
      ),
    );
  }
  if (s.originalCommand && s.kind === 'clone' && (s.step === 'ready' || s.step === 'creating')) {
    blocks.push(
      section(
        `*The original command* (run it by hand to reproduce the crash):\n${renderCodeBlock(s.originalCommand, 1500, 'start').text}`,
      ),
    );
  }
  if (s.expiresAt && s.step !== 'deleted' && s.step !== 'failed') {
    const max = s.canExtend === false ? ' (the maximum)' : '';
    const when = `${formatUtc(s.expiresAt)} (${slackDate(s.expiresAt, '{time}')})`;
    blocks.push(
      context([
        ACTION_KINDS[s.kind].makesPod
          ? `:alarm_clock: Deleted automatically at ${when}${max}`
          : `:alarm_clock: Its sleep ends at ${when}, and the container with it. It cannot be removed from the pod: a terminated container stays in the pod's spec and status until the pod is replaced.`,
      ]),
    );
  }
  if (s.notes && s.notes.length > 0) {
    const notes = s.notes.slice(0, 10).map((n) => `• ${safeMrkdwn(n, 300)}`);
    const heading = ACTION_KINDS[s.kind].makesPod ? 'What differs from the original:' : 'Good to know:';
    blocks.push(context([`*${heading}*\n${notes.join('\n')}`]));
  }
  const actions = buttons(s);
  if (actions.length > 0) blocks.push({ type: 'actions', block_id: 'debugdead.job', elements: actions });
  const { title: what, preposition } = ACTION_KINDS[s.kind];
  return { text: safeMrkdwn(`${what} ${preposition} ${s.target}: ${s.step}`, 500), blocks };
}
