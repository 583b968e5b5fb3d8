import { type ActionKind, classRule, type PrivilegeClass } from '../actions/index.js';
import { type Authorization, authorize } from '../approvals/index.js';
import type { ConversationDeps } from './deps.js';

/**
 * authorize() for a click: resolves the clicker's membership of the class's approver groups first (a failed lookup
 * counts as not a member, and `note` says so).
 */
export async function authorizeClick(
  deps: ConversationDeps,
  input: { kind: ActionKind; privilege: PrivilegeClass; namespace: string; user: string },
): Promise<Authorization & { note?: string }> {
  const rule = classRule(deps.config, input.privilege);
  const membership = await deps.groups.groupsOf(input.user, rule.approvers.groups);
  const verdict = authorize(deps.config, { ...input, userGroups: membership.groups });
  return membership.note ? { ...verdict, note: membership.note } : verdict;
}
