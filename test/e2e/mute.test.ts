import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const ALERTS = 'C0INCIDENT';

describe('muting a workload from the menu on its alert', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = ALERTS;
        c.alerts.labelSelector = 'app=crash-exit1';
      },
      alertTuning: { channelIntervalMs: 50 },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const current = (ts: string) =>
    h.slack
      .channel(ALERTS)
      .messages()
      .find((m) => m.ts === ts)!;

  it('shows who muted it until when, is undone by Unmute, and both are audited', async () => {
    const alert = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => /Deployment .*crash-exit1/.test(visibleText(m)) && /Create debug clone/.test(visibleText(m))),
      20_000,
      'the alert',
    );
    await h.slack.user('U0BOB0002').choose(alert, 'debugdead.mute', 'Mute 1 h');
    const muted = await h.slack.waitFor(
      () =>
        /Muted by <@U0BOB0002> until \d\d:\d\d UTC/.test(JSON.stringify(current(alert.ts).blocks))
          ? current(alert.ts)
          : undefined,
      10_000,
      'the mute notice',
    );
    expect(visibleText(muted)).toContain('Create debug clone');
    expect(h.auditEntries().find((e) => e.action === 'alert.muted' && e.actor?.id === 'U0BOB0002')).toMatchObject({
      result: 'ok',
      detail: 'demo/Deployment/crash-exit1 for 1 h',
    });

    await h.slack.user('U0ALICE01').choose(current(alert.ts), 'debugdead.mute', 'Unmute');
    await h.slack.waitFor(
      () => (JSON.stringify(current(alert.ts).blocks).includes('Muted by') ? undefined : true),
      10_000,
      'the notice gone',
    );
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'alert.unmuted' && e.actor?.id === 'U0ALICE01'),
      5_000,
      'the unmute audited',
    );
  });

  it('a summary of /debugdead carries the same menu', async () => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom -n demo', { channel: ALERTS });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => JSON.stringify(m.blocks ?? []).includes('demo/oom —')),
      20_000,
      'the summary',
    );
    expect(JSON.stringify(summary.blocks)).toContain('"action_id":"debugdead.mute"');
    await h.slack.user('U0ALICE01').choose(summary, 'debugdead.mute', 'Mute until it recovers');
    await h.slack.waitFor(
      () =>
        JSON.stringify(current(summary.ts).blocks).includes('Muted by <@U0ALICE01> until it recovers')
          ? true
          : undefined,
      10_000,
      'the mute notice on the summary',
    );
  });
});

describe('mute.approvers narrows who may mute, and the muter may always unmute', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.mute.approvers = { users: [], groups: ['S0ONCALL0'] }; // Alice and Bob, not Carol
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const CHANNEL = 'C0INCIDENT';
  const current = (ts: string) =>
    h.slack
      .channel(CHANNEL)
      .messages()
      .find((m) => m.ts === ts)!;
  const told = (user: string, pattern: RegExp) =>
    h.slack.waitFor(() => h.slack.ephemerals(user).find((e) => pattern.test(e.text)), 10_000, `the answer to ${user}`);
  const audited = (match: (e: Record<string, any>) => boolean, what: string) =>
    h.slack.waitFor(() => h.auditEntries().find(match), 5_000, what);

  it('refuses someone outside the set, says who may, audits it; the set may mute; its muter unmutes when narrowed', async () => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom -n demo', { channel: CHANNEL });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => JSON.stringify(m.blocks ?? []).includes('demo/oom —')),
      20_000,
      'the summary',
    );

    await h.slack.user('U0CAROL03').choose(summary, 'debugdead.mute', 'Mute 24 h');
    const refusal = await told('U0CAROL03', /may mute/);
    expect(refusal.text).toBe(
      ':no_entry: Only <!subteam^S0ONCALL0> (mute.approvers) may mute this workload; nothing was done.',
    );
    await audited(
      (e) => e.action === 'alert.muted' && e.result === 'denied' && e.actor?.id === 'U0CAROL03',
      'the refused mute',
    );
    expect(JSON.stringify(current(summary.ts).blocks)).not.toContain('Muted by');

    // Bob is in the on-call group.
    await h.slack.user('U0BOB0002').choose(summary, 'debugdead.mute', 'Mute 1 h');
    await h.slack.waitFor(
      () => (JSON.stringify(current(summary.ts).blocks).includes('Muted by <@U0BOB0002>') ? true : undefined),
      10_000,
      'the mute notice',
    );

    // Carol may not unmute either; the refusal names the muter, who may.
    await h.slack.user('U0CAROL03').choose(current(summary.ts), 'debugdead.mute', 'Unmute');
    const unmuteRefusal = await told('U0CAROL03', /may unmute/);
    expect(unmuteRefusal.text).toContain('or whoever muted it (<@U0BOB0002>)');
    expect(JSON.stringify(current(summary.ts).blocks)).toContain('Muted by <@U0BOB0002>');

    // The set narrowed to Alice alone (a reload): Bob may still undo his own mute.
    h.config.mute.approvers = { users: ['U0ALICE01'], groups: [] };
    await h.slack.user('U0BOB0002').choose(current(summary.ts), 'debugdead.mute', 'Unmute');
    await h.slack.waitFor(
      () => (JSON.stringify(current(summary.ts).blocks).includes('Muted by') ? undefined : true),
      10_000,
      'the notice gone',
    );
    expect(
      await audited(
        (e) => e.action === 'alert.unmuted' && e.result === 'ok' && e.actor?.id === 'U0BOB0002',
        'the unmute by its muter',
      ),
    ).toMatchObject({ detail: expect.stringMatching(/\(its muter\)$/) });
  });
});
