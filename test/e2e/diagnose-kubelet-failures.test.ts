/**
 * Failure classes that live in the kubelet's events and container states, end to end: the simulated kubelet runs
 * the pod, a person types /debugdead in Slack, and the summary names the real cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { eventually } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';

describe('/debugdead on a pod whose postStart hook fails', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'socket' });
    await h.cluster.addKubeletRule({
      image: 'ghcr.io/acme/cache-warmer',
      command: '/hooks/warm.sh',
      behaviour: {
        kind: 'exit',
        exitCode: 7,
        afterSeconds: 0.1,
        logs: ['curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused'],
      },
    });
    const w = buildWorkload({
      namespace: 'demo',
      app: 'warmer',
      spec: {
        containers: [
          {
            name: 'app',
            image: 'ghcr.io/acme/cache-warmer:2.0.0',
            lifecycle: { postStart: { exec: { command: ['/hooks/warm.sh'] } } },
          },
        ],
      },
      createdAt: new Date().toISOString(),
    });
    await h.cluster.create('pods', w.pod);
    await eventually(
      async () =>
        (await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === 'warmer')?.status?.containerStatuses?.[0]
          ?.restartCount > 0,
      15_000,
      'the warmer pod to be killed and restarted once',
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("the summary blames the hook and shows it, not the kubelet's SIGKILL", async () => {
    const d = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'warmer demo', { channel: CHANNEL });
    expect(d.acked).toBe(true);
    const summary: SimMessage = await h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => m.text.startsWith('demo/warmer ')),
      15_000,
      'the summary of warmer',
    );
    const seen = visibleText(summary);
    expect(seen.split('\n')[0]).toMatch(/^demo\/warmer — \w+, exit 137, postStart hook failed \(\d+ restarts?\)$/);
    expect(seen).toMatch(/app's postStart hook fails.*so the kubelet kills the container/);
    expect(seen).toContain('postStart hook: exec ["/hooks/warm.sh"]');
    expect(seen).toMatch(/the kubelet's kill, not the app's own exit/);
    expect(seen).not.toMatch(/crashes with exit 137/);
  });
});
