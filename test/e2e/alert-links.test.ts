import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentDiagnosisKey } from '../../src/conversation/recent-diagnoses.js';
import type { ManualClock } from '../sim/kube/index.js';
import { buildWorkload, DEFAULT_APPS } from '../sim/kube/scenarios/index.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';
import { newRedis } from '../support/redis.js';

const ALERTS = 'C0INCIDENT';
/** Private, the bot and Alice in it: a diagnosis there is not one of the alerts channel. */
const ELSEWHERE = 'G0PLATFORM';
const APPS = ['link-a', 'link-b', 'link-c', 'link-d', 'link-e', 'link-f', 'link-g'];

describe('an alert links to a diagnosis someone asked for shortly before, instead of repeating it', () => {
  let h: Harness;
  /** The bot's clock runs this far ahead of real time (the test ages what the bot remembers). */
  let aheadMs = 0;
  const pods: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = ALERTS;
        c.alerts.labelSelector = `app in (${APPS.join(',')})`;
        // New pods alert only once the cluster's clock is moved on, after the person's /debugdead.
        c.alerts.restartThreshold = 5;
      },
      alertTuning: { channelIntervalMs: 50 },
      now: () => new Date(Date.now() + aheadMs),
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Pods of a Deployment held back, for the test to add later. */
  const later: Record<string, ReturnType<typeof buildWorkload>['pods']> = {};
  /** A Deployment whose first pod crashes from now on (its others wait for addPod); returns the pod's name. */
  const deploy = (app: string, replicas = 1): string => {
    const kube = h.kube;
    const w = buildWorkload({
      namespace: 'demo',
      app,
      replicas,
      spec: DEFAULT_APPS['crash-exit1'],
      createdAt: new Date(kube.clock.now()).toISOString(),
    });
    kube.store.create('deployments', w.deployment);
    kube.store.create('replicasets', w.replicaSet);
    kube.store.create('pods', w.pods[0]!);
    later[app] = w.pods.slice(1);
    pods[app] = w.pods[0]!.metadata.name as string;
    return pods[app];
  };
  const addPod = (app: string) => h.kube.store.create('pods', later[app]!.shift()!);
  /** The pods crash-loop past the restart threshold. */
  const crashLoop = () => (h.kube.clock as ManualClock).advance(5 * 60_000);

  const messages = (channel: string) => h.slack.channel(channel).messages();
  const current = (ts: string, channel = ALERTS) => messages(channel).find((m) => m.ts === ts)!;
  const diagnosisOf = (channel: string, pod: string) =>
    messages(channel).filter((m) => JSON.stringify(m.blocks ?? []).includes(`demo/${pod} —`));
  /** The person's /debugdead summary of `pod` in `channel`. */
  const diagnose = async (pod: string, channel: string, typed = pod): Promise<SimMessage> => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${typed} -n demo`, { channel });
    return h.slack.waitFor(() => diagnosisOf(channel, pod)[0], 20_000, `the diagnosis of ${pod}`);
  };
  const alertFor = (app: string) =>
    h.slack.waitFor(
      () =>
        messages(ALERTS).find(
          (m) => /:rotating_light:/.test(visibleText(m)) && visibleText(m).includes(`Deployment \`demo/${app}\``),
        ),
      30_000,
      `the alert for ${app}`,
    );
  /** The diagnosis message an alert's link opens: chat.getPermalink's URL read back to its channel and ts. */
  const linkedMessage = (alert: SimMessage): SimMessage | undefined => {
    const url = /<(https:[^|>]+)\|open the diagnosis and its buttons>/.exec(JSON.stringify(alert.blocks))?.[1];
    const m = url && /\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})$/.exec(url);
    return m ? current(`${m[2]}.${m[3]}`, m[1]) : undefined;
  };

  it('links to the diagnosis of the same workload in the same channel; other channels and workloads are diagnosed', async () => {
    for (const app of ['link-a', 'link-b', 'link-c', 'link-f', 'link-g']) deploy(app);
    const summaryA = await diagnose(pods['link-a']!, ALERTS);
    // A workload target diagnoses its worst pod: the same workload as the alert's.
    const summaryG = await diagnose(pods['link-g']!, ALERTS, 'deploy/link-g');
    await diagnose(pods['link-b']!, ELSEWHERE);
    // Diagnosed here, then deleted by an admin: there is nothing left to link to.
    const summaryF = await diagnose(pods['link-f']!, ALERTS);
    h.slack.deleteMessage(ALERTS, summaryF.ts);
    crashLoop();

    const a = await alertFor('link-a');
    const seen = visibleText(a);
    expect(seen).toMatch(/Diagnosed by <@U0ALICE01> at \d\d:\d\d UTC, (just|\d+ min) before this alert/);
    expect(linkedMessage(a)?.ts).toBe(summaryA.ts);
    expect(seen).not.toContain('Create debug clone');
    expect(seen).not.toContain('Diagnosed pod');
    expect(JSON.stringify(a.blocks)).toContain('"action_id":"debugdead.mute"');
    // The diagnosis's thread points back to the alert.
    const reply = await h.slack.waitFor(
      () =>
        h.slack
          .thread(ALERTS, summaryA.ts)
          .replies()
          .find((r) => r.text.includes('An alert was raised')),
      10_000,
      'the reply in the diagnosis thread',
    );
    expect(reply.text).toContain(`/p${a.ts.replace('.', '')}|An alert was raised>`);
    expect(h.auditEntries().find((e) => e.action === 'alert.posted' && e.target?.pod === pods['link-a'])).toMatchObject(
      { result: 'ok', detail: expect.stringMatching(/^demo\/Deployment\/link-a linked to diagnosis /) },
    );

    const g = await alertFor('link-g');
    expect(linkedMessage(g)?.ts).toBe(summaryG.ts);

    // Diagnosed in another channel, not at all (another workload was), or deleted: the full diagnosis.
    for (const app of ['link-b', 'link-c', 'link-f']) {
      const full = await alertFor(app);
      expect(visibleText(full)).toContain('Create debug clone');
      expect(visibleText(full)).not.toContain('Diagnosed by');
    }
    // The alerts' own diagnoses are not remembered: a later alert never links to an alert.
    const redis = newRedis();
    try {
      const place = { channel: ALERTS, workload: { namespace: 'demo', kind: 'Deployment', name: 'link-c' } };
      expect(await redis.exists(recentDiagnosisKey(h.config.redis.prefix, place))).toBe(0);
      expect(
        await redis.exists(
          recentDiagnosisKey(h.config.redis.prefix, {
            ...place,
            channel: ELSEWHERE,
            workload: { ...place.workload, name: 'link-b' },
          }),
        ),
      ).toBe(1);
    } finally {
      await redis.quit();
    }
    // Only the person's diagnosis of link-a's pod was posted: the alert did not diagnose it again.
    expect(diagnosisOf(ALERTS, pods['link-a']!).map((m) => m.ts)).toEqual([summaryA.ts]);
  });

  it('a mute keeps its notice while it runs when the headline changes; "until it recovers" ends with the recovery', async () => {
    const a = await alertFor('link-a');
    const b = await alertFor('link-b');
    await h.slack.user('U0BOB0002').choose(a, 'debugdead.mute', 'Mute 1 h');
    await h.slack.user('U0ALICE01').choose(b, 'debugdead.mute', 'Mute until it recovers');
    for (const [m, text] of [
      [a, 'Muted by <@U0BOB0002> until'],
      [b, 'Muted by <@U0ALICE01> until it recovers'],
    ] as const) {
      await h.slack.waitFor(
        () => (visibleText(current(m.ts)).includes(text) ? true : undefined),
        10_000,
        `the notice "${text}"`,
      );
    }

    for (const app of ['link-a', 'link-b']) h.kube.store.remove('pods', 'demo', pods[app]!);
    const recovered = (m: SimMessage) =>
      h.slack.waitFor(
        () => (/recovered after/.test(visibleText(current(m.ts))) ? current(m.ts) : undefined),
        15_000,
        'the recovery',
      );
    const ra = await recovered(a);
    expect(visibleText(ra)).toMatch(/Muted by <@U0BOB0002> until \d\d:\d\d UTC/);
    expect(visibleText(ra)).toContain('Diagnosed by <@U0ALICE01>');
    const rb = await recovered(b);
    expect(visibleText(rb)).not.toContain('Muted by');
    expect(visibleText(rb)).toContain('Mute ended: the workload recovered.');
    expect(visibleText(rb)).toContain('Create debug clone');
  });

  it('a linked alert whose record expired still shows its link when it recovers', async () => {
    const g = await alertFor('link-g');
    const id = /"value":"1h:([A-Za-z0-9_-]+)"/.exec(JSON.stringify(g.blocks))?.[1];
    expect(id).toBeDefined();
    const redis = newRedis();
    try {
      expect(await redis.del(`${h.config.redis.prefix}:diagnosis:${id}`)).toBe(1);
    } finally {
      await redis.quit();
    }
    h.kube.store.remove('pods', 'demo', pods['link-g']!);
    const after = await h.slack.waitFor(
      () => (/recovered after/.test(visibleText(current(g.ts))) ? current(g.ts) : undefined),
      15_000,
      'the recovery of link-g',
    );
    expect(visibleText(after)).toMatch(/Diagnosed by <@U0ALICE01> at \d\d:\d\d UTC, (just|\d+ min) before this alert/);
    expect(linkedMessage(after)?.ts).toBe(linkedMessage(g)?.ts);
  });

  it('a diagnosis 61 min old is not linked; one 59 min old is', async () => {
    deploy('link-d');
    deploy('link-e', 2);
    await diagnose(pods['link-d']!, ALERTS);
    aheadMs += 2 * 60_000;
    const summaryE = await diagnose(pods['link-e']!, ALERTS);
    aheadMs += 59 * 60_000;
    crashLoop();

    const e = await alertFor('link-e');
    expect(visibleText(e)).toMatch(/Diagnosed by <@U0ALICE01> at \d\d:\d\d UTC, 59 min before this alert/);
    expect(linkedMessage(e)?.ts).toBe(summaryE.ts);
    // A second pod fails: the headline is rewritten, the link stays.
    addPod('link-e');
    crashLoop();
    const more = await h.slack.waitFor(
      () => (/2 pods failing/.test(visibleText(current(e.ts))) ? current(e.ts) : undefined),
      20_000,
      'the second failing pod of link-e',
    );
    expect(linkedMessage(more)?.ts).toBe(summaryE.ts);
    expect(visibleText(more)).toContain('59 min before this alert');
    const d = await alertFor('link-d');
    expect(visibleText(d)).toContain('Create debug clone');
    expect(visibleText(d)).not.toContain('Diagnosed by');
  });
});
