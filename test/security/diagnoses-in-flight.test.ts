import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('diagnoses in flight: beyond the limit, commands wait in line and are told where they stand', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.diagnoses.maxInFlight = 2;
      },
    });
    // Each API call takes a while, so the first diagnoses are still running when the others arrive.
    h.kube.faults.latency(150);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('the first two start at once; the next ones are told how many are ahead; all of them finish', async () => {
    const pods = ['crash-exit1', 'oom', 'liveness', 'multi', 'scratch-crash'];
    const deliveries = [];
    // One after another (each waits for its ack), so the order in line is the order typed.
    for (const pod of pods)
      deliveries.push(await h.slack.user('U0ALICE01').runCommand('/debugdead', `${pod} demo`, { channel: INCIDENT }));
    const acks = deliveries.map((d) => String(d.response?.text ?? ''));
    expect(deliveries.every((d) => d.acked && (d.ackLatencyMs ?? 3000) < 1000)).toBe(true);
    expect(acks[0]).toBe(':stethoscope: Diagnosing `demo/crash-exit1`…');
    expect(acks[1]).toBe(':stethoscope: Diagnosing `demo/oom`…');
    expect(acks[2]).toContain('2 diagnoses are running and yours is next in line');
    expect(acks[3]).toContain('1 ahead of yours in line');
    expect(acks[4]).toContain('2 ahead of yours in line');
    await h.slack.waitFor(
      () =>
        pods.every((pod) => h.auditEntries().some((e) => e.action === 'diagnosis.done' && e.target?.pod === pod))
          ? true
          : undefined,
      30_000,
      'every diagnosis done',
    );
    // In the order they were typed: a line, not a scramble.
    const order = h
      .auditEntries()
      .filter((e) => e.action === 'diagnosis.done' && pods.includes(e.target?.pod))
      .map((e) => e.target.pod);
    expect(order.slice(2)).toEqual(['liveness', 'multi', 'scratch-crash']);
  }, 40_000);
});
