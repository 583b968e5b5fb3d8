import { describe, expect, it } from 'vitest';
import { agentHealth, describeAge, type Heartbeat, parseHeartbeat } from '../../src/clusters/index.js';

const beat = (seenAt: number): Heartbeat => ({
  cluster: 'prod-eu',
  version: '0.1.0',
  commit: 'abc1234',
  instance: 'pod-1',
  startedAt: 0,
  seenAt,
});

describe('agentHealth', () => {
  it.each([
    { age: 0, alive: true },
    { age: 1500, alive: true },
    { age: 1501, alive: false, says: /last seen 1 s ago/ },
    { age: 4 * 60_000 + 5000, alive: false, says: /agent for @prod-eu was last seen 4 min ago/ },
    { age: 3 * 3600_000, alive: false, says: /last seen 3 h ago/ },
  ])('a beat $age ms old: alive $alive', ({ age, alive, says }) => {
    const h = agentHealth('prod-eu', beat(1_000_000), 1_000_000 + age);
    expect(h.alive).toBe(alive);
    if (!h.alive && says) expect(h.sentence).toMatch(says);
  });

  it("Redis's alive mark decides, whatever the agent's clock says", () => {
    // The agent's clock runs 10 min behind the gateway's, and it beat just now: alive.
    expect(agentHealth('prod-eu', beat(0), 600_000, 1500, true).alive).toBe(true);
    // The agent's clock runs ahead and its mark expired: gone, at least the stale time ago.
    const gone = agentHealth('prod-eu', beat(2_000_000), 1_000_000, 1500, false);
    expect(gone.alive).toBe(false);
    if (!gone.alive) expect(gone.sentence).toMatch(/last seen 1 s ago/);
  });

  it('an agent that never beat is named, with how to start it', () => {
    const h = agentHealth('staging', undefined, 0);
    expect(h.alive).toBe(false);
    if (!h.alive) expect(h.sentence).toMatch(/No agent for @staging.*DEBUGDEAD_CLUSTER=staging/);
  });

  it.each([
    [999, '999 ms'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [47 * 3600_000, '47 h'],
    [50 * 3600_000, '2 d'],
  ])('describeAge(%d) = %s', (ms, text) => {
    expect(describeAge(ms)).toBe(text);
  });

  it.each([
    null,
    '',
    'not json',
    '{}',
    JSON.stringify({ ...beat(1), seenAt: 'soon' }),
    JSON.stringify({ ...beat(1), version: 'x'.repeat(300) }),
  ])('a heartbeat that is not one reads as none: %s', (text) => {
    expect(parseHeartbeat(text)).toBeUndefined();
  });
  it('a heartbeat reads back as written', () => {
    expect(parseHeartbeat(JSON.stringify(beat(5)))).toEqual(beat(5));
  });
});
