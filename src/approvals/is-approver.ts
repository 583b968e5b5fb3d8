import type { ApproverSet } from '../config/index.js';

/**
 * Whether a user is in an approver set, by id or by one of `userGroups` (the groups of the set they belong to, from
 * GroupResolver). Fails closed: an empty set lets nobody in, unless it says `anyone: true`.
 */
export function isApprover(set: ApproverSet, user: string, userGroups: readonly string[]): boolean {
  if (set.anyone === true) return true;
  return set.users.includes(user) || set.groups.some((g) => userGroups.includes(g));
}

/** Whether a set lets anybody in at all. */
export function isOpen(set: ApproverSet): boolean {
  return set.anyone === true || set.users.length > 0 || set.groups.length > 0;
}
