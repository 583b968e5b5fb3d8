import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim, ManualClock } from '../sim/kube/index.js';
import { buildWorkload, defaultPodSpec } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import type { KubeObject } from '../sim/kube/store-contract.js';
import { visibleText } from '../sim/slack/index.js';
import { type ClusterHarness, startClusterHarness } from '../support/cluster-harness.js';
import { eventually } from '../support/e2e-steps.js';
import { addNotReadyWorkload } from '../support/not-ready-workload.js';

const INCIDENT = 'C0INCIDENT'; // prod-eu's alerts (the global alerts.channel) and its default
const PLATFORM = 'G0PLATFORM'; // prod-us's alerts and its default
const GENERAL = 'C0GENERAL'; // staging's alerts; no default cluster

/** Deployment demo/checkout, three pods, the first crash-looping: in prod-us only. */
function addCheckout(kube: KubeSim): string {
  const w = buildWorkload({
    namespace: 'demo',
    app: 'checkout',
    spec: DEFAULT_APPS.healthy,
    replicas: 3,
    createdAt: new Date(kube.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  kube.store.create('deployments', w.deployment);
  kube.store.create('replicasets', w.replicaSet);
  const [first, ...rest] = w.pods as [KubeObject, ...KubeObject[]];
  kube.store.create('pods', { ...first, spec: defaultPodSpec(DEFAULT_APPS['crash-exit1']) });
  for (const p of rest) kube.store.create('pods', p);
  return first.metadata.name;
}

/**
 * Deployment demo/crash-exit1 scaled to two: its ReplicaSet keeps a second, also failing pod, and the alert's count
 * goes to 2 pods.
 */
function addSecondCrashPod(kube: KubeSim): void {
  const w = buildWorkload({
    namespace: 'demo',
    app: 'crash-exit1',
    spec: DEFAULT_APPS['crash-exit1'],
    createdAt: new Date(kube.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    podName: 'crash-exit1-second',
  });
  for (const resource of ['deployments', 'replicasets'] as const) {
    const object = kube.store.get(
      resource,
      'demo',
      (resource === 'deployments' ? w.deployment : w.replicaSet).metadata.name,
    )!;
    kube.store.update(resource, { ...object, spec: { ...object.spec, replicas: 2 } });
  }
  kube.store.create('pods', w.pod);
}

describe('day-two actions through the agents: one gateway, three clusters', () => {
  let h: ClusterHarness;
  let crashing = '';
  beforeAll(async () => {
    h = await startClusterHarness({
      configure: (doc) => {
        doc.bindings = [
          { channels: [INCIDENT], namespaces: ['*'], cluster: 'prod-eu' },
          { channels: [PLATFORM], namespaces: ['*'], cluster: 'prod-us' },
          { channels: [GENERAL], namespaces: ['*'] },
        ];
        // Alert channels by name, as people write them: the agents route by these names (they cannot ask Slack),
        // the gateway resolves them once at start, probes them, and posts by id.
        doc.alerts = { enabled: true, channel: '#incident', labelSelector: 'app=crash-exit1', leaseDuration: '2s' };
        doc.clusters = [
          { name: 'prod-eu', kubectlContext: 'ctx-prod-eu' },
          { name: 'prod-us', kubectlContext: 'ctx-prod-us', alerts: { channel: '#platform' } },
          {
            name: 'staging',
            kubectlContext: 'ctx-staging',
            alerts: { routes: [{ namespaces: ['demo'], channel: '#general' }] },
          },
        ];
      },
      beforeStart: ({ kube }) => {
        crashing = addCheckout(kube['prod-us']!);
        addNotReadyWorkload(kube['prod-us']!, 'quotes');
      },
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  const messageNow = (channel: string, ts: string) =>
    h.slack
      .channel(channel)
      .messages()
      .find((m) => m.ts === ts)!;
  /** The alert of Deployment demo/crash-exit1 in `channel`, once posted with its buttons. */
  const alertIn = (channel: string) =>
    h.slack.waitFor(
      () =>
        h.slack
          .channel(channel)
          .messages()
          .find(
            (m) => /Deployment .*demo\/crash-exit1/.test(visibleText(m)) && /Create debug clone/.test(visibleText(m)),
          ),
      40_000,
      `the crash-exit1 alert in ${channel}`,
    );
  const summaryIn = (channel: string, pattern: RegExp, before: Set<string>, what: string) =>
    h.slack.waitFor(
      () =>
        h.slack
          .channel(channel)
          .messages()
          .find((m) => !before.has(m.ts) && pattern.test(visibleText(m))),
      20_000,
      what,
    );
  const seen = (channel: string) =>
    new Set(
      h.slack
        .channel(channel)
        .messages()
        .map((m) => m.ts),
    );
  const metrics = async () => {
    const res = await fetch(`http://127.0.0.1:${h.gateway.healthPort}/metrics`);
    return res.text();
  };

  it('`deploy/checkout -n demo` with no cluster named is found in prod-us, its worst pod diagnosed there', async () => {
    await h.slack.waitFor(
      () =>
        h.clusters['prod-us']!.kube.store.peek('pods', 'demo', crashing)?.status?.containerStatuses?.[0]?.state?.waiting
          ?.reason === 'CrashLoopBackOff' || undefined,
      20_000,
      'the checkout pod in CrashLoopBackOff',
    );
    const before = seen(GENERAL);
    const delivery = await h.slack
      .user('U0ALICE01')
      .runCommand('/debugdead', 'deploy/checkout -n demo', { channel: GENERAL });
    expect(String(delivery.response?.text)).toContain('in @prod-us');
    const summary = await summaryIn(GENERAL, /Deployment `demo\/checkout`/, before, 'the workload summary');
    const text = visibleText(summary);
    expect(text).toContain(
      `Deployment \`demo/checkout\` has 3 pods. Diagnosing the worst, \`${crashing}\` (CrashLoopBackOff`,
    );
    expect(text).toMatch(/Siblings: `checkout-\S+` \S.* · `checkout-\S+` /);
    expect(text).toContain(`demo/${crashing} — CrashLoopBackOff, exit 1`);
    expect(text).toMatch(/Cluster \*?@prod-us/);

    // Named in another cluster, it is not there: said with its kind, nothing posted in the channel.
    const count = h.slack.channel(GENERAL).messages().length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'deploy/checkout -n demo @prod-eu', { channel: GENERAL });
    await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals('U0ALICE01', GENERAL)
          .find((m) => visibleText(m as never).includes('No deployment `checkout` in namespace `demo`')),
      15_000,
      'the not-found answer from prod-eu',
    );
    expect(h.slack.channel(GENERAL).messages().length).toBe(count);
  });

  it('More logs on a prod-us summary: read by its agent, redacted, posted in the thread, audited with the cluster', async () => {
    const before = seen(PLATFORM);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'multi demo', { channel: PLATFORM });
    const summary = await summaryIn(PLATFORM, /demo\/multi —/, before, 'the summary of multi');
    await h.slack
      .user('U0ALICE01')
      .choose(summary, 'debugdead.more_logs', 'Last 1 h · current instance', { group: 'log-shipper' });
    const replies = await h.slack.waitFor(
      () => {
        const all = h.slack.thread(PLATFORM, summary.ts).replies();
        const at = all.findIndex((m) => visibleText(m).includes('More logs of `log-shipper`'));
        const after = at >= 0 ? all.slice(at + 1) : [];
        return after.some((m) => visibleText(m).includes('log-shipper —')) ? [all[at]!, ...after] : undefined;
      },
      20_000,
      'more logs of log-shipper',
    );
    const text = replies.map(visibleText).join('\n');
    expect(text).toMatch(
      /More logs of `log-shipper`, current instance \(restart 0\), for <@U0ALICE01>: the last 1 h: \d+ lines?\./,
    );
    expect(text).not.toMatch(/hunter2/);
    const audited = await h.slack.waitFor(
      () =>
        h.auditEntries().find((e) => e.action === 'button.clicked' && /more logs: log-shipper/.test(e.detail ?? '')),
      5_000,
      'the audit record',
    );
    expect(audited).toMatchObject({ result: 'ok', target: { cluster: 'prod-us', pod: 'multi' } });
  });

  it('Attach debug container on prod-us: the agent adds it there, the exec line has its context, /metrics counts per cluster', async () => {
    const kube = h.clusters['prod-us']!.kube;
    await h.slack.waitFor(
      () =>
        kube.store.get('pods', 'demo', 'quotes')?.status.containerStatuses?.[0]?.state?.running ? true : undefined,
      10_000,
      'the quotes pod running',
    );
    const before = seen(PLATFORM);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'quotes demo', { channel: PLATFORM });
    const summary = await summaryIn(PLATFORM, /demo\/quotes —/, before, 'the summary of quotes');
    expect(visibleText(summary)).toMatch(/Attach debug container/);
    await h.slack.user('U0ALICE01').click(summary, 'Attach debug container', { confirm: true });
    const ready = await h.slack.waitFor(
      () => {
        const now = messageNow(PLATFORM, summary.ts);
        return /:white_check_mark: Running/.test(visibleText(now)) ? now : undefined;
      },
      20_000,
      'the running debug container',
    );
    const [added] = kube.store.get('pods', 'demo', 'quotes')?.spec.ephemeralContainers ?? [];
    expect(added?.name).toMatch(/^debugger-[a-z0-9]{5}$/);
    expect(visibleText(ready)).toContain(
      `kubectl --context ctx-prod-us exec -it -n demo quotes -c ${added.name} -- sh`,
    );
    for (const other of ['prod-eu', 'staging'])
      expect(h.clusters[other]!.kube.store.get('pods', 'demo', 'quotes')).toBeUndefined();
    const attached = await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'approval.granted' && e.target?.pod === 'quotes'),
      5_000,
      'the approval audited',
    );
    expect(attached.target.cluster).toBe('prod-us');

    // Its end is a delayed job in prod-us's own queue, and the gateway's /metrics says so per cluster.
    const body = await eventually(
      async () => {
        const text = await metrics();
        return /debugdead_jobs\{state="delayed",cluster="prod-us"\} [1-9]/.test(text) ? text : undefined;
      },
      10_000,
      'the delayed end job counted for prod-us',
    );
    expect(body).toMatch(/debugdead_queue_depth\{cluster="prod-us"\} [1-9]/);
    expect(body).toMatch(/debugdead_queue_depth\{cluster="staging"\} 0/);
    expect(body).not.toMatch(/debugdead_queue_depth [0-9]/);
  });

  it('Mute on a prod-us alert silences prod-us only: the same workload in staging still updates', async () => {
    const usAlert = await alertIn(PLATFORM);
    const stagingAlert = await alertIn(GENERAL);
    await h.slack.user('U0ALICE01').choose(usAlert, 'debugdead.mute', 'Mute 1 h');
    await h.slack.waitFor(
      () =>
        /Muted by <@U0ALICE01> until \d\d:\d\d UTC/.test(JSON.stringify(messageNow(PLATFORM, usAlert.ts).blocks))
          ? true
          : undefined,
      10_000,
      'the mute notice',
    );
    const muted = await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'alert.muted' && e.result === 'ok'),
      5_000,
      'the mute audited',
    );
    expect(muted).toMatchObject({
      actor: { id: 'U0ALICE01' },
      target: { cluster: 'prod-us' },
      detail: 'demo/Deployment/crash-exit1 for 1 h',
    });
    // Kept in prod-us's key space, where its agent (whose Redis user sees only that space) reads it.
    const redis = new Redis(h.redisUrl);
    try {
      expect(await redis.exists(`${h.prefix}:cluster.prod-us.state:mute:demo/Deployment/crash-exit1`)).toBe(1);
      expect(await redis.exists(`${h.prefix}:cluster.staging.state:mute:demo/Deployment/crash-exit1`)).toBe(0);
      expect(await redis.exists(`${h.prefix}:mute:demo/Deployment/crash-exit1`)).toBe(0);
    } finally {
      redis.disconnect();
    }

    // A second pod of the workload fails in both clusters: staging's alert counts it, prod-us's stays as it was.
    for (const cluster of ['prod-us', 'staging']) {
      const { kube } = h.clusters[cluster]!;
      addSecondCrashPod(kube);
      (kube.clock as ManualClock).advance(5 * 60_000);
    }
    await h.slack.waitFor(
      () => (/2 pods failing/.test(visibleText(messageNow(GENERAL, stagingAlert.ts))) ? true : undefined),
      45_000,
      "staging's alert updated to 2 pods",
    );
    await new Promise((r) => setTimeout(r, 1500));
    // Both of prod-us's pods are there and failing; only the mute keeps its alert from saying so.
    for (const pod of ['crash-exit1', 'crash-exit1-second'])
      expect(
        h.clusters['prod-us']!.kube.store.get('pods', 'demo', pod)?.status.containerStatuses?.[0]?.restartCount,
      ).toBeGreaterThan(0);
    const usNow = visibleText(messageNow(PLATFORM, usAlert.ts));
    expect(usNow).toMatch(/1 pod failing/);
    expect(usNow).not.toMatch(/2 pods failing/);

    // Unmute ends it in prod-us's keys, audited with the cluster.
    await h.slack.user('U0ALICE01').choose(messageNow(PLATFORM, usAlert.ts), 'debugdead.mute', 'Unmute');
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'alert.unmuted' && e.target?.cluster === 'prod-us'),
      10_000,
      'the unmute audited',
    );
    const after = new Redis(h.redisUrl);
    try {
      expect(await after.exists(`${h.prefix}:cluster.prod-us.state:mute:demo/Deployment/crash-exit1`)).toBe(0);
    } finally {
      after.disconnect();
    }
  }, 90_000);

  it('with its agent gone, a workload target, More logs and Mute say when it was last seen, and the audit names it', async () => {
    const before = seen(GENERAL);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'multi demo @staging', { channel: GENERAL });
    const summary = await summaryIn(GENERAL, /demo\/multi —/, before, 'the staging summary of multi');
    const stagingAlert = await alertIn(GENERAL);
    h.clusters.staging!.killAgent();
    const killedAt = Date.now();
    let answer = '';
    while (Date.now() - killedAt < 5000) {
      const d = await h.slack
        .user('U0ALICE01')
        .runCommand('/debugdead', 'deploy/checkout -n demo @staging', { channel: GENERAL });
      answer = String(d.response?.text);
      if (/last seen/.test(answer)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toMatch(/agent for @staging was last seen \d+ (ms|s) ago/);

    const said = (pattern: RegExp, what: string) =>
      h.slack.waitFor(() => h.slack.ephemerals('U0CAROL03', GENERAL).find((e) => pattern.test(e.text)), 5_000, what);
    const t0 = Date.now();
    await h.slack
      .user('U0CAROL03')
      .choose(summary, 'debugdead.more_logs', 'Last 1 h · current instance', { group: 'log-shipper' });
    await said(/agent for @staging was last seen/, 'the More logs answer');
    expect(Date.now() - t0).toBeLessThan(2000);
    await h.slack.user('U0CAROL03').choose(stagingAlert, 'debugdead.mute', 'Mute 24 h');
    const muteAnswers = () =>
      h.slack.ephemerals('U0CAROL03', GENERAL).filter((e) => /agent for @staging was last seen/.test(e.text));
    await h.slack.waitFor(() => (muteAnswers().length >= 2 ? true : undefined), 5_000, 'the Mute answer');
    expect(JSON.stringify(messageNow(GENERAL, stagingAlert.ts).blocks)).not.toContain('Muted by');

    // The gateway's audit trail names the cluster whose agent could not answer, and what was asked of it.
    const failures = () =>
      h
        .auditEntries()
        .filter((e) => e.action === 'error' && e.target?.cluster === 'staging')
        .map((e) => e.detail)
        .join('\n');
    for (const kind of ['more-logs', 'workload-of'])
      await h.slack.waitFor(
        () => new RegExp(`${kind} task not answered: .*agent for @staging was last seen`).test(failures()) || undefined,
        5_000,
        `the ${kind} failure audited`,
      );
    await h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .find((e) => e.action === 'alert.muted' && e.result === 'error' && e.target?.cluster === 'staging'),
      5_000,
      'the refused mute audited',
    );
    // Nothing was muted meanwhile.
    const redis = new Redis(h.redisUrl);
    try {
      expect(await redis.exists(`${h.prefix}:cluster.staging.state:mute:demo/Deployment/crash-exit1`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
