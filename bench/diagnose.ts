/**
 * `/debugdead` against the manual kubectl checklist, on the Kubernetes simulator with 20 ms of injected latency on
 * every API request (test/sim/kube faults), the bot in Socket Mode against the Slack simulator (rate limits off):
 * - debugdead: from the slash command sent to the last thread reply posted for the `multi` pod (summary, describe,
 *   events, logs per container), read from the Slack simulator's message timestamps; median of several runs.
 * - kubectl: the checklist a person pastes, one fresh /usr/bin/kubectl process after another: `logs` and `logs -p`
 *   per container of multi, `describe pod multi`, `get events --field-selector involvedObject.name=multi`; total wall
 *   time, median of several runs. kubectl gets its own HOME and KUBECACHEDIR, and one untimed warm-up pass of the
 *   whole checklist fills its discovery cache first (a person's laptop has it warm).
 * - ack: 50 concurrent `/debugdead` commands over the scenario pods, three bursts; the Slack simulator's ack
 *   latencies (user's action → Socket Mode ack), p99 over all of them. The simulators and the bot share this process
 *   and its event loop, so the ack latency includes their load.
 * With `--real` (`npm run bench -- diagnose --real`), (a) and (b) run again against a real kube-apiserver
 * (test/control-plane, built by `npm run control-plane:build`), the bot as deploy/'s ServiceAccount, with the same
 * latency as a round trip through a loopback TCP proxy in front of it (test/support/latency-proxy.ts), so the ratio
 * is measured on the real protocol stack (TLS, HTTP/2 for kubectl, the real server's answers); both ratios are
 * printed side by side.
 * Last line: {"bench":"diagnose","debugdeadMs":…,"kubectlMs":…,"speedup":…,"ackP99Ms":…[,"real":{…}]}
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readControlPlaneRelease } from '../test/control-plane/control-plane-release.js';
import { DEFAULT_POD_NAMES } from '../test/sim/kube/scenarios/default-scenario.js';
import type { Harness } from '../test/support/harness.js';
import type { KubeBackend } from '../test/support/kube-backend.js';
import { formatTable, median, percentile, round, startBenchStack, tsToMs } from './_shared.js';

const LATENCY_MS = 20;
const RUNS = 9;
const ACK_CONCURRENCY = 50;
const ACK_BURSTS = 3;
const CHANNEL = 'C0INCIDENT';
const NAMESPACE = 'demo';
const POD = 'multi';
const KUBECTL = '/usr/bin/kubectl';
const GOAL_SPEEDUP = 10;
const GOAL_ACK_P99_MS = 100;

const REAL = process.argv.includes('--real');

interface BackendResult {
  debugdeadMs: number;
  kubectlMs: number;
  speedup: number;
  ackP99Ms?: number;
}

const sim = await benchOn('sim', true);
const real = REAL ? await benchOn('real', false) : undefined;
if (real) {
  console.log(
    `\nside by side: the same bot and kubectl checklist, ${LATENCY_MS} ms per request injected on the simulator; a ${LATENCY_MS} ms round trip through a loopback TCP proxy in front of kube-apiserver ${readControlPlaneRelease().kubernetes}`,
  );
  console.log(
    formatTable(
      ['backend', 'debugdead ms', 'kubectl ms', 'speedup', 'goal', 'met'],
      [
        [
          'simulator',
          round(sim.debugdeadMs),
          round(sim.kubectlMs),
          `${round(sim.speedup)}×`,
          `≥ ${GOAL_SPEEDUP}×`,
          sim.speedup >= GOAL_SPEEDUP ? 'yes' : 'NO',
        ],
        [
          'real API server',
          round(real.debugdeadMs),
          round(real.kubectlMs),
          `${round(real.speedup)}×`,
          `≥ ${GOAL_SPEEDUP}×`,
          real.speedup >= GOAL_SPEEDUP ? 'yes' : 'NO',
        ],
      ],
    ),
  );
}
console.log(
  JSON.stringify({
    bench: 'diagnose',
    debugdeadMs: round(sim.debugdeadMs),
    kubectlMs: round(sim.kubectlMs),
    speedup: round(sim.speedup, 2),
    ackP99Ms: round(sim.ackP99Ms ?? Number.NaN),
    ...(real
      ? {
          real: {
            debugdeadMs: round(real.debugdeadMs),
            kubectlMs: round(real.kubectlMs),
            speedup: round(real.speedup, 2),
          },
        }
      : {}),
  }),
);

/**
 * (a) and (b) on one backend, and (c) when `withAcks`; prints its tables and returns the medians. On the real backend
 * the bot and kubectl both reach kube-apiserver through the latency proxy, kubectl as the cluster admin.
 */
