import { ACTION_KINDS, type ActionKind, type ClassRule, classRule, type PrivilegeClass } from '../actions/index.js';
import type { Config } from '../config/index.js';
import { formatApprovers } from './format-approvers.js';
import { isApprover, isOpen } from './is-approver.js';
import { namespaceAllowed } from './namespace-allowed.js';

/** The configuration authorisation reads. */
export type PolicyConfig = Pick<Config, 'approvers' | 'nodeShell' | 'namespaces'> &
  Partial<Pick<Config, 'debugContainer'>>;

/** One person acting on one action. */
export interface AuthorizeInput {
  kind: ActionKind;
  privilege: PrivilegeClass;
  /** The source pod's namespace. */
  namespace: string;
  /** Slack user id of whoever clicked. */
  user: string;
  /** The groups of the class's approver set the user belongs to (a failed lookup counts as not a member). */
  userGroups: readonly string[];
}

/** Why nobody, or not this person, may go on. */
export type RefusalReason = 'namespace-denied' | 'kind-disabled' | 'nobody-may-approve';

/**
 * Whether the action may happen at all, and whether this person counts as an approver of it. `rule` says who must
 * agree: `required` distinct people from `rule.approvers` (the requester counts when in the set).
 */
export type Authorization =
  | { ok: true; isApprover: boolean; rule: ClassRule }
  | { ok: false; reason: RefusalReason; message: string };

/**
 * The one authorisation of every button, and of the worker's re-check. Pure. Namespace policy first (nobody may act
 * there), then whether the kind is switched on, then the approver set of the action's privilege class, which fails
 * closed: a set listing nobody (and not `anyone: true`) means nobody may approve.
 */
export function authorize(config: PolicyConfig, input: AuthorizeInput): Authorization {
  const ns = namespaceAllowed(config, input.namespace);
  if (!ns.ok)
    return { ok: false, reason: 'namespace-denied', message: `${ns.reason} The bot creates no debug pods there.` };
  const spec = ACTION_KINDS[input.kind];
  if (!spec.enabled(config as Config)) {
    return {
      ok: false,
      reason: 'kind-disabled',
      message: `${capitalise(spec.noun)} is disabled in this bot's configuration (${input.kind === 'ephemeral' ? 'debugContainer.enabled' : 'nodeShell.enabled'}).`,
    };
  }
  const rule = classRule(config, input.privilege);
  if (!isOpen(rule.approvers)) {
    return {
      ok: false,
      reason: 'nobody-may-approve',
      message: `Nobody may approve ${describeClass(input.kind, input.privilege)}: \`${rule.approversKey}\` lists nobody. An admin can add users or groups.`,
    };
  }
  return { ok: true, isApprover: isApprover(rule.approvers, input.user, input.userGroups), rule };
}

/** "a node shell", "a privileged debug clone", "a debug container". */
export function describeClass(kind: ActionKind, privilege: PrivilegeClass): string {
  const { noun, privileged } = ACTION_KINDS[kind];
  if (privileged === 'by-pod-spec' && privilege === 'privileged') return noun.replace(/^an? /, 'a privileged ');
  return noun;
}

/** The sentence that says who must agree, e.g. "two different approvers from <@U1>, <!subteam^S2>". */
export function describeRule(rule: ClassRule): string {
  const who = rule.approvers.anyone ? 'anyone' : formatApprovers(rule.approvers);
  return rule.required === 2 ? `two different people from ${who}` : `one approver from ${who}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
