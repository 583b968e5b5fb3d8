import { formatApprovers } from './format-approvers.js';

/** How group membership is looked up and cached. */
export interface GroupResolverOptions {
  /** The members (user ids) of one user group: the caller's Slack `usergroups.users.list` call. */
  listMembers: (groupId: string) => Promise<string[]>;
  /** How long a group's member list is trusted, ms (config approvals.groupCacheSeconds). @defaultValue 60000 */
  ttlMs?: number;
  /** Milliseconds since the epoch. @defaultValue Date.now */
  now?: () => number;
}

/** Which of the asked-about groups a user is in, and which could not be checked. */
export interface Membership {
  groups: string[];
  unresolved: { group: string; error: string }[];
  /** A sentence for the clicker when some groups could not be checked (they count as not a member). */
  note?: string;
}

/**
 * User-group membership with a short cache: each group's member list is fetched once per TTL, concurrent lookups
 * of one group share a single call, and a failed lookup is not cached, so the next click asks Slack again.
 */
export class GroupResolver {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, { members: Set<string>; expires: number }>();
  private readonly inFlight = new Map<string, Promise<Set<string>>>();

  constructor(private readonly options: GroupResolverOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The groups among `groupIds` that `userId` belongs to; a group whose lookup fails counts as not a member. */
  async groupsOf(userId: string, groupIds: readonly string[]): Promise<Membership> {
    const results = await Promise.allSettled(groupIds.map((g) => this.members(g)));
    const membership: Membership = { groups: [], unresolved: [] };
    results.forEach((result, i) => {
      const group = groupIds[i]!;
      if (result.status === 'fulfilled') {
        if (result.value.has(userId)) membership.groups.push(group);
      } else {
        const error = result.reason instanceof Error ? result.reason.message : String(result.reason);
        membership.unresolved.push({ group, error });
      }
    });
    if (membership.unresolved.length > 0) {
      const groups = formatApprovers({ users: [], groups: membership.unresolved.map((u) => u.group) });
      const errors = [...new Set(membership.unresolved.map((u) => u.error))].join(', ');
      membership.note = `Could not check membership of ${groups} (${errors}), so it did not count.`;
    }
    return membership;
  }

  /** Forgets one group's member list, or all of them. */
  invalidate(groupId?: string): void {
    if (groupId === undefined) this.cache.clear();
    else this.cache.delete(groupId);
  }

  private members(groupId: string): Promise<Set<string>> {
    const cached = this.cache.get(groupId);
    if (cached && cached.expires > this.now()) return Promise.resolve(cached.members);
    const pending = this.inFlight.get(groupId);
    if (pending) return pending;
    const lookup = this.options
      .listMembers(groupId)
      .then((users) => {
        const members = new Set(users);
        this.cache.set(groupId, { members, expires: this.now() + this.ttlMs });
        return members;
      })
      .finally(() => this.inFlight.delete(groupId));
    this.inFlight.set(groupId, lookup);
    return lookup;
  }
}
