import type { ApproverSet } from '../config/index.js';

/** What a button asks for: a debug clone of a pod, or a root shell on its node. */
export type RequestKind = 'clone' | 'node-shell';

/** Who may approve what, and where: the slice of Config that authorisation reads (see approvalPolicyFromConfig). */
export interface ApprovalPolicy {
  /** May approve debug clones. Both lists empty: anyone who can see the message may. */
  approvers: ApproverSet;
  /** May approve node shells. Both lists empty: nobody may (a node shell is root on a node). */
  nodeShellApprovers: ApproverSet;
  /** A node shell needs an approver other than its requester. */
  twoPersonRule: boolean;
  /** Glob patterns (`*`, `?`) on the namespace; deny wins; an empty allow list allows all. */
  namespaces: { allow: string[]; deny: string[] };
}

/** A diagnosis' request for a debug pod, stored server-side; buttons carry only its opaque id. */
export interface PendingRequest {
  kind: RequestKind;
  namespace: string;
  pod: string;
  /** The container to clone (the failing one by default). */
  container?: string;
  /** The pod's node, for node shells. */
  node?: string;
  /** Slack user id of whoever ran the command (or the bot, for alerts). */
  requestedBy: string;
  channel: string;
  /** The diagnosis message the buttons sit on. */
  messageTs: string;
  threadTs?: string;
  /** ISO 8601. */
  createdAt: string;
  /** Clone targets when several containers fail; button values address them as `<id>#<i>`. */
  containers?: string[];
}

/** Where the request's job has got to; `update` writes it, the parent message shows it. */
export type JobState = 'requested' | 'approved' | 'creating' | 'ready' | 'failed' | 'deleted';

/** The job's progress, patched by `RequestStore.update`. */
export interface JobProgress {
  state?: JobState;
  /** The debug pod's name once known (deterministic, so a retried job finds it). */
  podName?: string;
  /** The pod's namespace (a node shell lives in the bot's privileged namespace, not the source pod's). */
  podNamespace?: string;
  /** ISO 8601: when the pod will be deleted. */
  expiresAt?: string;
  /** The container chosen from `containers`. */
  container?: string;
  /** A sentence for the user when state is `failed`. */
  error?: string;
}

/** Who settled a request, first and only once: an approval (claim) or a denial. */
export interface Settlement {
  decision: 'approved' | 'denied';
  /** Slack user id. */
  by: string;
  /** ISO 8601. */
  at: string;
  /** Why, for denials. */
  reason?: string;
}

/** A request as stored: what was asked, how it was settled, and how its job is doing. */
export interface StoredRequest {
  id: string;
  request: PendingRequest;
  settlement?: Settlement;
  progress: JobProgress;
}

/** The result of claiming a request; only `claimed` may start a job. */
export type ClaimOutcome =
  | { outcome: 'claimed'; request: PendingRequest }
  | { outcome: 'already-claimed'; by: string; at: string; decision: Settlement['decision']; request: PendingRequest }
  | { outcome: 'unknown-or-expired' };

/** The result of denying a request; a request already approved stays approved. */
export type DenyOutcome =
  | { outcome: 'denied'; request: PendingRequest }
  | { outcome: 'already-claimed'; by: string; at: string; decision: Settlement['decision']; request: PendingRequest }
  | { outcome: 'unknown-or-expired' };
