/**
 * The simulators for bench/flood.ts, in a child process so that their memory (2,000 commands' messages, threads and
 * files in the Slack simulator) is not counted in the bot's resident memory. Driven over IPC: `{id, op}` → `{id, result}`.
 */
import { ManualClock, startKubeSim } from '../test/sim/kube/index.js';
import { DEFAULT_POD_NAMES } from '../test/sim/kube/scenarios/default-scenario.js';
import { startSlackSim } from '../test/sim/slack/index.js';

type Request = { id: number; op: 'flood'; commands: number; channel: string } | { id: number; op: 'close' };

const [kubeconfigPath] = process.argv.slice(2);
if (!kubeconfigPath || !process.send) throw new Error('usage: _flood-sims.ts KUBECONFIG (with an IPC channel)');
const send = (m: unknown): void => {
  process.send?.(m);
};

// As the e2e harness does: the cluster ran 15 minutes before, so the scenario's pods are deep in CrashLoopBackOff.
const clock = new ManualClock(Date.now() - 15 * 60_000);
const kube = await startKubeSim({ clock, scenario: 'default' });
clock.advance(Date.now() - clock.now());
const ticker = setInterval(() => clock.advance(Math.max(0, Date.now() - clock.now())), 25);
await kube.writeKubeconfig(kubeconfigPath);
const slack = await startSlackSim({ rateLimits: false });

process.on('message', async (req: Request) => {
  if (req.op === 'close') {
    clearInterval(ticker);
    await slack.close();
    await kube.close();
    send({ id: req.id, result: null });
    process.exit(0);
  }
  // Every command typed at once, by three people, over the scenario's pods.
  const users = ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'];
  const deliveries = await Promise.all(
    Array.from({ length: req.commands }, (_, i) =>
      slack
        .user(users[i % users.length] as string)
        .runCommand('/debugdead', `${DEFAULT_POD_NAMES[i % DEFAULT_POD_NAMES.length]} demo`, { channel: req.channel }),
    ),
  );
  send({
    id: req.id,
    result: {
      ackMs: deliveries.filter((d) => d.acked).map((d) => d.ackLatencyMs ?? Number.NaN),
      notAcked: deliveries.filter((d) => !d.acked).length,
      queuedAcks: deliveries.filter((d) => / in line; /.test(String(d.response?.text ?? ''))).length,
    },
  });
});

send({
  ready: {
    apiUrl: slack.apiUrl,
    botToken: slack.botToken,
    appToken: slack.appToken,
    signingSecret: slack.signingSecret,
  },
});
