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
