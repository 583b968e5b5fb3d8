export { approvalPolicyFromConfig } from './approval-policy-from-config.js';
export { type DecideInput, type Decision, type DenialReason, decide } from './decide.js';
export { formatApprovers } from './format-approvers.js';
export { GroupResolver, type GroupResolverOptions, type Membership } from './group-resolver.js';
export { matchGlob } from './match-glob.js';
export { mayViewAudit } from './may-view-audit.js';
export { type NamespaceVerdict, namespaceAllowed } from './namespace-allowed.js';
export { formatRequestRef, isRequestId, parseRequestRef } from './request-ref.js';
export { RequestStore, type RequestStoreOptions, type SlotOption } from './request-store.js';
export type {
  ApprovalPolicy,
  ClaimOutcome,
  DenyOutcome,
  JobProgress,
  JobState,
  PendingRequest,
  RequestKind,
  Settlement,
  StoredRequest,
} from './types.js';
