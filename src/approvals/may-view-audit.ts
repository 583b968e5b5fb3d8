import type { ApprovalPolicy } from './types.js';

/**
 * `/debugdead audit` answers approvers only: anyone in either approver set (by id or group). When no clone
 * approvers are configured anyone may approve clones, so anyone may read the trail too.
 */
export function mayViewAudit(policy: ApprovalPolicy, user: string, userGroups: readonly string[]): boolean {
  const sets = [policy.approvers, policy.nodeShellApprovers];
  if (policy.approvers.users.length === 0 && policy.approvers.groups.length === 0) return true;
  return sets.some((set) => set.users.includes(user) || set.groups.some((g) => userGroups.includes(g)));
}
