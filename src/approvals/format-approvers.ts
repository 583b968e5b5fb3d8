import type { ApproverSet } from '../config/index.js';

/** Slack mentions of an approver set: `<@U…>` for users, `<!subteam^S…>` for user groups (Slack's mention syntax). */
export function formatApprovers(set: ApproverSet): string {
  return [...set.users.map((u) => `<@${u}>`), ...set.groups.map((g) => `<!subteam^${g}>`)].join(', ');
}
