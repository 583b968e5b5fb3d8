import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const ALERTS = 'C0INCIDENT';
const WARM_UP_MINUTES = 40;

/** `09:12 UTC` of a time, as alerts print it. */
const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;

describe('"failing since" comes from the pod, not from when the bot first saw it', () => {
  let h: Harness;
  let clusterStart = 0;
  beforeAll(async () => {
    // The cluster (and its crash-looping pod) runs 40 minutes before the bot starts.
    clusterStart = Date.now() - WARM_UP_MINUTES * 60_000;
    h = await startHarness({
      warmUpMinutes: WARM_UP_MINUTES,
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

  it('an alert for a pod that began crash-looping 40 minutes before the bot started says so', async () => {
    const alert = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => /Deployment .*crash-exit1.*failing since/.test(visibleText(m))),
      20_000,
      'the alert for crash-exit1',
    );
    const seen = visibleText(alert);
    const m = /failing since (\d\d:\d\d UTC) \((\d+) min\)/.exec(seen);
    expect(m, seen).not.toBeNull();
    // The pod crashes within seconds of the cluster starting; a minute either side covers the minute boundary and
    // the back-off reckoning.
    const allowed = [-1, 0, 1, 2].map((d) => clock(clusterStart + d * 60_000));
    expect(allowed).toContain(m![1]);
    expect(Number(m![2])).toBeGreaterThanOrEqual(WARM_UP_MINUTES - 2);
  });

  it('the summary of /debugdead shows the same time', async () => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'crash-exit1 -n demo', { channel: ALERTS });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => !/:rotating_light:/.test(visibleText(m)) && /Failing since/.test(visibleText(m))),
      20_000,
      'the summary',
    );
    const field = JSON.stringify(summary.blocks);
    const m = /Failing since\*\\n(?:about )?(\d\d:\d\d UTC) \((\d+)m(?:\d+s)? ago\)/.exec(field);
    expect(m, field).not.toBeNull();
    expect([-1, 0, 1, 2].map((d) => clock(clusterStart + d * 60_000))).toContain(m![1]);
    expect(Number(m![2])).toBeGreaterThanOrEqual(WARM_UP_MINUTES - 2);
  });
});
