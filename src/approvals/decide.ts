import type { ApproverSet } from '../config/index.js';
import { formatApprovers } from './format-approvers.js';
import { namespaceAllowed } from './namespace-allowed.js';
import type { ApprovalPolicy, RequestKind } from './types.js';

/** One click to judge. */
export interface DecideInput {
  policy: ApprovalPolicy;
  kind: RequestKind;
  /** The source pod's namespace. */
  namespace: string;
  /** Slack user id of whoever clicked. */
  clicker: string;
  /** Slack user id of whoever asked for the diagnosis. */
  requester: string;
  /** The user groups the clicker belongs to (from GroupResolver; a failed lookup counts as not a member). */
  clickerGroups: string[];
}

/** Why a click may not approve. */
export type DenialReason = 'not-an-approver' | 'two-person-rule' | 'namespace-denied';

/** May this click approve? When not: why, a sentence for the clicker, and who could approve instead. */
export type Decision =
  | { allowed: true }
  | { allowed: false; reason: DenialReason; message: string; approvers: ApproverSet };

/**
 * Namespace policy first (nobody may approve there), then the approver set for the kind (node shells use the
 * stricter set), then the two-person rule, which binds node shells only.
 */
export function decide(input: DecideInput): Decision {
  const { policy, kind, namespace, clicker, requester, clickerGroups } = input;
  const approvers = kind === 'clone' ? policy.approvers : policy.nodeShellApprovers;
  const deny = (reason: DenialReason, message: string): Decision => ({ allowed: false, reason, message, approvers });

  const ns = namespaceAllowed(policy, namespace);
  if (!ns.ok) return deny('namespace-denied', `${ns.reason} The bot creates no debug pods for it.`);

  const nobodyListed = approvers.users.length === 0 && approvers.groups.length === 0;
  if (nobodyListed && kind === 'node-shell') {
    return deny(
      'not-an-approver',
      'Node shells are off: nodeShell.approvers lists nobody who may approve one. An admin can add users or groups.',
    );
  }
  const isApprover =
    nobodyListed || approvers.users.includes(clicker) || approvers.groups.some((g) => clickerGroups.includes(g));
  if (!isApprover) {
    const what = kind === 'clone' ? 'a debug clone' : 'a node shell';
    return deny('not-an-approver', `You are not an approver for ${what}. Approvers: ${formatApprovers(approvers)}.`);
  }

  if (kind === 'node-shell' && policy.twoPersonRule && clicker === requester) {
    return deny(
      'two-person-rule',
      `A node shell needs a second person: an approver other than you must approve it (${formatApprovers(approvers)}).`,
    );
  }
  return { allowed: true };
}
