import type { ApproverSet } from '../config/index.js';

/** Who may approve what, and where: the slice of Config that authorisation reads (see approvalPolicyFromConfig). */
export interface ApprovalPolicy {
  /** May approve debug clones. Both lists empty: nobody may (unless `anyone: true`). */
  approvers: ApproverSet;
  /** May approve node shells. Both lists empty: nobody may (a node shell is root on a node). */
  nodeShellApprovers: ApproverSet;
  /** A node shell needs an approver other than its requester. */
  twoPersonRule: boolean;
  /** Glob patterns (`*`, `?`) on the namespace; deny wins; an empty allow list allows all. */
  namespaces: { allow: string[]; deny: string[] };
}
