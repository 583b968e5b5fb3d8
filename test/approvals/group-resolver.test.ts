import { describe, expect, it } from 'vitest';
import { GroupResolver } from '../../src/approvals/index.js';

/** A stand-in for Slack's usergroups.users.list: real data, with a call log and a switch to make it fail. */
function directory(groups: Record<string, string[]>) {
  const calls: string[] = [];
  const failing = new Map<string, string>();
  const listMembers = async (group: string) => {
    calls.push(group);
    const error = failing.get(group);
    if (error) throw new Error(error);
    return groups[group] ?? [];
  };
  return { calls, failing, listMembers };
}

describe('resolving user-group membership', () => {
  it('reports only the groups the user is in', async () => {
    const dir = directory({ SONCALL: ['U1', 'U2'], SSRE: ['U3'] });
    const resolver = new GroupResolver({ listMembers: dir.listMembers });
    expect(await resolver.groupsOf('U1', ['SONCALL', 'SSRE'])).toEqual({ groups: ['SONCALL'], unresolved: [] });
  });

  it('asks Slack once per group within the cache time, and again after it', async () => {
    const dir = directory({ SONCALL: ['U1'] });
    let now = 1_000_000;
    const resolver = new GroupResolver({ listMembers: dir.listMembers, ttlMs: 60_000, now: () => now });
    await resolver.groupsOf('U1', ['SONCALL']);
    now += 59_999;
    await resolver.groupsOf('U2', ['SONCALL']);
    expect(dir.calls).toEqual(['SONCALL']);
    now += 1;
    await resolver.groupsOf('U1', ['SONCALL']);
    expect(dir.calls).toEqual(['SONCALL', 'SONCALL']);
  });

  it('shares one lookup among simultaneous clicks', async () => {
    const dir = directory({ SONCALL: ['U1'] });
    const resolver = new GroupResolver({ listMembers: dir.listMembers });
    await Promise.all(['U1', 'U2', 'U3'].map((u) => resolver.groupsOf(u, ['SONCALL'])));
    expect(dir.calls).toEqual(['SONCALL']);
  });

  it('a group that cannot be read counts as not a member, says so, and is asked again next time', async () => {
    const dir = directory({ SONCALL: ['U1'], SSRE: ['U1'] });
    dir.failing.set('SSRE', 'ratelimited');
    const resolver = new GroupResolver({ listMembers: dir.listMembers });
    expect(await resolver.groupsOf('U1', ['SONCALL', 'SSRE'])).toEqual({
      groups: ['SONCALL'],
      unresolved: [{ group: 'SSRE', error: 'ratelimited' }],
      note: 'Could not check membership of <!subteam^SSRE> (ratelimited), so it did not count.',
    });
    dir.failing.clear();
    expect((await resolver.groupsOf('U1', ['SONCALL', 'SSRE'])).groups).toEqual(['SONCALL', 'SSRE']);
  });

  it('forgets a group on request, so a membership change shows at once', async () => {
    const groups = { SONCALL: ['U1'] };
    const dir = directory(groups);
    const resolver = new GroupResolver({ listMembers: dir.listMembers });
    await resolver.groupsOf('U2', ['SONCALL']);
    groups.SONCALL.push('U2');
    expect((await resolver.groupsOf('U2', ['SONCALL'])).groups).toEqual([]);
    resolver.invalidate('SONCALL');
    expect((await resolver.groupsOf('U2', ['SONCALL'])).groups).toEqual(['SONCALL']);
  });
});
