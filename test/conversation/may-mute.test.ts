import { describe, expect, it } from 'vitest';
import { mayMute } from '../../src/conversation/may-mute.js';

const ONCALL = { users: ['U0ALICE01'], groups: ['S0ONCALL0'] };

describe('mayMute: who may mute or unmute, once in a bound channel', () => {
  it.each([
    ['no mute.approvers: anyone', undefined, 'U0CAROL03', [], false, undefined, { ok: true, by: 'default' }],
    ['a listed user', ONCALL, 'U0ALICE01', [], false, undefined, { ok: true, by: 'approver' }],
    ['a member of a listed group', ONCALL, 'U0BOB0002', ['S0ONCALL0'], false, undefined, { ok: true, by: 'approver' }],
    [
      'anyone: true',
      { users: [], groups: [], anyone: true },
      'U0CAROL03',
      [],
      false,
      undefined,
      { ok: true, by: 'approver' },
    ],
    ['the muter, unmuting', ONCALL, 'U0CAROL03', [], true, 'U0CAROL03', { ok: true, by: 'muter' }],
  ])('lets in %s', (_name, approvers, user, userGroups, unmute, mutedBy, want) => {
    expect(mayMute({ approvers, user, userGroups, unmute, mutedBy })).toEqual(want);
  });

  it.each([
    [
      'someone outside the set',
      false,
      undefined,
      ':no_entry: Only <@U0ALICE01>, <!subteam^S0ONCALL0> (mute.approvers) may mute this workload; nothing was done.',
    ],
    [
      'someone else unmuting a mute, naming its muter',
      true,
      'U0BOB0002',
      ':no_entry: Only <@U0ALICE01>, <!subteam^S0ONCALL0> (mute.approvers) or whoever muted it (<@U0BOB0002>) may unmute this workload; nothing was done.',
    ],
    [
      'the muter of a mute trying to mute again (muting is the set only)',
      false,
      'U0CAROL03',
      ':no_entry: Only <@U0ALICE01>, <!subteam^S0ONCALL0> (mute.approvers) may mute this workload; nothing was done.',
    ],
  ])('refuses %s', (_name, unmute, mutedBy, text) => {
    expect(mayMute({ approvers: ONCALL, user: 'U0CAROL03', userGroups: [], unmute, mutedBy })).toEqual({
      ok: false,
      text,
    });
  });
});
