import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkload, defaultPodSpec } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import type { KubeObject } from '../sim/kube/store-contract.js';
import { visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

/**
 * Deployment `demo/checkout` with three pods: two healthy, one crash-looping. `/debugdead deploy/checkout -n demo`
 * must diagnose the crash-looping one and list the other two.
 */
describe('/debugdead with a workload target', () => {
  let h: Harness;
  let crashing = '';
  beforeAll(async () => {
    h = await startHarness({
      beforeStart: ({ kube }) => {
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
        crashing = first.metadata.name;
        kube.store.create('pods', { ...first, spec: defaultPodSpec(DEFAULT_APPS['crash-exit1']) });
        for (const p of rest) kube.store.create('pods', p);
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('`deploy/checkout -n demo` diagnoses the crash-looping pod and lists its siblings', async () => {
    await h.slack.waitFor(
      () => {
        const pod = h.kube.store.peek('pods', 'demo', crashing);
        return pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' || undefined;
      },
      20_000,
      'the pod in CrashLoopBackOff',
    );
    const delivery = await h.slack
      .user('U0ALICE01')
      .runCommand('/debugdead', 'deploy/checkout -n demo', { channel: 'C0INCIDENT' });
    expect(delivery.acked).toBe(true);
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => visibleText(m).includes('Deployment `demo/checkout`')),
      15_000,
      'the summary',
    );
    const seen = visibleText(summary);
    expect(seen).toContain(
      `Deployment \`demo/checkout\` has 3 pods. Diagnosing the worst, \`${crashing}\` (CrashLoopBackOff`,
    );
    expect(seen).toMatch(/Siblings: `checkout-\S+` \S.* · `checkout-\S+` /);
    expect(seen).toContain(`demo/${crashing} — CrashLoopBackOff, exit 1`);
  });

  it('a workload that is not there is named with its kind, and nothing is posted in the channel', async () => {
    const before = h.slack.channel('C0INCIDENT').messages().length;
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'sts/nope demo', { channel: 'C0INCIDENT' });
    const told = await h.slack.waitFor(
      () =>
        h.slack
          .ephemerals('U0ALICE01', 'C0INCIDENT')
          .find((m) => visibleText(m).includes('No statefulset `nope` in namespace `demo`')),
      15_000,
      'the answer',
    );
    expect(told).toBeDefined();
    expect(h.slack.channel('C0INCIDENT').messages().length).toBe(before);
  });
});
