import { GroupResolver } from '../approvals/index.js';
import { verifyTask } from '../clusters/index.js';

/**
 * The approvers' user groups as the gateway saw them when it granted the action: the agent has no Slack token, so
 * the gateway signs (with the cluster's key) which of the class's groups each approver was in, bound to the action
 * id. Anything that does not verify, or is for another action, vouches for nothing: group approvals then fail
 * closed in the agent's re-check, while approvals by user id still hold.
 */
export function attestedGroups(job: unknown, key: string, cluster: string, now: Date): GroupResolver {
  const data = (job ?? {}) as { attest?: unknown; grant?: { actionId?: unknown } };
  const verified = verifyTask(data.attest, key, now, cluster);
  const members = new Map<string, string[]>();
  if (verified.ok && verified.task.kind === 'groups') {
    const body = verified.task.body as { actionId?: unknown; groupsOf?: Record<string, unknown> };
    if (body.actionId === data.grant?.actionId && body.groupsOf && typeof body.groupsOf === 'object') {
      for (const [user, groups] of Object.entries(body.groupsOf)) {
        if (!Array.isArray(groups)) continue;
        for (const group of groups)
          if (typeof group === 'string') members.set(group, [...(members.get(group) ?? []), user]);
      }
    }
  }
  return new GroupResolver({ listMembers: async (group) => members.get(group) ?? [], ttlMs: 0 });
}
