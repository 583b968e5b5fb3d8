import { ACTION_KINDS, type ActionKind, BUTTON } from '../actions/index.js';
import type { SlackMessage } from './block-kit-types.js';
import { context, section } from './blocks.js';
import { mentionGroup, mentionUser } from './mention.js';
import { renderButton } from './render-button.js';
import { safeMrkdwn } from './safe-mrkdwn.js';

export interface ApprovalRequest {
  /** The action id: the value of Approve and Deny. */
  requestId: string;
  kind: ActionKind;
  /**
   * How many distinct approvers must agree (the requester counts when an approver); adds "Needs one approver from
   * …" / "Needs two different people from …", naming the approvers as mentions. Built here from ids rather than
   * taken as text: escaped text would show `<!subteam^S…>` raw, and unescaped text could carry any markup.
   */
  required?: 1 | 2;
  /** Anyone who can see the message may approve (`approvers.anyone`). */
  anyone?: boolean;
  /** Why the action is privileged, when it is a clone or a debug container that would be. */
  privilegeReasons?: readonly string[];
  /** `ns/pod` for a clone or a debug container, the node name for a node shell. */
  target: string;
  /** Debug containers: the container it targets, the profile and the image. */
  detail?: string;
  /** Slack user id of the requester. */
  requestedBy: string;
  /** Who may approve: user ids and user-group ids (mentioned, so they are notified). */
  approvers: { users: string[]; groups: string[] };
}

const MAX_MENTIONS = 20;

/** The thread message asking an approver to approve or deny, mentioning every approver so they are notified. */
export function renderApprovalRequest(r: ApprovalRequest): SlackMessage {
  const privileged = r.kind !== 'node-shell' && (r.privilegeReasons?.length ?? 0) > 0;
  const spec = ACTION_KINDS[r.kind];
  const what = `${privileged ? spec.noun.replace(/^an? /, 'a privileged ') : spec.noun} ${spec.preposition}`;
  const mentions = [...r.approvers.users.map(mentionUser), ...r.approvers.groups.map(mentionGroup)];
  const shown = mentions.slice(0, MAX_MENTIONS).join(' ');
  const more = mentions.length > MAX_MENTIONS ? ` and ${mentions.length - MAX_MENTIONS} more` : '';
  const who = mentions.length > 0 ? `${shown}${more}` : 'anyone allowed to approve';
  const ask = `:raising_hand: ${mentionUser(r.requestedBy)} asks for ${what} *${safeMrkdwn(r.target, 300)}*.`;
  const reasons = safeMrkdwn((r.privilegeReasons ?? []).join('; '), 400);
  const detail = r.detail ? ` ${safeMrkdwn(r.detail, 300)}.` : '';
  const base =
    r.kind === 'node-shell'
      ? 'A node shell is a privileged pod on the node.'
      : r.kind === 'ephemeral'
        ? `A debug container joins the running pod and ends at its TTL; it cannot be removed.${detail}${privileged ? ` It is privileged: ${reasons}.` : ''}`
        : privileged
          ? `The clone keeps what makes its source privileged (${reasons}).`
          : 'The clone is deleted automatically after its TTL.';
  const from = r.anyone
    ? 'anyone'
    : mentions.length > 0
      ? `${mentions.slice(0, MAX_MENTIONS).join(', ')}${more}`
      : 'nobody';
  const needs = r.required === 2 ? 'two different people' : 'one approver';
  const rule = r.required ? `${base} Needs ${needs} from ${from}.` : base;
  return {
    text: safeMrkdwn(`Approval needed: ${what} ${r.target}`, 500),
    blocks: [
      section(`${ask}\n${who}: approve or deny?`),
      context([rule]),
      {
        type: 'actions',
        block_id: 'debugdead.approval',
        elements: [
          renderButton({ text: 'Approve', actionId: BUTTON.approve, value: r.requestId, style: 'primary' }),
          renderButton({ text: 'Deny', actionId: BUTTON.deny, value: r.requestId, style: 'danger' }),
        ],
      },
    ],
  };
}
