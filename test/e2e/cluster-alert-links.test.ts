import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../sim/kube/index.js';
import { buildWorkload, DEFAULT_APPS } from '../sim/kube/scenarios/index.js';
import { visibleText } from '../sim/slack/index.js';
import { type ClusterHarness, startClusterHarness } from '../support/cluster-harness.js';

const ALERTS = 'C0INCIDENT';

describe('alert links with many clusters: the cluster is part of the workload', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({
      clusters: ['prod-eu', 'prod-us'],
      configure: (doc) => {
        // Both clusters alert into one channel; new pods alert only once their cluster's clock is moved on.
        doc.alerts = {
          enabled: true,
          channel: ALERTS,
          labelSelector: 'app=twin',
          restartThreshold: 5,
          leaseDuration: '2s',
        };
      },
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("a diagnosis @prod-eu is linked from prod-eu's alert only; prod-us's same-named workload is diagnosed", async () => {
    let pod = '';
    for (const name of ['prod-eu', 'prod-us']) {
      const kube = h.clusters[name]!.kube;
      const w = buildWorkload({
        namespace: 'demo',
        app: 'twin',
        spec: DEFAULT_APPS['crash-exit1'],
        createdAt: new Date(kube.clock.now()).toISOString(),
      });
      kube.store.create('deployments', w.deployment);
      kube.store.create('replicasets', w.replicaSet);
      kube.store.create('pods', w.pod);
      pod = w.pod.metadata.name as string;
    }
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${pod} -n demo @prod-eu`, { channel: ALERTS });
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel(ALERTS)
          .messages()
          .find((m) => m.text.startsWith(`demo/${pod} `)),
      30_000,
      'the diagnosis @prod-eu',
    );
    for (const name of ['prod-eu', 'prod-us']) (h.clusters[name]!.kube.clock as ManualClock).advance(5 * 60_000);

    const alertOf = (cluster: string) =>
      h.slack.waitFor(
        () =>
          h.slack
            .channel(ALERTS)
            .messages()
            .find(
              (m) =>
                /:rotating_light:/.test(visibleText(m)) &&
                visibleText(m).includes('Deployment `demo/twin`') &&
                visibleText(m).includes(`Cluster *@${cluster}*`),
            ),
        40_000,
        `the alert of ${cluster}`,
      );
    const eu = await alertOf('prod-eu');
    expect(visibleText(eu)).toContain('Diagnosed by <@U0ALICE01>');
    expect(JSON.stringify(eu.blocks)).toContain(
      `/archives/${ALERTS}/p${summary.ts.replace('.', '')}|open the diagnosis`,
    );
    expect(visibleText(eu)).not.toContain('Create debug clone');
    const us = await alertOf('prod-us');
    expect(visibleText(us)).toContain('Create debug clone');
    expect(visibleText(us)).not.toContain('Diagnosed by');
  });
});
