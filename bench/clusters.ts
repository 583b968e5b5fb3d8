/**
 * Many clusters (issue 21): one gateway, three agents, three simulated clusters of 20,000 pods each, against the
 * single-process bot on one such cluster, in one run. Every debugdead process is the compiled CLI as production runs
 * it (`debugdead run`, DEBUGDEAD_ROLE gateway / agent / all), each its own process; the simulators live in a child of
 * their own (bench/_cluster-sims.ts), so each RSS below is one debugdead process's own. Agents (and the single bot)
 * watch every pod for alerts (no label selector), so their memory holds a 20,000-pod watch.
 * - latency: `/debugdead <pod> demo @<cluster>` sent → summary posted in Slack, as a person sees it, over the
 *   default scenario's pods round the clusters; the same commands (without `@`) to the single-process bot. One
 *   command at a time, with a pause for its thread replies, so no diagnosis overlaps the next.
 * - RSS: from /proc/<pid>/status after the measured commands.
 * Goal: the queue adds under 20 ms at p95.
 * Last line: {"bench":"clusters","clusters":3,"podsPerCluster":…,"gatewayRssMB":…,"agentRssMB":[…],"singleRssMB":…,
 *   "queueP95Ms":…,"singleP95Ms":…,"queueAddsP95Ms":…}
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import yaml from 'js-yaml';
import { deriveClusterKey } from '../src/clusters/index.js';
import { DEFAULT_POD_NAMES } from '../test/sim/kube/scenarios/default-scenario.js';
import { startRedis } from '../test/support/redis-server.js';
import { childRpc } from './_child-rpc.js';
import { formatTable, median, percentile, round, sleep } from './_shared.js';

const CLUSTERS = ['prod-eu', 'prod-us', 'staging'];
const PODS = Number(process.env.CLUSTER_PODS ?? 20_000);
const RUNS = Number(process.env.CLUSTER_RUNS ?? 60);
const WARMUP = 6;
const CHANNEL = 'C0INCIDENT';
const ALERTS = 'G0PLATFORM';
const GOAL_ADDED_P95_MS = 20;
const PAUSE_MS = 300;
/** Pods whose diagnosis is a summary (a pod the scenario has, failing or not). */
const PODS_ASKED = DEFAULT_POD_NAMES.slice(0, 6);

const compiled = import.meta.url.endsWith('.js');
const here = (file: string) => fileURLToPath(new URL(`./${file}.${compiled ? 'js' : 'ts'}`, import.meta.url));
const cli = fileURLToPath(new URL(`../src/cli.${compiled ? 'js' : 'ts'}`, import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'bench-clusters-'));
const redisHandle = await startRedis();
const redis = new Redis(redisHandle.url);

