export { approvalPolicyFromConfig } from './approval-policy-from-config.js';
export {
  type Authorization,
  type AuthorizeInput,
  authorize,
  describeClass,
  describeRule,
  type PolicyConfig,
  type RefusalReason,
} from './authorize.js';
export { type CreationLimit, DebugPodLimits, type LimitVerdict } from './debug-pod-limits.js';
export { formatApprovers } from './format-approvers.js';
export { GroupResolver, type GroupResolverOptions, type Membership } from './group-resolver.js';
export { isApprover, isOpen } from './is-approver.js';
export { matchGlob } from './match-glob.js';
export { auditViewerSets, mayViewAudit } from './may-view-audit.js';
export { type NamespaceVerdict, namespaceAllowed } from './namespace-allowed.js';
export { recheckGrant } from './recheck-grant.js';
export type { ApprovalPolicy } from './types.js';
