import { formatApprovers, isApprover } from '../approvals/index.js';
import type { ApproverSet } from '../config/index.js';

export type MuteVerdict =
  /** `default`: no mute.approvers, so anyone in a bound channel; `approver`: in the set; `muter`: unmutes their own mute. */
  | { ok: true; by: 'default' | 'approver' | 'muter' }
  /** `text`: the sentence for the person refused, naming who may. */
  | { ok: false; text: string };

/**
 * Whether `user`, already known to be in a channel bound to the namespace, may mute (or unmute) a workload. Without
 * `mute.approvers` anyone there may; a configured set narrows it. Whoever muted may always unmute their mute, so a
 * narrowed set never leaves a person unable to undo their own step. Pure: `userGroups` are the groups of the set the
 * user belongs to (GroupResolver); `mutedBy` is the muter of the workload's current mute, if any.
 */
export function mayMute(input: {
  approvers: ApproverSet | undefined;
  user: string;
  userGroups: readonly string[];
  unmute: boolean;
  mutedBy?: string | undefined;
}): MuteVerdict {
  const { approvers, user, unmute } = input;
  if (!approvers) return { ok: true, by: 'default' };
  if (isApprover(approvers, user, input.userGroups)) return { ok: true, by: 'approver' };
  if (unmute && input.mutedBy === user) return { ok: true, by: 'muter' };
  const who = formatApprovers(approvers) || 'nobody';
  const verb = unmute ? 'unmute' : 'mute';
  const muter = unmute && input.mutedBy ? ` or whoever muted it (<@${input.mutedBy}>)` : '';
  return {
    ok: false,
    text: `:no_entry: Only ${who} (mute.approvers)${muter} may ${verb} this workload; nothing was done.`,
  };
}
