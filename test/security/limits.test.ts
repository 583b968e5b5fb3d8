import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits } from '../../src/config/types.js';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, INCIDENT, managedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

// The limits are counted in Redis by the worker, just before it creates a pod. Each one, when reached, creates
// nothing, says which limit in the diagnosis thread, and is audited as job.rejected.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ configure: (c) => (c.debugClone.defaultTtlSeconds = 600) });
  // Alice's first clone, within every limit.
  const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
  await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
  await h.slack.waitFor(() => managedPods(h, 'demo')[0], 15_000, 'the first clone');
});
afterAll(async () => {
  await h?.stop();
});

const roomy: Limits = { activePerUser: 100, activePerNamespace: 100, activeCluster: 100, createdPerUserPerHour: 100 };

describe('limits on debug pods', () => {
  it.each([
    ['activePerUser', { activePerUser: 1 }, 'U0ALICE01', 'oom', /already has 1 debug pods running/],
    ['activePerNamespace', { activePerNamespace: 1 }, 'U0BOB0002', 'liveness', /namespace already has 1 debug pods/],
    ['activeCluster', { activeCluster: 1 }, 'U0BOB0002', 'init-crash', /cluster already has 1 debug pods/],
    [
      'createdPerUserPerHour',
      { createdPerUserPerHour: 1 },
      'U0ALICE01',
      'multi',
      /created 1 debug pods in the last hour/,
    ],
  ] as const)('%s: the next clone is refused, explained and audited', async (name, limit, user, pod, explained) => {
    Object.assign(h.config.limits, roomy, limit);
    const before = managedPods(h, 'demo').length;
    const summary = await diagnose(h, user, pod);
    await h.slack.user(user).click(summary, 'Create debug clone', { confirm: true });
    const record = await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'job.rejected' && e.target.pod === pod),
      15_000,
      `the ${name} refusal`,
    );
    expect(record.detail).toMatch(new RegExp(`limits\\.${name}`));
    expect(record.detail).toMatch(explained);
    const told = await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .find((m) => /Limit reached/.test(visibleText(m))),
      10_000,
      'the limit told in the thread',
    );
    expect(visibleText(told)).toMatch(explained);
    expect(managedPods(h, 'demo')).toHaveLength(before);
  });

  it('a deleted pod stops counting: with room again, the next clone is made', async () => {
    Object.assign(h.config.limits, roomy, { activePerUser: 1 });
    const [first] = managedPods(h, 'demo');
    const summary = h.slack
      .channel(INCIDENT)
      .messages()
      .find((m) => m.text.startsWith('demo/crash-exit1 '))!;
    await h.slack.user('U0ALICE01').click(
      h.slack
        .channel(INCIDENT)
        .messages()
        .find((m) => m.ts === summary.ts)!,
      'Delete now',
      { confirm: true },
    );
    await h.slack.waitFor(
      () => (managedPods(h, 'demo').some((p) => p.metadata.uid === first!.metadata.uid) ? undefined : true),
      15_000,
      'the deletion',
    );
    const next = await diagnose(h, 'U0ALICE01', 'scratch-crash');
    await h.slack.user('U0ALICE01').click(next, 'Create debug clone', { confirm: true });
    await h.slack.waitFor(() => managedPods(h, 'demo')[0], 15_000, 'the next clone');
  });
});
