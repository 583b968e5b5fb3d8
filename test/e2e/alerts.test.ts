import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { eventually, latest, listManagedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

const ALERTS = 'C0INCIDENT';

describe('automatic alerts from the composed bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = ALERTS;
        c.alerts.labelSelector = 'app in (crash-exit1,oom)';
        c.debugClone.defaultTtlSeconds = 60;
      },
      alertTuning: { channelIntervalMs: 50 },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a crash-looping workload gets one alert carrying the diagnosis, the buttons and the thread; its button works', async () => {
    const alert = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => /Deployment .*crash-exit1/.test(visibleText(m)) && /Create debug clone/.test(visibleText(m))),
      20_000,
      'the alert for crash-exit1',
    );
    const seen = visibleText(alert);
    expect(seen).toMatch(/crash-looping|CrashLoopBackOff/);
    expect(seen).toMatch(/demo\/crash-exit1 — CrashLoopBackOff, exit 1/);
    await h.slack.waitFor(
      () => (h.slack.thread(ALERTS, alert.ts).replies().length > 0 ? true : undefined),
      10_000,
      'the evidence thread',
    );

    // Only the selected workloads alert, once each.
    await new Promise((r) => setTimeout(r, 1500));
    const alerts = h.slack
      .channel(ALERTS)
      .messages()
      .filter((m) => /:rotating_light:/.test(visibleText(m)));
    expect(alerts.map((m) => visibleText(m).match(/Deployment `([^`]+)`/)?.[1]).sort()).toEqual([
      'demo/crash-exit1',
      'demo/oom',
    ]);

    await h.slack.user('U0ALICE01').click(alert, 'Create debug clone', { confirm: true });
    await eventually(async () => (await listManagedPods(h, 'demo'))[0], 15_000, 'the clone from the alert');
    const after = await h.slack.waitFor(
      () =>
        /kubectl exec -it -n demo crash-exit1-debug-/.test(visibleText(latest(h, alert.ts)))
          ? latest(h, alert.ts)
          : undefined,
      15_000,
      'progress on the alert message',
    );
    // The headline stays above the diagnosis while the panel is added.
    expect(visibleText(after)).toMatch(/:rotating_light:/);
  });
});
