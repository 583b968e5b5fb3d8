import { describe, expect, it } from 'vitest';
import { decideLease, formatMicroTime, type ObservedLease } from '../../src/leader/index.js';

const lease = (o: Partial<ObservedLease>): ObservedLease => ({
  holder: 'b',
  durationSeconds: 15,
  resourceVersion: '7',
  observedAtMs: 100_000,
  ...o,
});

describe('decideLease', () => {
  it.each([
    { name: 'no Lease: create it', lease: undefined, now: 0, want: { do: 'create' } },
    { name: 'ours: renew', lease: lease({ holder: 'a' }), now: 100_000, want: { do: 'renew' } },
    { name: 'ours, even past its duration: renew', lease: lease({ holder: 'a' }), now: 999_000, want: { do: 'renew' } },
    {
      name: 'released (no holder): take over at once',
      lease: lease({ holder: undefined }),
      now: 100_001,
      want: { do: 'take-over' },
    },
    {
      name: 'held and seen changing within the duration: wait',
      lease: lease({}),
      now: 114_999,
      want: { do: 'wait', holder: 'b' },
    },
    {
      name: 'held but unchanged for a whole duration: take over',
      lease: lease({}),
      now: 115_000,
      want: { do: 'take-over' },
    },
    {
      name: 'a short lease expires sooner',
      lease: lease({ durationSeconds: 2 }),
      now: 102_000,
      want: { do: 'take-over' },
    },
  ])('$name', ({ lease, now, want }) => {
    expect(decideLease(lease, 'a', now)).toEqual(want);
  });
});

describe('formatMicroTime', () => {
  it('writes six fractional digits, as the API server parses a MicroTime', () => {
    expect(formatMicroTime(new Date('2026-12-07T02:27:58.973Z'))).toBe('2026-12-07T02:27:58.973000Z');
  });
});
