import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RateLimitWait, slackWebClientOptions } from '../../handlers/index.js';
import { createSlackChat } from '../../handlers/slack-chat.js';
import {
  type AlertWatch,
  alertRecordKey,
  clearMute,
  createChatAlertSink,
  readMute,
  saveMute,
  startAlertWatch,
} from '../../src/alerts/index.js';
import type { Config } from '../../src/config/types.js';
import { MANAGED_LABEL } from '../../src/debugpods/index.js';
import { loadKubeConfig } from '../../src/kube/index.js';
import { createRedis, type RedisClient } from '../../src/redis/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { testRedisConfig, uniquePrefix } from '../support/redis.js';
import { createPod, deletePod, ensureNode, podName, setPodState } from './cluster.js';

let kube: KubeSim;
let clock: ManualClock;
let slack: SlackSim;
let redis: RedisClient;
let dir: string;
let kubeconfigPath: string;
const running: AlertWatch[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alerts-'));
  clock = new ManualClock();
  kube = await startKubeSim({ clock });
  ensureNode(kube);
  kubeconfigPath = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfigPath);
  slack = await startSlackSim({ rateLimits: false });
  redis = createRedis(testRedisConfig(), { maxRetriesPerRequest: 3 });
});

// Bots of a failed test must not keep alerting into the next one.
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop()));
});

afterAll(async () => {
  redis?.disconnect();
  await slack?.close();
  await kube?.close();
  await rm(dir, { recursive: true, force: true });
});

function config(
  prefix: string,
  over: Partial<Config['alerts']> = {},
  allow = ['*'],
): Pick<Config, 'alerts' | 'namespaces' | 'redis'> {
  return {
    redis: { ...testRedisConfig(), prefix },
    namespaces: { allow, deny: ['kube-system'] },
    alerts: {
      enabled: true,
      channel: 'C0INCIDENT',
      routes: [{ namespaces: ['platform-*'], channel: 'G0PLATFORM' }],
      reasons: ['CrashLoopBackOff'],
      restartThreshold: 3,
      cooldownSeconds: 1800,
      labelSelector: '',
      maxWorkloadsPerBurst: 25,
      leaseNamespace: 'debugdead-system',
      leaseDurationSeconds: 15,
      ...over,
    },
  };
}

/** Starts a bot's alert watcher (one "replica") posting plain alert messages to the Slack simulator. */
async function startBot(
  prefix: string,
  opts: {
    /** Namespaces the bot may watch (config namespaces.allow): each test keeps to its own. */
    allow: string[];
    alerts?: Partial<Config['alerts']>;
    intervalMs?: number;
    backoffMs?: number;
    inactivityMs?: number;
  },
) {
  // The bot's own Slack client configuration (src/app.ts), rate-limit policy included.
  const rateLimits: RateLimitWait[] = [];
  const web = new WebClient(
    slack.botToken,
    slackWebClientOptions({ apiUrl: slack.apiUrl, rateLimits: { onRateLimited: (w) => rateLimits.push(w) } }),
  );
  const chat = createSlackChat(web as never);
  const w = startAlertWatch({
    kube: { kubeConfig: loadKubeConfig({ kubeconfigPath }) },
    config: config(prefix, opts.alerts, opts.allow),
    redis,
    sink: createChatAlertSink(chat),
    manager: { channelIntervalMs: opts.intervalMs ?? 50 },
    watch: {
      backoffInitialMs: opts.backoffMs ?? 1000,
      ...(opts.inactivityMs ? { inactivityTimeoutMs: opts.inactivityMs } : {}),
    },
  });
  running.push(w);
  await w.watch.synced;
  return Object.assign(w, { rateLimits });
}

async function stopBot(w: AlertWatch): Promise<void> {
  running.splice(running.indexOf(w), 1);
  await w.stop();
}

/** Messages in a channel about one workload. */
const about = (channel: string, workload: string) =>
  slack
    .channel(channel)
    .messages()
    .filter((m) => m.text.includes(workload));

const waitForText = (channel: string, workload: string, text: string) =>
  slack.waitFor(
    () => about(channel, workload).find((m) => m.text.includes(text)),
    10_000,
    `"${text}" about ${workload}`,
  );

