import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildNamespace, buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import { type SlackSim, startSlackSim, visibleText } from '../sim/slack/index.js';
import { type BotProcess, spawnBotProcess } from '../support/bot-process.js';
import { freePort } from '../support/free-port.js';
import { testRedisEnv } from '../support/redis.js';

// Two `debugdead run` processes, as two pods of the Deployment, against the same simulated cluster, Slack and Redis.
// One holds the Lease and alerts; it is then killed (SIGKILL: no release, as a node failure), and the other takes over
// once the Lease expires. Every failing workload gets exactly one alert across both.

const ALERTS = 'C0INCIDENT';

describe('two bot processes, one alert watcher through the Lease', () => {
  let kube: KubeSim;
  let slack: SlackSim;
  const replicas: { name: string; bot: BotProcess; healthPort: number }[] = [];

  const alertsPerWorkload = () => {
    const counts: Record<string, number> = {};
    for (const m of slack.channel(ALERTS).messages()) {
      const text = visibleText(m);
      if (!/:rotating_light:/.test(text)) continue;
      const workload = text.match(/Deployment `([^`]+)`/)?.[1] ?? '?';
      counts[workload] = (counts[workload] ?? 0) + 1;
    }
    return counts;
  };
  /** Which replica logged that it watches pods (the Lease holder). */
  const watchers = () => replicas.filter((r) => /"msg":"alerts watching pods"/.test(r.bot.stdout()));

  beforeAll(async () => {
    const clock = new ManualClock(Date.now() - 15 * 60_000);
    kube = await startKubeSim({ clock, scenario: 'default' });
    kube.store.create('namespaces', buildNamespace('debugdead-system'));
    clock.advance(Date.now() - clock.now());
    slack = await startSlackSim({ rateLimits: false });
    const dir = mkdtempSync(join(tmpdir(), 'debugdead-lease-'));
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    const signingKey = randomBytes(32).toString('hex');
    const prefix = `{lease-${randomBytes(4).toString('hex')}}`;
    for (const name of ['a', 'b']) {
      const healthPort = await freePort();
      const file = join(dir, `debugdead-${name}.yaml`);
      writeFileSync(
        file,
        yaml.dump({
          cluster: { name: 'sim' },
          slack: { mode: 'socket', apiUrl: slack.apiUrl },
          redis: { prefix },
          kubernetes: { kubeconfig: join(dir, 'kubeconfig'), defaultNamespace: 'demo' },
          alerts: {
            enabled: true,
            channel: ALERTS,
            labelSelector: 'app in (crash-exit1,oom,checkout-canary)',
            restartThreshold: 1,
            leaseDuration: '2s',
          },
          log: { level: 'info' },
          health: { port: healthPort },
        }),
      );
      const bot = spawnBotProcess({
        cwd: dir,
        env: {
          DEBUGDEAD_CONFIG: file,
          SLACK_BOT_TOKEN: slack.botToken,
          SLACK_APP_TOKEN: slack.appToken,
          DEBUGDEAD_SIGNING_KEY: signingKey,
          ...testRedisEnv(),
        },
      });
      replicas.push({ name, bot, healthPort });
      await bot.waitUntil(
        () =>
          fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
            (r) => r.status === 200,
            () => false,
          ),
        45_000,
        `replica ${name} did not become ready`,
      );
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.bot.stop()));
    await slack?.close();
    await kube?.close();
  });

  it('one process alerts; killed, the other takes over: each failing workload is alerted exactly once', async () => {
    await slack.waitFor(
      () => {
        const c = alertsPerWorkload();
        return c['demo/crash-exit1'] && c['demo/oom'];
      },
      30_000,
      'alerts for crash-exit1 and oom',
    );
    expect(watchers().map((r) => r.name)).toHaveLength(1);
    const [leader] = watchers();
    const follower = replicas.find((r) => r !== leader)!;

    // A node failure: no graceful stop, so the Lease is not released and must expire (alerts.leaseDuration 2s).
    const killedAt = Date.now();
    leader!.bot.signal('SIGKILL');
    await slack.waitFor(
      () => (/"msg":"alerts watching pods"/.test(follower.bot.stdout()) ? true : undefined),
      15_000,
      'the other replica watching',
    );
    // The lease duration, plus one retry of the follower and its own start.
    expect(Date.now() - killedAt).toBeLessThan(8000);

    // A workload that starts failing after the failover is alerted by the new watcher; the others are not again.
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
    await slack.waitFor(() => alertsPerWorkload()['demo/checkout-canary'], 30_000, 'the alert for checkout-canary');
    await new Promise((r) => setTimeout(r, 2000));
    expect(alertsPerWorkload()).toEqual({ 'demo/crash-exit1': 1, 'demo/oom': 1, 'demo/checkout-canary': 1 });
  }, 90_000);
});
