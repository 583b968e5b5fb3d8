/**
 * The simulators for bench/clusters.ts, in a child process so that their memory (three clusters of 20,000 pods, and
 * Slack) counts neither as the gateway's nor as an agent's. Driven over IPC: `{id, op}` → `{id, result}`.
 * - `diagnose`: one `/debugdead <text>` in `channel`, timed from the command sent to the summary posted (the
 *   first new top-level message for the pod), as the person sees it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KubeSim, ManualClock, startKubeSim } from '../test/sim/kube/index.js';
import { buildNamespace } from '../test/sim/kube/scenarios/build-objects.js';
import { startSlackSim } from '../test/sim/slack/index.js';

type Request = { id: number; op: 'diagnose'; text: string; pod: string; channel: string } | { id: number; op: 'close' };

const [dir, names, podsText] = process.argv.slice(2);
if (!dir || !names || !process.send) throw new Error('usage: _cluster-sims.ts DIR NAME,NAME,… PODS (with IPC)');
const send = (m: unknown): void => {
  process.send?.(m);
};

const clocks: ManualClock[] = [];
const sims: KubeSim[] = [];
for (const name of names.split(',')) {
  const clock = new ManualClock(Date.now() - 15 * 60_000);
  const kube = await startKubeSim({ clock, scenario: 'default', pods: Number(podsText ?? 20_000) });
  kube.store.create('namespaces', buildNamespace('debugdead-system'));
  clock.advance(Date.now() - clock.now());
  clocks.push(clock);
  await kube.writeKubeconfig(join(dir, `kubeconfig-${name}`));
  sims.push(kube);
}
const ticker = setInterval(() => {
  for (const clock of clocks) clock.advance(Math.max(0, Date.now() - clock.now()));
}, 25);
const slack = await startSlackSim({ rateLimits: false });
await writeFile(join(dir, 'slack.json'), JSON.stringify({ apiUrl: slack.apiUrl }));

process.on('message', async (req: Request) => {
  if (req.op === 'close') {
    clearInterval(ticker);
    await slack.close();
    for (const sim of sims) await sim.close();
    send({ id: req.id, result: null });
    process.exit(0);
  }
  const before = new Set(
    slack
      .channel(req.channel)
      .messages()
      .map((m) => m.ts),
  );
  const sent = performance.now();
  const delivery = await slack.user('U0ALICE01').runCommand('/debugdead', req.text, { channel: req.channel });
  try {
    const summary = await slack.waitFor(
      () =>
        slack
          .channel(req.channel)
          .messages()
          .find((m) => !before.has(m.ts) && m.text.startsWith(`demo/${req.pod} `)),
      30_000,
      `the summary of ${req.pod}`,
    );
    send({ id: req.id, result: { ms: performance.now() - sent, acked: delivery.acked, text: summary.text } });
  } catch (err) {
    send({ id: req.id, result: { ms: Number.NaN, acked: delivery.acked, error: (err as Error).message } });
  }
});

send({ ready: { apiUrl: slack.apiUrl, botToken: slack.botToken, appToken: slack.appToken } });
