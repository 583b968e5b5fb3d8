import { describe, expect, it } from 'vitest';
import { MUTE_RECOVERY_MAX_SECONDS, planMute, renderMuteNotice } from '../../src/alerts/index.js';

const NOW = new Date('2026-12-07T14:00:00Z');

describe('planMute', () => {
  it.each([
    { choice: '1h', until: '2026-12-07T15:00:00.000Z', ttl: 3600, untilRecovery: false },
    { choice: '24h', until: '2026-12-08T14:00:00.000Z', ttl: 86400, untilRecovery: false },
    { choice: 'recovery', until: undefined, ttl: MUTE_RECOVERY_MAX_SECONDS, untilRecovery: true },
  ] as const)('$choice', ({ choice, until, ttl, untilRecovery }) => {
    const { record, ttlSeconds } = planMute(choice, 'U0BOB0002', NOW);
    expect(record).toEqual({ by: 'U0BOB0002', at: NOW.toISOString(), ...(until ? { until } : {}), untilRecovery });
    expect(ttlSeconds).toBe(ttl);
  });
});

describe('renderMuteNotice says who muted and until when', () => {
  it.each([
    {
      choice: '1h',
      want: ':no_bell: Muted by <@U0BOB0002> until 15:00 UTC: no new alerts or updates for this workload.',
    },
    {
      choice: 'recovery',
      want: ':no_bell: Muted by <@U0BOB0002> until it recovers: no new alerts or updates for this workload.',
    },
  ] as const)('$choice', ({ choice, want }) => {
    expect(renderMuteNotice(planMute(choice, 'U0BOB0002', NOW).record)).toBe(want);
  });
  it('a user id from Redis cannot become another mention', () => {
    expect(renderMuteNotice({ by: 'U1> <!channel', at: '', untilRecovery: true })).toContain('<@U1>');
    expect(renderMuteNotice({ by: 'U1> <!channel', at: '', untilRecovery: true })).not.toContain('<!channel');
  });
});
