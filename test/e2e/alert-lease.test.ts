import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startDebugdead } from '../../src/app.js';
import type { Config } from '../../src/config/index.js';
import { createKubeClient, loadKubeConfig } from '../../src/kube/index.js';
import type { ManualClock } from '../sim/kube/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const ALERTS = 'C0INCIDENT';
const TUNING = { channelIntervalMs: 50, leaseRetryMs: 200 };

const silent = () =>
  pino(
    { level: 'warn' },
    new Writable({
      write(_c, _e, done) {
        done();
      },
    }),
  );

/** The alert messages per workload (`demo/crash-exit1` → 1). */
function alertsPerWorkload(h: Harness): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of h.slack.channel(ALERTS).messages()) {
    const text = visibleText(m);
    if (!/:rotating_light:/.test(text)) continue;
    const workload = text.match(/Deployment `([^`]+)`/)?.[1] ?? '?';
    counts[workload] = (counts[workload] ?? 0) + 1;
  }
  return counts;
}

describe('two replicas: one alert watcher, elected by a Lease', () => {
  let h: Harness;
  let second: RunningBot;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = ALERTS;
        c.alerts.labelSelector = 'app in (crash-exit1,oom,checkout-canary)';
        c.alerts.restartThreshold = 1;
        c.alerts.leaseDurationSeconds = 2;
      },
      alertTuning: TUNING,
    });
    const config = structuredClone(h.config) as Config;
    config.health.port = 0;
    second = await startDebugdead({
      config,
      log: silent(),
      auditLogger: silent(),
      kube: createKubeClient(loadKubeConfig({ kubeconfigPath: config.kubernetes.kubeconfig as string }), {
        timeoutMs: 5000,
        clusterName: 'sim',
      }),
      listenHost: '127.0.0.1',
      alertTuning: TUNING,
    });
  });
  afterAll(async () => {
    await second?.stop();
    await h?.stop();
  });

  it('exactly one replica watches, and each failing workload gets one alert', async () => {
    expect([h.bot.isAlertWatcher(), second.isAlertWatcher()].filter(Boolean)).toHaveLength(1);
    await h.slack.waitFor(
      () => {
        const c = alertsPerWorkload(h);
        return c['demo/crash-exit1'] && c['demo/oom'];
      },
      20_000,
      'alerts for crash-exit1 and oom',
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(alertsPerWorkload(h)).toEqual({ 'demo/crash-exit1': 1, 'demo/oom': 1 });
  });

  it('when the watcher stops, the other takes over within the lease duration: no alert missed, none repeated', async () => {
    const [leader, follower] = h.bot.isAlertWatcher() ? [h.bot, second] : [second, h.bot];
    const stoppedAt = Date.now();
    // A graceful stop (SIGTERM): the watcher stops, then releases the Lease. The simulators stay up.
    await leader.stop();
    await h.slack.waitFor(() => follower.isAlertWatcher() || undefined, 5000, 'the other replica leading');
    expect(Date.now() - stoppedAt).toBeLessThan(2000); // the lease duration

    // A workload that starts failing after the failover is alerted by the new watcher, once.
    const w = buildWorkload({
      namespace: 'demo',
      app: 'checkout-canary',
      spec: DEFAULT_APPS['crash-exit1'],
      createdAt: new Date(h.kube.clock.now()).toISOString(),
    });
    h.kube.store.create('deployments', w.deployment);
    h.kube.store.create('replicasets', w.replicaSet);
    h.kube.store.create('pods', w.pod);
    (h.kube.clock as ManualClock).advance(5 * 60_000);
    await h.slack.waitFor(() => alertsPerWorkload(h)['demo/checkout-canary'], 30_000, 'the alert for checkout-canary');
    await new Promise((r) => setTimeout(r, 1000));
    expect(alertsPerWorkload(h)).toEqual({ 'demo/crash-exit1': 1, 'demo/oom': 1, 'demo/checkout-canary': 1 });
  });
});
