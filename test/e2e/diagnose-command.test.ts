import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

describe.each(['socket', 'http'] as const)('/debugdead over %s mode', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('acks at once, then posts the verdict with buttons and the evidence in its thread', async () => {
    const delivery = await h.slack
      .user('U0ALICE01')
      .runCommand('/debugdead', 'crash-exit1 demo', { channel: 'C0INCIDENT' });
    expect(delivery.acked).toBe(true);
    expect(delivery.ackLatencyMs).toBeLessThan(1000);
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => m.text.includes('demo/crash-exit1')),
      15_000,
      'the summary',
    );
    const seen = visibleText(summary);
    expect(seen).toMatch(/demo\/crash-exit1 — CrashLoopBackOff, exit 1 \(\d+ restarts\)/);
    expect(seen).toContain('Create debug clone');
    const replies = await h.slack.waitFor(
      () => {
        const r = h.slack.thread('C0INCIDENT', summary.ts).replies();
        return r.some((m) => /previous/i.test(visibleText(m))) ? r : undefined;
      },
      15_000,
      'the thread',
    );
    const thread = replies.map(visibleText).join('\n');
    expect(thread).toMatch(/Events|BackOff/);
    expect(thread).toMatch(/previous/i);
  });
});
