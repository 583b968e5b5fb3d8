import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { diagnose, eventually, latest, listManagedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { keysMatching, newRedis } from '../support/redis.js';

const CHANNEL = 'C0INCIDENT';

function approvalRequest(h: Harness, parent: SimMessage, what: RegExp): Promise<SimMessage> {
  return h.slack.waitFor(
    () =>
      h.slack
        .thread(CHANNEL, parent.ts)
        .replies()
        .find((m) => what.test(visibleText(m)) && /Approve/.test(visibleText(m))),
    10_000,
    'the approval request in the thread',
  );
}

describe('who may create debug pods', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.approvers = { users: ['U0BOB0002'], groups: [] };
        c.nodeShell.approvers = { users: ['U0ALICE01', 'U0BOB0002'], groups: [] };
        c.nodeShell.twoPersonRule = true;
        c.debugClone.defaultTtlSeconds = 60;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a non-approver asks the approvers in the thread; their own Approve click is refused and audited', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'crash-exit1');
    await h.slack.user('U0CAROL03').click(summary, 'Create debug clone', { confirm: true });
    const ask = await approvalRequest(h, summary, /<@U0BOB0002>|U0BOB0002/);
    expect(await listManagedPods(h, 'demo')).toHaveLength(0);
    await h.slack.waitFor(
      () => h.slack.ephemerals('U0CAROL03').find((e) => /not an approver/.test(e.text)),
      5000,
      'the explanation',
    );

    await h.slack.user('U0CAROL03').click(ask, 'debugdead.approve', { confirm: true });
    await h.slack.waitFor(
      () => h.slack.ephemerals('U0CAROL03').find((e) => /not an approver/.test(e.text)),
      5000,
      'the refusal',
    );
    await h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .find((e) => e.action === 'button.clicked' && e.result === 'denied' && e.actor.id === 'U0CAROL03'),
      5000,
      'the refusal in the audit log',
    );
    expect(await listManagedPods(h, 'demo')).toHaveLength(0);

    await h.slack.user('U0BOB0002').click(ask, 'debugdead.approve', { confirm: true });
    await eventually(async () => (await listManagedPods(h, 'demo')).length === 1, 15_000, 'the clone after approval');
    const parent = h.slack
      .channel(CHANNEL)
      .messages()
      .find((m) => m.ts === summary.ts)!;
    expect(visibleText(parent)).toMatch(/Approved by .*U0BOB0002/);
  });

  it('an approver denies: nothing is created and the denial is recorded with who', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'oom');
    await h.slack.user('U0CAROL03').click(summary, 'Create debug clone', { confirm: true });
    const ask = await approvalRequest(h, summary, /debug clone/);
    await h.slack.user('U0BOB0002').click(ask, 'debugdead.deny', { confirm: true });
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'approval.denied' && e.actor.id === 'U0BOB0002'),
      5000,
      'the denial',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await listManagedPods(h, 'demo')).filter(
        (p) => p.metadata.annotations['debugdead.io/source-pod'] === 'demo/oom',
      ),
    ).toHaveLength(0);
  });

  it('the two-person rule: a node-shell requester cannot approve their own request; a second approver can', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'liveness');
    await h.slack.user('U0ALICE01').click(summary, 'Open node shell', { confirm: true });
    const ask = await approvalRequest(h, summary, /node shell/);
    await h.slack.waitFor(
      () => h.slack.ephemerals('U0ALICE01').find((e) => /second person/.test(e.text)),
      5000,
      'the explanation',
    );

    await h.slack.user('U0ALICE01').click(ask, 'debugdead.approve', { confirm: true });
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.result === 'denied' && /two-person-rule/.test(e.detail ?? '')),
      5000,
      'the refusal',
    );
    expect(await listManagedPods(h, 'debugdead-nodeshell')).toHaveLength(0);

    await h.slack.user('U0BOB0002').click(ask, 'debugdead.approve', { confirm: true });
    const shell = await eventually(
      async () => (await listManagedPods(h, 'debugdead-nodeshell'))[0],
      15_000,
      'the node shell',
    );
    expect(shell.spec.hostPID).toBe(true);
    expect(shell.spec.containers[0].securityContext.privileged).toBe(true);
    const parent = await h.slack.waitFor(
      () => {
        const m = h.slack
          .channel(CHANNEL)
          .messages()
          .find((x) => x.ts === summary.ts)!;
        return /nsenter --target 1/.test(visibleText(m)) ? m : undefined;
      },
      15_000,
      'the exec line',
    );
    expect(visibleText(parent)).toMatch(/kubectl exec -it -n debugdead-nodeshell node-shell-/);
  });
});

describe('deletion that cannot be forgotten', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.debugClone.defaultTtlSeconds = 4;
        c.debugClone.maxTtlSeconds = 60;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a Redis flush between creation and expiry still ends with the pod deleted on time, by the janitor', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const pod = await eventually(async () => (await listManagedPods(h, 'demo'))[0], 15_000, 'the clone');
    const expires = Date.parse(pod.metadata.annotations['debugdead.io/expires-at']);
    // Wait until the job has scheduled the deletion (the panel shows the pod running), so the flush really loses it.
    await h.slack.waitFor(
      () => (/:white_check_mark: Running/.test(visibleText(latest(h, summary.ts))) ? true : undefined),
      15_000,
      'the clone running',
    );

    // Lose everything the bot kept in Redis: queue, delayed deletion, requests.
    const redis = newRedis();
    const keys = await keysMatching(redis, `${h.config.redis.prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();

    await eventually(
      async () => (await listManagedPods(h, 'demo')).length === 0,
      20_000,
      'the janitor deleting the clone',
    );
    // On time: the janitor sweeps every second here, so within a few seconds of expiry.
    expect(Date.now() - expires).toBeLessThan(5000);
    expect(h.auditEntries().some((e) => e.action === 'pod.deleted' && /janitor/.test(e.detail ?? ''))).toBe(true);
  });
});

describe('a node shell refused by PodSecurity', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      nodeShellNamespaceLevel: 'baseline',
      configure: (c) => {
        c.nodeShell.approvers = { users: ['U0ALICE01', 'U0BOB0002'], groups: [] };
        c.nodeShell.twoPersonRule = false;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('reaches the person in words they can act on', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
    await h.slack.user('U0ALICE01').click(summary, 'Open node shell', { confirm: true });
    const parent = await h.slack.waitFor(
      () => {
        const m = h.slack
          .channel(CHANNEL)
          .messages()
          .find((x) => x.ts === summary.ts)!;
        return /PodSecurity/.test(visibleText(m)) ? m : undefined;
      },
      15_000,
      'the PodSecurity failure',
    );
    const text = visibleText(parent);
    expect(text).toMatch(/violates PodSecurity "baseline:latest"/);
    expect(text).toMatch(/pod-security\.kubernetes\.io\/enforce=privileged/);
    expect(await listManagedPods(h, 'debugdead-nodeshell')).toHaveLength(0);
  });
});
