/**
 * `npm run demo`: debugdead end to end on one machine, no Slack or cluster needed. Starts a private Redis, the
 * Kubernetes simulator (namespace `demo`, one pod per failure kind), the Slack simulator and the real bot, and prints
 * the URL of the simulated workspace: open it in a browser, act as Alice, Bob or Carol, type `/debugdead …` and
 * click the buttons (see startDemoWorkspace for the trust settings). Ctrl-C stops everything.
 *
 * `npm run demo -- --script` plays an on-call engineer in the terminal instead: `/debugdead crash-exit1 demo`, reads
 * the verdict and the thread, clicks "Create debug clone" and gets the exec line, then keeps running so you can
 * point kubectl at the printed kubeconfig. `--once` exits after the walkthrough.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../support/harness.js';
import { startRedis } from '../support/redis-server.js';
import { visibleText } from './slack/index.js';
import { DEMO_ALERTS_CHANNEL, startDemoWorkspace } from './start-demo-workspace.js';

/** Starts the clickable workspace and prints where to find it; resolves once the returned `stop` is called. */
export async function runWorkspaceDemo(out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const started = Date.now();
  const w = await startDemoWorkspace();
  const kubeconfig = w.harness.config.kubernetes.kubeconfig;
  out(`debugdead demo workspace ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  out(`  Open ${w.url}/  (the simulated Slack workspace)\n`);
  out('  Act as Alice (on call, SRE lead), Bob (on call) or Carol (SRE lead); in #incident type:');
  out('    /debugdead crash-exit1 demo        /debugdead oom demo        /debugdead help');
  out(`  Alerts for the crash-looping pods arrive in #alerts (${DEMO_ALERTS_CHANNEL}).`);
  out('  Clones: approved by @oncall. Node shells: @sre-leads, two different people.\n');
  out(`  kubectl --kubeconfig ${kubeconfig} get pods -n demo`);
  out(`  Redis: ${w.redisUrl}    Ctrl-C stops everything.`);
  return w;
}

export async function runDemo(options: { once: boolean; out?: (line: string) => void }): Promise<void> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const redis = await startRedis();
  const h = await startHarness({ redisUrl: redis.url, configure: (c) => (c.debugClone.defaultTtlSeconds = 600) });
  const stop = async () => {
    await h.stop();
    await redis.stop();
  };
  try {
    const kubeconfig = h.config.kubernetes.kubeconfig;
    out(`Kubernetes simulator: ${h.kube.url}  (kubectl --kubeconfig ${kubeconfig} get pods -n demo)`);
    out(`Slack simulator:      ${h.slack.url}`);
    out(`Redis:                ${redis.url}\n`);

    out('> U0ALICE01 in #incident: /debugdead crash-exit1 demo');
    const ack = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'crash-exit1 demo', { channel: 'C0INCIDENT' });
    out(`  (acknowledged in ${Math.round(ack.ackLatencyMs ?? 0)} ms)\n`);
    const summary = await h.slack.waitFor(
      () =>
        h.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => m.text.startsWith('demo/crash-exit1 ')),
      20_000,
      'the diagnosis',
    );
    await new Promise((r) => setTimeout(r, 1000));
    out(indent(visibleText(summary)));
    for (const reply of h.slack.thread('C0INCIDENT', summary.ts).replies())
      out(`\n  ↳ in thread:\n${indent(visibleText(reply), 4)}`);

    out('\n> U0ALICE01 clicks "Create debug clone" and confirms');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const ready = await h.slack.waitFor(
      () => {
        const m = h.slack
          .channel('C0INCIDENT')
          .messages()
          .find((x) => x.ts === summary.ts);
        return m && /:white_check_mark: Running|failed/i.test(visibleText(m)) ? m : undefined;
      },
      30_000,
      'the debug clone',
    );
    const panel = visibleText(ready).split('*Debug clone of')[1] ?? visibleText(ready);
    out(indent(`*Debug clone of${panel}`));
    if (options.once) return;
    out('\nRunning. Try: kubectl --kubeconfig ' + `${kubeconfig} get pods -n demo    (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await stop();
  }
}

function indent(text: string, n = 2): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--script')) {
    await runDemo({ once: argv.includes('--once') });
    return;
  }
  const w = await runWorkspaceDemo();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await w.stop();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`demo failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