/** Lets every pending watch event, Redis call and Slack call finish. */
async function settle(...bots: AlertWatch[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
  for (const b of bots) await b.manager.idle();
}

describe('alerts through the simulated cluster and Slack', () => {
  it('a pod entering CrashLoopBackOff yields one alert; a second pod of the Deployment updates it', async () => {
    const ns = 'shop-a';
    const bot = await startBot(uniquePrefix('alert'), { allow: [ns] });
    for (let i = 0; i < 3; i++) createPod(kube, ns, 'web', i, 'ready');
    await settle(bot);
    setPodState(kube, ns, podName('web', 0), 'crash');
    await waitForText('C0INCIDENT', `${ns}/web`, '1 pod failing');
    setPodState(kube, ns, podName('web', 1), 'crash');
    await waitForText('C0INCIDENT', `${ns}/web`, '2 pods failing');
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/web`)).toHaveLength(1);
    expect(about('C0INCIDENT', `${ns}/web`)[0]?.text).toContain('Deployment shop-a/web is crash-looping');
    await stopBot(bot);
  });

  it('a muted workload gets no alert and no update until the mute ends; an unmute restores both', async () => {
    const ns = 'shop-m';
    const prefix = uniquePrefix('mute');
    const workload = `${ns}/Deployment/web`;
    const bot = await startBot(prefix, { allow: [ns] });
    for (let i = 0; i < 4; i++) createPod(kube, ns, 'web', i, 'ready');
    await settle(bot);
    await saveMute(redis, prefix, workload, '1h', 'U0BOB0002', new Date());
    setPodState(kube, ns, podName('web', 0), 'crash');
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/web`)).toHaveLength(0);

    expect(await clearMute(redis, prefix, workload)).toBe(true);
    setPodState(kube, ns, podName('web', 1), 'crash');
    await waitForText('C0INCIDENT', `${ns}/web`, '2 pods failing');

    await saveMute(redis, prefix, workload, 'recovery', 'U0BOB0002', new Date());
    setPodState(kube, ns, podName('web', 2), 'crash');
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/web`).map((m) => m.text)).toEqual([expect.stringContaining('2 pods failing')]);

    await clearMute(redis, prefix, workload);
    setPodState(kube, ns, podName('web', 3), 'crash');
    await waitForText('C0INCIDENT', `${ns}/web`, '4 pods failing');
    expect(about('C0INCIDENT', `${ns}/web`)).toHaveLength(1);

    // "Until it recovers" ends at recovery.
    await saveMute(redis, prefix, workload, 'recovery', 'U0BOB0002', new Date());
    for (let i = 0; i < 4; i++) setPodState(kube, ns, podName('web', i), 'ready');
    await waitForText('C0INCIDENT', `${ns}/web`, 'recovered');
    // The recovery's message and the mute's end come from the same sync: poll Redis until it has happened.
    for (let i = 0; i < 200 && (await readMute(redis, prefix, workload)); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(await readMute(redis, prefix, workload)).toBeUndefined();
    await stopBot(bot);
  });

  it('a container the kubelet restarts until CrashLoopBackOff yields one alert once it passes the threshold', async () => {
    const ns = 'shop-k';
    kube.kubelet.addRule({ image: 'ghcr.io/acme/crashy', behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 2 } });
    const bot = await startBot(uniquePrefix('kubelet'), { allow: [ns] });
    kube.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'crashy-6b8d7f9c4-abcde',
        namespace: ns,
        labels: { app: 'crashy', 'pod-template-hash': '6b8d7f9c4' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'crashy-6b8d7f9c4', uid: 'rs-crashy', controller: true },
        ],
      },
      spec: { nodeName: 'alert-node-1', containers: [{ name: 'app', image: 'ghcr.io/acme/crashy:1.0.0' }] },
    });
    // Back-off 10 s, 20 s, 40 s, ... (kubelet): three restarts take about 80 s of cluster time.
    let restarts = 0;
    for (let s = 0; s < 400 && restarts < 3; s += 5) {
      clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 5));
      restarts =
        kube.store.get('pods', ns, 'crashy-6b8d7f9c4-abcde')?.status?.containerStatuses?.[0]?.restartCount ?? 0;
      if (restarts < 3) expect(about('C0INCIDENT', `${ns}/crashy`)).toHaveLength(0);
    }
    expect(restarts).toBeGreaterThanOrEqual(3);
    // Restart 3 is running; it exits after 2 s and then waits out its back-off in CrashLoopBackOff.
    clock.advance(5_000);
    await waitForText('C0INCIDENT', `${ns}/crashy`, 'Deployment shop-k/crashy is crash-looping — 1 pod failing');
    for (let s = 0; s < 120; s += 5) clock.advance(5_000);
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/crashy`)).toHaveLength(1);
  });

  it('a restarted bot with the same Redis updates the alert instead of posting it again', async () => {
    const ns = 'shop-b';
    const prefix = uniquePrefix('restart');
    const first = await startBot(prefix, { allow: [ns] });
    createPod(kube, ns, 'api', 0, 'crash');
    createPod(kube, ns, 'api', 1, 'ready');
    await waitForText('C0INCIDENT', `${ns}/api`, '1 pod failing');
    await settle(first);
    await stopBot(first);
    setPodState(kube, ns, podName('api', 1), 'crash');
    const second = await startBot(prefix, { allow: [ns] });
    await waitForText('C0INCIDENT', `${ns}/api`, '2 pods failing');
    await settle(second);
    expect(about('C0INCIDENT', `${ns}/api`)).toHaveLength(1);
    await stopBot(second);
  });

  it('a watch dropped mid-stream misses no transition and duplicates no alert', async () => {
    const ns = 'shop-c';
    const bot = await startBot(uniquePrefix('drop'), { allow: [ns] });
    createPod(kube, ns, 'cart', 0, 'crash');
    createPod(kube, ns, 'cart', 1, 'ready');
    await waitForText('C0INCIDENT', `${ns}/cart`, '1 pod failing');
    const watchesBefore = bot.watch.stats().watches;
    kube.faults.dropWatches();
    setPodState(kube, ns, podName('cart', 1), 'crash');
    createPod(kube, ns, 'search', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/cart`, '2 pods failing');
    await waitForText('C0INCIDENT', `${ns}/search`, '1 pod failing');
    await settle(bot);
    expect(bot.watch.stats().watches).toBeGreaterThan(watchesBefore);
    expect(about('C0INCIDENT', `${ns}/cart`)).toHaveLength(1);
    expect(about('C0INCIDENT', `${ns}/search`)).toHaveLength(1);
    await stopBot(bot);
  });

  it('a forced 410 relists: what changed while away is seen, what was known is not alerted again', async () => {
    const ns = 'shop-d';
    const bot = await startBot(uniquePrefix('expire'), { allow: [ns] });
    createPod(kube, ns, 'pay', 0, 'crash');
    createPod(kube, ns, 'pay', 1, 'ready');
    createPod(kube, ns, 'mail', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/pay`, '1 pod failing');
    await waitForText('C0INCIDENT', `${ns}/mail`, '1 pod failing');
    await settle(bot);
    // The relist is slowed so the changes below happen while the bot is away.
    const slow = kube.faults.latency(400, { verb: 'list', resource: 'pods' });
    kube.faults.expireWatches();
    await new Promise((r) => setTimeout(r, 100));
    setPodState(kube, ns, podName('pay', 1), 'crash');
    deletePod(kube, ns, podName('mail', 0));
    await waitForText('C0INCIDENT', `${ns}/pay`, '2 pods failing');
    await waitForText('C0INCIDENT', `${ns}/mail`, 'recovered after');
    slow();
    await settle(bot);
    expect(bot.watch.stats().expired).toBeGreaterThanOrEqual(1);
    expect(about('C0INCIDENT', `${ns}/pay`)).toHaveLength(1);
    expect(about('C0INCIDENT', `${ns}/mail`)).toHaveLength(1);
    await stopBot(bot);
  });

  it('a watch the server refuses with 500s comes back after back-off and catches up', async () => {
    const ns = 'shop-m';
    const bot = await startBot(uniquePrefix('errors'), { allow: [ns], backoffMs: 50 });
    const refuse = kube.faults.error({ status: 500, verb: 'watch', resource: 'pods', times: 3 });
    kube.faults.dropWatches();
    createPod(kube, ns, 'cron', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/cron`, '1 pod failing');
    refuse();
    expect(bot.watch.stats().errors).toBeGreaterThanOrEqual(1);
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/cron`)).toHaveLength(1);
  });

  it('a watch that goes quiet is resumed from where it was, without a relist', async () => {
    const ns = 'shop-q';
    const bot = await startBot(uniquePrefix('quiet'), { allow: [ns], inactivityMs: 200 });
    const before = bot.watch.stats();
    await new Promise((r) => setTimeout(r, 700));
    createPod(kube, ns, 'calm', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/calm`, '1 pod failing');
    const after = bot.watch.stats();
    expect(after.watches).toBeGreaterThan(before.watches + 1);
    expect(after.lists).toBe(before.lists);
    expect(after.errors).toBe(0);
  });

  it('a crash-looping pod briefly running between back-offs leaves the message alone', async () => {
    const ns = 'shop-n';
    const bot = await startBot(uniquePrefix('flap'), { allow: [ns] });
    createPod(kube, ns, 'flappy', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/flappy`, '1 pod failing');
    await settle(bot);
    const updates = slack.calls('chat.update').length;
    for (let i = 0; i < 3; i++) {
      setPodState(kube, ns, podName('flappy', 0), 'starting');
      setPodState(kube, ns, podName('flappy', 0), 'crash');
    }
    await settle(bot);
    expect(slack.calls('chat.update').length).toBe(updates);
    expect(about('C0INCIDENT', `${ns}/flappy`)).toHaveLength(1);
  });

  it('only pods matching alerts.labelSelector alert', async () => {
    const ns = 'shop-p';
    const bot = await startBot(uniquePrefix('selector'), { allow: [ns], alerts: { labelSelector: 'tier=web' } });
    createPod(kube, ns, 'batch', 0, 'crash');
    createPod(kube, ns, 'front', 0, 'crash', { tier: 'web' });
    await waitForText('C0INCIDENT', `${ns}/front`, 'crash-looping');
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/batch`)).toHaveLength(0);
  });

  it('when every pod is Ready again the alert says how long the workload was down', async () => {
    const ns = 'shop-e';
    const bot = await startBot(uniquePrefix('recover'), { allow: [ns] });
    createPod(kube, ns, 'auth', 0, 'crash');
    createPod(kube, ns, 'auth', 1, 'crash');
    await waitForText('C0INCIDENT', `${ns}/auth`, '2 pods failing');
    setPodState(kube, ns, podName('auth', 0), 'ready');
    await settle(bot);
    expect(about('C0INCIDENT', `${ns}/auth`)[0]?.text).not.toContain('recovered');
    setPodState(kube, ns, podName('auth', 1), 'ready');
    const m = await waitForText('C0INCIDENT', `${ns}/auth`, 'recovered after');
    expect(m.text).toMatch(/Deployment shop-e\/auth recovered after \d+ min/);
    expect(about('C0INCIDENT', `${ns}/auth`)).toHaveLength(1);
    await stopBot(bot);
  });

  it('routing sends each namespace to its channel', async () => {
    const bot = await startBot(uniquePrefix('route'), { allow: ['platform-x', 'shop-f'] });
    createPod(kube, 'platform-x', 'ingress', 0, 'crash');
    createPod(kube, 'shop-f', 'web', 0, 'crash');
    await waitForText('G0PLATFORM', 'platform-x/ingress', 'crash-looping');
    await waitForText('C0INCIDENT', 'shop-f/web', 'crash-looping');
    await settle(bot);
    expect(about('C0INCIDENT', 'platform-x/ingress')).toHaveLength(0);
    expect(about('G0PLATFORM', 'shop-f/web')).toHaveLength(0);
    await stopBot(bot);
  });

  it('two replicas sharing Redis alert once', async () => {
    const ns = 'shop-g';
    const prefix = uniquePrefix('replicas');
    const a = await startBot(prefix, { allow: [ns] });
    const b = await startBot(prefix, { allow: [ns] });
    createPod(kube, ns, 'queue', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/queue`, '1 pod failing');
    createPod(kube, ns, 'queue', 1, 'crash');
    await waitForText('C0INCIDENT', `${ns}/queue`, '2 pods failing');
    await settle(a, b);
    expect(about('C0INCIDENT', `${ns}/queue`)).toHaveLength(1);
    expect(a.manager.stats().posted + b.manager.stats().posted).toBe(1);
    await Promise.all([stopBot(a), stopBot(b)]);
  });

  it('a claim whose replica died before posting is taken over, once', async () => {
    const ns = 'shop-r';
    const prefix = uniquePrefix('stale');
    const key = alertRecordKey(prefix, `${ns}/Deployment/orphan`);
    const longAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    await redis.set(key, JSON.stringify({ since: longAgo, claimedAt: longAgo }), 'EX', 1800);
    const a = await startBot(prefix, { allow: [ns] });
    const b = await startBot(prefix, { allow: [ns] });
    createPod(kube, ns, 'orphan', 0, 'crash');
    await waitForText('C0INCIDENT', `${ns}/orphan`, '1 pod failing');
    await settle(a, b);
    expect(about('C0INCIDENT', `${ns}/orphan`)).toHaveLength(1);
    expect(JSON.parse((await redis.get(key)) ?? '{}').posted?.channel).toBe('C0INCIDENT');
  });

  it('an alert Slack refuses for good gives its claim back', async () => {
    const ns = 'shop-s';
    const prefix = uniquePrefix('refused');
    // The bot is not a member of the private G0SECOPS0: chat.postMessage answers channel_not_found, for good.
    const bot = await startBot(prefix, { allow: [ns], alerts: { channel: 'G0SECOPS0' } });
    createPod(kube, ns, 'lost', 0, 'crash');
    await slack.waitFor(() => bot.manager.stats().dropped > 0, 10_000, 'the refused post');
    await settle(bot);
    expect(await redis.exists(alertRecordKey(prefix, `${ns}/Deployment/lost`))).toBe(0);
  });

  it('our own debug pods never alert, and namespaces outside policy are not watched', async () => {
    const bot = await startBot(uniquePrefix('managed'), { allow: ['shop-h*'] });
    createPod(kube, 'shop-h', 'web-debug', 0, 'crash', { [MANAGED_LABEL]: 'true' });
    createPod(kube, 'other-h', 'web', 0, 'crash');
    createPod(kube, 'shop-h', 'real', 0, 'crash');
    await waitForText('C0INCIDENT', 'shop-h/real', 'crash-looping');
    await settle(bot);
    expect(about('C0INCIDENT', 'shop-h/web-debug')).toHaveLength(0);
    expect(about('C0INCIDENT', 'other-h/web')).toHaveLength(0);
    await stopBot(bot);
  });

  it('past maxWorkloadsPerBurst, the rest of the storm is one summary message', async () => {
    const ns = 'storm-b';
    const bot = await startBot(uniquePrefix('summary'), { allow: [ns], alerts: { maxWorkloadsPerBurst: 3 } });
    for (let d = 0; d < 7; d++) for (let i = 0; i < 2; i++) createPod(kube, ns, `job${d}`, i, 'crash');
    const summary = await slack.waitFor(
      () =>
        slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => m.text === '4 more workloads are failing'),
      10_000,
      'a summary of 4 workloads',
    );
    await settle(bot);
    const individual = [...Array(7).keys()].filter((d) => about('C0INCIDENT', `${ns}/job${d} `).length === 1);
    expect(individual).toHaveLength(3);
    const listed = JSON.stringify(summary.blocks);
    for (let d = 0; d < 7; d++) expect(individual.includes(d) !== listed.includes(`${ns}/job${d}\``)).toBe(true);
    expect(bot.manager.stats()).toMatchObject({ posted: 3, summaries: 1 });
  });

  it('a storm of 200 failing pods across 10 Deployments posts 10 messages within Slack rate limits', async () => {
    slack.rateLimits(true);
    try {
      const ns = 'storm-a';
      // Pacing at 1 s per channel is the production default; the simulator's 429s must be absorbed, not lost.
      const bot = await startBot(uniquePrefix('storm'), { allow: [ns], intervalMs: 200 });
      const posts = slack.calls('chat.postMessage').length;
      const limited = slack.rateLimited();
      for (let d = 0; d < 10; d++) for (let i = 0; i < 20; i++) createPod(kube, ns, `svc${d}`, i, 'crash');
      await slack.waitFor(
        () =>
          [...Array(10).keys()].every((d) =>
            about('C0INCIDENT', `${ns}/svc${d} `).some((m) => m.text.includes('20 pods')),
          ),
        30_000,
        'ten alerts with 20 pods each',
      );
      await settle(bot);
      for (let d = 0; d < 10; d++) expect(about('C0INCIDENT', `${ns}/svc${d} `)).toHaveLength(1);
      const calls = slack.calls('chat.postMessage').slice(posts);
      expect(calls.filter((c) => c.ok)).toHaveLength(10);
      // Slack did rate-limit the storm; the bot's client waited out every 429 it served, and none became a lost
      // message or a second post.
      const served = slack.rateLimited() - limited;
      expect(served).toBeGreaterThan(0);
      expect(bot.rateLimits).toHaveLength(served);
      expect(bot.rateLimits.every((w) => w.waited)).toBe(true);
      expect(bot.manager.stats().dropped).toBe(0);
      await stopBot(bot);
    } finally {
      slack.rateLimits(false);
    }
  }, 40_000);
});
