import { GroupResolver } from '../approvals/index.js';
import { type TaskProblem, verifyTask } from '../clusters/index.js';

/**
 * The approvers' user groups as the gateway saw them when it granted the action: the agent has no Slack token, so
 * the gateway signs (with the cluster's key) which of the class's groups each approver was in, bound to the action
 * id. Anything that does not verify, or is for another action, vouches for nothing: group approvals then fail
 * closed in the agent's re-check, while approvals by user id still hold. The attestation's expiry is the job's
 * deadline too: `problem` 'expired' means it was queued too long ago (while the agent was away) to run now.
 */
export function attestedGroups(
  job: unknown,
  key: string,
  cluster: string,
  now: Date,
): { groups: GroupResolver; problem?: TaskProblem | 'missing' } {
  const data = (job ?? {}) as { attest?: unknown; grant?: { actionId?: unknown } };
  const verified = verifyTask(data.attest, key, now, cluster);
  const members = new Map<string, string[]>();
  const groups = new GroupResolver({ listMembers: async (group) => members.get(group) ?? [], ttlMs: 0 });
  if (!verified.ok) return { groups, problem: data.attest === undefined ? 'missing' : verified.problem };
  if (verified.task.kind !== 'groups') return { groups, problem: 'malformed' };
  const body = verified.task.body as { actionId?: unknown; groupsOf?: Record<string, unknown> };
  if (body.actionId !== data.grant?.actionId || !body.groupsOf || typeof body.groupsOf !== 'object')
    return { groups, problem: 'malformed' };
  for (const [user, list] of Object.entries(body.groupsOf)) {
    if (!Array.isArray(list)) continue;
    for (const group of list) if (typeof group === 'string') members.set(group, [...(members.get(group) ?? []), user]);
  }
  return { groups };
}