async function benchOn(backend: KubeBackend, withAcks: boolean): Promise<BackendResult> {
  console.log(`\n--- ${backend === 'real' ? 'real control plane' : 'Kubernetes simulator'} ---`);
  const stack = await startBenchStack({ mode: 'socket', rateLimits: false, backend, kubeLatencyMs: LATENCY_MS });
  const { h } = stack;
  const home = mkdtempSync(join(tmpdir(), 'bench-kubectl-home-'));
  try {
    const kubeconfig = join(home, 'kubeconfig');
    await h.cluster.writeKubeconfig(kubeconfig, { namespace: NAMESPACE });
    const pod = (await h.cluster.list('pods', NAMESPACE)).find((p) => p.metadata.name === POD);
    if (!pod) throw new Error(`no pod ${NAMESPACE}/${POD} in the cluster`);
    const containers: string[] = pod.spec.containers.map((c: { name: string }) => c.name);

    // The kubectl checklist, as a person pastes it (timed as (b) below).
    const checklist: string[][] = [
      ...containers.flatMap((c) => [
        ['logs', POD, '-c', c],
        ['logs', '-p', POD, '-c', c],
      ]),
      ['describe', 'pod', POD],
      ['get', 'events', '--field-selector', `involvedObject.name=${POD}`],
    ];
    const env = { PATH: process.env.PATH ?? '', KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: join(home, 'cache') };

    // Untimed warm-ups: the bot's JIT and connections; kubectl's discovery cache and the binary in the page cache.
    await diagnoseOnce(h);
    await runChecklist(checklist, env);
    const cached = existsSync(join(home, 'cache', 'discovery'));
    // (a) and (b) alternate, so both sides see the same load on a shared machine.
    const bot: { totalMs: number; summaryMs: number; replies: number }[] = [];
    const manual: { totalMs: number; steps: { ms: number; code: number }[] }[] = [];
    for (let i = 0; i < RUNS; i++) {
      collectGarbage();
      bot.push(await diagnoseOnce(h));
      collectGarbage();
      manual.push(await runChecklist(checklist, env));
    }

    // (c) ack latency under concurrent commands.
    const acks: number[] = [];
    let timedOut = 0;
    for (let b = 0; withAcks && b < ACK_BURSTS; b++) {
      const before = finishedDiagnoses(h);
      const deliveries = await Promise.all(
        Array.from({ length: ACK_CONCURRENCY }, (_, i) =>
          h.slack
            .user(['U0ALICE01', 'U0BOB0002', 'U0CAROL03'][i % 3] as string)
            .runCommand('/debugdead', `${DEFAULT_POD_NAMES[i % DEFAULT_POD_NAMES.length]} ${NAMESPACE}`, {
              channel: CHANNEL,
            }),
        ),
      );
      for (const d of deliveries) {
        if (d.acked && d.ackLatencyMs !== undefined) acks.push(d.ackLatencyMs);
        else timedOut++;
      }
      // Let the burst's diagnoses finish before the next one (and before stopping).
      await h.slack.waitFor(
        () => finishedDiagnoses(h) >= before + ACK_CONCURRENCY,
        60_000,
        `the ${ACK_CONCURRENCY} diagnoses of burst ${b + 1}`,
      );
    }

    const debugdeadMs = median(bot.map((r) => r.totalMs));
    const kubectlMs = median(manual.map((r) => r.totalMs));
    const speedup = kubectlMs / debugdeadMs;
    const ackP99Ms = withAcks ? percentile(acks, 99) : undefined;

    const load = loadavg().map((l) => l.toFixed(1));
    console.log(
      `Load average ${load.join(' ')} on ${availableParallelism()} cores at the end: the bot and the simulators share this process${backend === 'real' ? ' (kube-apiserver, etcd, scheduler and controller manager run beside it)' : ''}.`,
    );
    console.log(
      backend === 'real'
        ? `Real kube-apiserver ${readControlPlaneRelease().kubernetes}, the bot as deploy/'s ServiceAccount (token), kubectl as the admin (client certificate), both through a loopback TCP proxy adding a ${LATENCY_MS} ms round trip; bot in Socket Mode, Slack rate limits off; ${RUNS} alternating runs of each after 1 untimed warm-up.`
        : `Kubernetes simulator, ${LATENCY_MS} ms injected on every request; bot in Socket Mode, Slack rate limits off; ${RUNS} alternating runs of each after 1 untimed warm-up.`,
    );
    console.log(
      `\ndebugdead /debugdead ${POD} ${NAMESPACE}: summary + ${bot[0]?.replies} thread replies (command sent → last reply posted)`,
    );
    console.log(
      formatTable(
        ['measure', 'median ms', 'min ms', 'max ms'],
        [
          ['summary posted', ...stats(bot.map((r) => r.summaryMs))],
          ['last thread reply posted', ...stats(bot.map((r) => r.totalMs))],
        ],
      ),
    );
    console.log(
      `\nkubectl checklist, ${checklist.length} fresh processes in sequence (own HOME/KUBECACHEDIR, discovery cache warmed once, untimed${cached ? '' : '; NO discovery cache written'})`,
    );
    console.log(
      formatTable(
        ['command', 'median ms', 'min ms', 'max ms', 'exit'],
        [
          ...checklist.map((args, i) => [
            `kubectl ${args.join(' ')}`,
            ...stats(manual.map((r) => r.steps[i]?.ms ?? Number.NaN)),
            String(manual[0]?.steps[i]?.code ?? ''),
          ]),
          ['total', ...stats(manual.map((r) => r.totalMs)), ''],
        ],
      ),
    );
    if (ackP99Ms !== undefined) {
      console.log(
        `\nack latency, ${ACK_BURSTS} bursts of ${ACK_CONCURRENCY} concurrent /debugdead over Socket Mode (${acks.length} acked, ${timedOut} not)`,
      );
      console.log(
        formatTable(
          ['p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
          [[percentile(acks, 50), percentile(acks, 90), ackP99Ms, Math.max(...acks)].map((v) => round(v))],
        ),
      );
    }
    console.log(
      `\n${formatTable(
        ['result', 'value', 'goal', 'met'],
        [
          ['debugdead ms (median)', round(debugdeadMs), '', ''],
          ['kubectl ms (median)', round(kubectlMs), '', ''],
          ['speedup', `${round(speedup)}×`, `≥ ${GOAL_SPEEDUP}×`, speedup >= GOAL_SPEEDUP ? 'yes' : 'NO'],
          [
            'speedup, fastest run of each',
            `${round(Math.min(...manual.map((r) => r.totalMs)) / Math.min(...bot.map((r) => r.totalMs)))}×`,
            '',
            '',
          ],
          ...(ackP99Ms === undefined
            ? []
            : [
                [
                  'ack p99 ms',
                  round(ackP99Ms),
                  `< ${GOAL_ACK_P99_MS}`,
                  ackP99Ms < GOAL_ACK_P99_MS && timedOut === 0 ? 'yes' : 'NO',
                ],
              ]),
        ],
      )}`,
    );
    return { debugdeadMs, kubectlMs, speedup, ...(ackP99Ms === undefined ? {} : { ackP99Ms }) };
  } finally {
    await stack.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Diagnoses that ended, well or not (the bot audits `diagnosis.done` after the last thread reply, or `error`). */
function finishedDiagnoses(harness: Harness): number {
  return harness.auditEntries().filter((e) => e.action === 'diagnosis.done' || e.action === 'error').length;
}

/**
 * One `/debugdead multi demo`, timed from the command sent to the last thread reply's Slack timestamp. The bot audits
 * `diagnosis.done` only after posting the whole thread, so waiting for it means every reply is there.
 */
async function diagnoseOnce(harness: Harness): Promise<{ totalMs: number; summaryMs: number; replies: number }> {
  const done = () =>
    harness.auditEntries().filter((e) => e.action === 'diagnosis.done' && e.target?.pod === POD && e.result === 'ok')
      .length;
  const before = done();
  const sentAt = Date.now();
  const delivery = await harness.slack.user('U0ALICE01').runCommand('/debugdead', `${POD} ${NAMESPACE}`, {
    channel: CHANNEL,
  });
  if (!delivery.acked) throw new Error('the command was not acknowledged');
  await harness.slack.waitFor(() => done() > before, 15_000, `the diagnosis of ${POD}`);
  const summary = harness.slack
    .channel(CHANNEL)
    .messages()
    .filter((m) => m.text.startsWith(`${NAMESPACE}/${POD} `) && tsToMs(m.ts) >= sentAt)
    .at(-1);
  if (!summary) throw new Error(`no summary of ${POD} in ${CHANNEL}`);
  const replies = harness.slack.thread(CHANNEL, summary.ts).replies();
  if (replies.length === 0) throw new Error(`the summary of ${POD} has no thread`);
  const last = Math.max(...replies.map((r) => tsToMs(r.ts)));
  return { totalMs: last - sentAt, summaryMs: tsToMs(summary.ts) - sentAt, replies: replies.length };
}

/** The checklist in sequence, each command a fresh kubectl process; per-command and total wall time. */
async function runChecklist(
  checklist: string[][],
  env: NodeJS.ProcessEnv,
): Promise<{ totalMs: number; steps: { ms: number; code: number }[] }> {
  const steps: { ms: number; code: number }[] = [];
  const start = performance.now();
  for (const args of checklist) {
    const t = performance.now();
    const code = await runKubectl(args, env);
    steps.push({ ms: performance.now() - t, code });
  }
  return { totalMs: performance.now() - start, steps };
}

/** Runs kubectl to completion, reading (and discarding) its output as a terminal would; resolves with its exit code. */
function runKubectl(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

/** A full collection between timed runs (bench/run.ts passes --expose-gc), so no run pays for another's garbage. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function stats(values: number[]): number[] {
  return [median(values), Math.min(...values), Math.max(...values)].map((v) => round(v));
}
