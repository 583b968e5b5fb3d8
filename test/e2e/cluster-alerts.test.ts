import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../sim/kube/index.js';
import { buildWorkload, DEFAULT_APPS } from '../sim/kube/scenarios/index.js';
import { visibleText } from '../sim/slack/index.js';
import { type ClusterHarness, startClusterHarness } from '../support/cluster-harness.js';

const INCIDENT = 'C0INCIDENT'; // prod-eu: the global alerts.channel
const PLATFORM = 'G0PLATFORM'; // prod-us: its own alerts.channel
const GENERAL = 'C0GENERAL'; // staging: its own route for namespace demo

/** Alert messages in a channel (failing, or edited to recovered), counted by the cluster they name and the workload. */
function alertsIn(h: ClusterHarness, channel: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of h.slack.channel(channel).messages()) {
    const text = visibleText(m);
    if (!/:rotating_light:|:white_check_mark: .*recovered/.test(text)) continue;
    const cluster = text.match(/Cluster \*?@([a-z0-9-]+)/)?.[1] ?? '?';
    const workload = text.match(/Deployment `([^`]+)`/)?.[1] ?? '?';
    const key = `${cluster} ${workload}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('alerts from three clusters, each watched by its own agent', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({
      configure: (doc) => {
        doc.alerts = {
          enabled: true,
          channel: INCIDENT,
          labelSelector: 'app in (crash-exit1,oom,checkout-canary)',
          leaseDuration: '2s',
        };
        doc.clusters = [
          { name: 'prod-eu', kubectlContext: 'ctx-prod-eu' },
          { name: 'prod-us', kubectlContext: 'ctx-prod-us', alerts: { channel: PLATFORM } },
          {
            name: 'staging',
            kubectlContext: 'ctx-staging',
            alerts: { routes: [{ namespaces: ['demo'], channel: GENERAL }] },
          },
        ];
      },
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('each cluster alerts its failing workloads once, to its own route, named with its cluster', async () => {
    const want = {
      [INCIDENT]: { 'prod-eu demo/crash-exit1': 1, 'prod-eu demo/oom': 1 },
      [PLATFORM]: { 'prod-us demo/crash-exit1': 1, 'prod-us demo/oom': 1 },
      [GENERAL]: { 'staging demo/crash-exit1': 1, 'staging demo/oom': 1 },
    };
    await h.slack.waitFor(
      () =>
        Object.entries(want).every(
          ([channel, counts]) => Object.keys(alertsIn(h, channel)).length >= Object.keys(counts).length,
        ) || undefined,
      40_000,
      'the alerts of all three clusters',
    );
    await new Promise((r) => setTimeout(r, 2000));
    for (const [channel, counts] of Object.entries(want)) expect(alertsIn(h, channel)).toEqual(counts);
  });

  it('a killed agent stops no other cluster; restarted, it resumes without repeating an alert', async () => {
    h.clusters.staging!.killAgent();
    // prod-us keeps alerting while staging is down.
    const canary = (cluster: string) => {
      const kube = h.clusters[cluster]!.kube;
      const w = buildWorkload({
        namespace: 'demo',
        app: 'checkout-canary',
        spec: DEFAULT_APPS['crash-exit1'],
        createdAt: new Date(kube.clock.now()).toISOString(),
      });
      kube.store.create('deployments', w.deployment);
      kube.store.create('replicasets', w.replicaSet);
      kube.store.create('pods', w.pod);
      (kube.clock as ManualClock).advance(5 * 60_000);
    };
    canary('prod-us');
    await h.slack.waitFor(
      () => alertsIn(h, PLATFORM)['prod-us demo/checkout-canary'],
      30_000,
      'the canary alert of prod-us while staging is down',
    );

    await h.clusters.staging!.startAgent();
    canary('staging');
    await h.slack.waitFor(
      () => alertsIn(h, GENERAL)['staging demo/checkout-canary'],
      30_000,
      'the canary alert of the restarted staging agent',
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(alertsIn(h, GENERAL)).toEqual({
      'staging demo/crash-exit1': 1,
      'staging demo/oom': 1,
      'staging demo/checkout-canary': 1,
    });
    expect(alertsIn(h, INCIDENT)).toEqual({ 'prod-eu demo/crash-exit1': 1, 'prod-eu demo/oom': 1 });
  });
});
