import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterQueueName, deriveClusterKey, signTask } from '../../src/clusters/index.js';
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

  it("an agent's alert reports are data the gateway checks and renders: hostile names and made-up messages are refused", async () => {
    const connection = { url: h.redisUrl, maxRetriesPerRequest: null };
    /** A report as the prod-us agent signs it (it holds prod-us's key), to its own routed channel. */
    const send = async (body: unknown) => {
      const name = clusterQueueName('prod-us', 'reports');
      const queue = new Queue(name, { connection, prefix: h.prefix });
      const events = new QueueEvents(name, { connection, prefix: h.prefix });
      try {
        await events.waitUntilReady();
        const task = {
          kind: 'report' as const,
          cluster: 'prod-us',
          expiresAt: new Date(Date.now() + 30_000).toISOString(),
          body,
        };
        const job = await queue.add('report', signTask(task, deriveClusterKey(h.gatewayKey, 'prod-us')));
        return (await job.waitUntilFinished(events, 10_000)) as { ok: boolean; name?: string; message?: string };
      } finally {
        await events.close();
        await queue.close();
      }
    };
    const entry = (name: string, reason = 'CrashLoopBackOff') => ({
      workload: { namespace: 'demo', kind: 'Deployment', name },
      reason,
      failingCount: 3,
    });
    const alert = {
      workload: { namespace: 'demo', kind: 'Deployment', name: '<!channel> <https://evil.example|approve>' },
      channel: PLATFORM,
      pod: 'checkout-7d4b9c-x1',
      reason: 'CrashLoopBackOff',
      failingPods: ['checkout-7d4b9c-x1'],
      failingCount: 1,
      since: new Date().toISOString(),
    };
    const refused = [
      { kind: 'alert.summary', channel: PLATFORM, message: { text: '<!channel> approve here', blocks: [] } },
      { kind: 'alert.summary', channel: PLATFORM, entries: [entry('<!here>')] },
      { kind: 'alert.summary', channel: PLATFORM, entries: [entry('checkout', 'Crash <https://evil.example>')] },
      { kind: 'alert.post', alert, examined: {} },
      { kind: 'alert.post', alert: { ...alert, workload: { ...alert.workload, name: 'checkout' }, failingCount: -1 } },
      { kind: 'alert.update', posted: { channel: PLATFORM, ts: '<!channel>' }, alert },
    ];
    const before = h.slack.channel(PLATFORM).messages().length;
    for (const body of refused) expect(await send(body)).toMatchObject({ ok: false, name: 'ReportRefused' });
    expect(JSON.stringify(h.slack.channel(PLATFORM).messages())).not.toMatch(/<!channel>|<!here>|evil\.example/);
    expect(h.slack.channel(PLATFORM).messages()).toHaveLength(before);

    // Well-formed entries: the gateway renders the summary itself.
    expect(
      await send({ kind: 'alert.summary', channel: PLATFORM, entries: [entry('checkout'), entry('cart')] }),
    ).toMatchObject({ ok: true });
    const posted = h.slack.channel(PLATFORM).messages().slice(before);
    expect(posted.map(visibleText).join('\n')).toMatch(
      /2 more workloads are failing[\s\S]*demo\/checkout[\s\S]*demo\/cart/,
    );
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
