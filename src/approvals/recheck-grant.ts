import { classRule, type Grant, privilegeClassOf } from '../actions/index.js';
import { authorize, type PolicyConfig } from './authorize.js';
import { isApprover } from './is-approver.js';

/**
 * Today's policy applied to a verified grant, before the worker creates anything: the namespace is still allowed,
 * the kind still on, and the people who approved are still enough distinct approvers of the grant's class (someone
 * removed from the approvers since the click no longer counts). Pure: `groupsOf` holds each approver's membership of
 * the class's approver groups, looked up by the caller.
 */
export function recheckGrant(
  config: PolicyConfig,
  grant: Grant,
  groupsOf: Readonly<Record<string, readonly string[]>>,
): { ok: true } | { ok: false; reason: string } {
  if (grant.kind === 'node-shell' && grant.privilege !== privilegeClassOf('node-shell', [])) {
    return { ok: false, reason: 'a node shell granted as a standard action' };
  }
  if (grant.kind === 'clone' && !grant.pod) return { ok: false, reason: 'a clone grant names no pod' };
  if (grant.kind === 'ephemeral' && (!grant.pod || !grant.container))
    return { ok: false, reason: 'a debug-container grant names no pod or target container' };
  if (grant.kind === 'node-shell' && !grant.node) return { ok: false, reason: 'a node-shell grant names no node' };
  const verdict = authorize(config, {
    kind: grant.kind,
    privilege: grant.privilege,
    namespace: grant.namespace,
    user: grant.requester,
    userGroups: [],
  });
  if (!verdict.ok) return { ok: false, reason: verdict.message };
  const rule = classRule(config, grant.privilege);
  const approvers = [...new Set(grant.approvers)].filter((u) => isApprover(rule.approvers, u, groupsOf[u] ?? []));
  if (approvers.length < rule.required) {
    const gone = grant.approvers.filter((u) => !approvers.includes(u));
    return {
      ok: false,
      reason: `it needs ${rule.required} distinct approver${rule.required === 1 ? '' : 's'} from ${rule.approversKey} today and has ${approvers.length}${gone.length ? ` (${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} not one now)` : ''}`,
    };
  }
  return { ok: true };
}