const child: ChildProcess = fork(here('_cluster-sims'), [dir, CLUSTERS.join(','), String(PODS)], {
  execArgv: compiled ? [] : ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { ready, ask } = childRpc<{ apiUrl: string; botToken: string; appToken: string }>(child);
const t0 = performance.now();
const sims = await ready;
console.log(
  `${CLUSTERS.length} clusters of ${PODS} pods + the scenario, and Slack, up in ${round((performance.now() - t0) / 1000)} s`,
);

const gatewayKey = randomBytes(32).toString('hex');
const processes: ChildProcess[] = [];
/** `debugdead run` from the build, with exactly `env`. */
function run(env: Record<string, string>): ChildProcess {
  const p = spawn(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), cli, 'run'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  processes.push(p);
  return p;
}
function rssMB(p: ChildProcess): number {
  const status = readFileSync(`/proc/${p.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}
async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await gone;
}
function writeConfig(name: string, doc: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, yaml.dump(doc));
  return path;
}
const common = {
  slack: { mode: 'socket', apiUrl: sims.apiUrl },
  log: { level: 'error' },
  health: { port: 0 },
  kubernetes: { defaultNamespace: 'demo' },
  approvers: { users: ['U0ALICE01'] },
  // Every pod watched; past one failing workload, one summary message instead of an alert each (alerts.*), so the
  // start-up alerts are done before anything is timed.
  alerts: { enabled: true, channel: ALERTS, maxWorkloadsPerBurst: 1 },
};
const slackEnv = { SLACK_BOT_TOKEN: sims.botToken, SLACK_APP_TOKEN: sims.appToken };

interface Timed {
  ms: number;
  acked: boolean;
  text?: string;
  error?: string;
}
async function measure(label: string, commands: { text: string; pod: string }[]): Promise<number[]> {
  const times: number[] = [];
  for (const c of commands) {
    const r = await ask<Timed>({ op: 'diagnose', text: c.text, pod: c.pod, channel: CHANNEL });
    if (r.error || !r.acked) throw new Error(`${label}: ${c.text}: ${r.error ?? 'not acked'}`);
    times.push(r.ms);
    // The thread replies of one diagnosis are posted before the next command: one command at a time, no overlap.
    await sleep(PAUSE_MS);
  }
  return times;
}
/** Alerts posted at start-up (every failing workload of the scenario) settle before anything is timed. */
async function settle(): Promise<void> {
  await sleep(Number(process.env.CLUSTER_SETTLE_MS ?? 15_000));
}

try {
  // Phase 1: the gateway and an agent per cluster, meeting only on Redis.
  const prefix1 = 'bench-gw';
  const shared = writeConfig('clusters.yaml', {
    ...common,
    cluster: { name: 'gateway' },
    redis: { prefix: prefix1 },
    clusters: CLUSTERS.map((name) => ({ name })),
  });
  const agents = CLUSTERS.map((name) =>
    run({
      DEBUGDEAD_ROLE: 'agent',
      DEBUGDEAD_CLUSTER: name,
      DEBUGDEAD_CONFIG: shared,
      DEBUGDEAD_SIGNING_KEY: deriveClusterKey(gatewayKey, name),
      KUBECONFIG: join(dir, `kubeconfig-${name}`),
      REDIS_URL: redisHandle.url,
    }),
  );
  for (const name of CLUSTERS) {
    const deadline = Date.now() + 120_000;
    while (!(await redis.get(`${prefix1}:cluster.${name}.agent`))) {
      if (Date.now() > deadline) throw new Error(`the agent for @${name} did not start`);
      await sleep(200);
    }
  }
  const gateway = run({
    ...slackEnv,
    DEBUGDEAD_ROLE: 'gateway',
    DEBUGDEAD_CONFIG: shared,
    DEBUGDEAD_SIGNING_KEY: gatewayKey,
    REDIS_URL: redisHandle.url,
  });
  const routed = (i: number) => {
    const pod = PODS_ASKED[i % PODS_ASKED.length]!;
    return { text: `${pod} demo @${CLUSTERS[i % CLUSTERS.length]}`, pod };
  };
  // The gateway is up once it answers a command.
  const upBy = Date.now() + 60_000;
  for (;;) {
    const r = await ask<Timed>({ op: 'diagnose', text: routed(0).text, pod: routed(0).pod, channel: CHANNEL });
    if (!r.error) break;
    if (Date.now() > upBy) throw new Error(`the gateway did not answer: ${r.error}`);
  }
  await settle();
  await measure(
    'warm-up through the queue',
    Array.from({ length: WARMUP }, (_, i) => routed(i)),
  );
  const queued = await measure(
    'through the queue',
    Array.from({ length: RUNS }, (_, i) => routed(i)),
  );
  const gatewayRss = rssMB(gateway);
  const agentRss = agents.map(rssMB);
  await stop(gateway);
  for (const a of agents) await stop(a);

  // Phase 2: the single-process bot (both roles in one process, the default) on the first cluster.
  const single = run({
    ...slackEnv,
    DEBUGDEAD_CONFIG: writeConfig('single.yaml', {
      ...common,
      cluster: { name: 'prod-eu' },
      redis: { prefix: 'bench-one' },
    }),
    DEBUGDEAD_SIGNING_KEY: gatewayKey,
    KUBECONFIG: join(dir, `kubeconfig-${CLUSTERS[0]}`),
    REDIS_URL: redisHandle.url,
  });
  const direct = (i: number) => {
    const pod = PODS_ASKED[i % PODS_ASKED.length]!;
    return { text: `${pod} demo`, pod };
  };
  const singleBy = Date.now() + 60_000;
  for (;;) {
    const r = await ask<Timed>({ op: 'diagnose', text: direct(0).text, pod: direct(0).pod, channel: CHANNEL });
    if (!r.error) break;
    if (Date.now() > singleBy) throw new Error(`the single-process bot did not answer: ${r.error}`);
  }
  await settle();
  await measure(
    'warm-up, single process',
    Array.from({ length: WARMUP }, (_, i) => direct(i)),
  );
  const inProcess = await measure(
    'single process',
    Array.from({ length: RUNS }, (_, i) => direct(i)),
  );
  const singleRss = rssMB(single);
  await stop(single);

  const queueP95 = percentile(queued, 95);
  const singleP95 = percentile(inProcess, 95);
  const added = queueP95 - singleP95;
  console.log(
    `\n/debugdead <pod> demo, ${RUNS} commands each after ${WARMUP} warm-ups, one at a time (command sent → summary posted)`,
  );
  console.log(
    formatTable(
      ['mode', 'p50 ms', 'p95 ms', 'max ms'],
      [
        [
          'gateway → queue → agent (3 clusters, round robin)',
          ...[median(queued), queueP95, Math.max(...queued)].map((v) => round(v)),
        ],
        ['single process (1 cluster)', ...[median(inProcess), singleP95, Math.max(...inProcess)].map((v) => round(v))],
      ],
    ),
  );
  console.log(`\nresident memory (each a process of its own; ${PODS} pods per cluster, alerts watching every pod)`);
  console.log(
    formatTable(
      ['process', 'RSS MB'],
      [
        ['gateway (no cluster credentials)', round(gatewayRss, 0)],
        ...CLUSTERS.map((name, i) => [`agent @${name}`, round(agentRss[i]!, 0)]),
        ['single process (both roles)', round(singleRss, 0)],
      ],
    ),
  );
  console.log(
    `\ngoal: the queue adds < ${GOAL_ADDED_P95_MS} ms at p95: ${round(added)} ms, ${added < GOAL_ADDED_P95_MS ? 'met' : 'NOT met'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'clusters',
      clusters: CLUSTERS.length,
      podsPerCluster: PODS,
      gatewayRssMB: round(gatewayRss, 0),
      agentRssMB: agentRss.map((v) => round(v, 0)),
      singleRssMB: round(singleRss, 0),
      queueP95Ms: round(queueP95),
      singleP95Ms: round(singleP95),
      queueAddsP95Ms: round(added),
    }),
  );
} finally {
  for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
  await ask({ op: 'close' }).catch(() => {});
  redis.disconnect();
  await redisHandle.stop();
}
