import type { Config } from '../config/index.js';
import type { ApprovalPolicy } from './types.js';

/** The authorisation slice of the configuration. */
export function approvalPolicyFromConfig(
  config: Pick<Config, 'approvers' | 'nodeShell' | 'namespaces'>,
): ApprovalPolicy {
  return {
    approvers: config.approvers,
    nodeShellApprovers: config.nodeShell.approvers,
    twoPersonRule: config.nodeShell.twoPersonRule,
    namespaces: config.namespaces,
  };
}
