import type { ApproverSet, Config } from '../config/index.js';
import { isApprover, isOpen } from './is-approver.js';

/**
 * The sets whose members may read the audit trail: `audit.viewers` when it lists anyone, else the clone and
 * node-shell approvers. Pure.
 */
export function auditViewerSets(config: Pick<Config, 'approvers' | 'nodeShell' | 'audit'>): ApproverSet[] {
  const viewers = config.audit.viewers;
  if (viewers && isOpen(viewers)) return [viewers];
  return [config.approvers, config.nodeShell.approvers];
}

/** `/debugdead audit` answers viewers only; with nobody configured, nobody (fails closed). */
export function mayViewAudit(
  config: Pick<Config, 'approvers' | 'nodeShell' | 'audit'>,
  user: string,
  userGroups: readonly string[],
): boolean {
  return auditViewerSets(config).some((set) => isApprover(set, user, userGroups));
}
