/**
 * Alerts at scale (issues 7 and 18). The simulators run in a child process (test/alerts/bench-sim-child.ts) so this
 * process's resident memory is the bot's alone:
 * - two replicas elect one alert watcher through a coordination.k8s.io Lease (src/leader, as the bot does): the API
 *   server serves one pod watch between them (`watchers`, counted by the simulated API server);
 * - initial sync of that watch over 150,000 pods (the Kubernetes scalability limit; ALERTS_BENCH_PODS to change)
 *   into the AlertManager: seconds, then RSS after a GC (both replicas live in this process);
 * - alert latency: a pod's failing status reaching the watch → its alert posted to Slack, p95 of 20 workloads;
 * - storm: 1,000 pods of 20 Deployments fail at once, Slack rate limits on: messages posted, 429s not absorbed.
 * - failover: the watcher stops (a rolling update); the other replica takes the Lease and lists again, still one watch.
 * Last line: {"bench":"alerts","pods":150000,"watchers":1,"rssMB":…,"syncSeconds":…,"alertLatencyP95Ms":…,
 * "stormMessages":…,"unhandled429":…,"failoverSeconds":…}
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { createSlackChat } from '../handlers/slack-chat.js';
import { slackWebClientOptions } from '../handlers/slack-web-client-options.js';
import {
  AlertManager,
  type AlertSink,
  classifyPod,
  createChatAlertSink,
  workloadKey,
  workloadOf,
} from '../src/alerts/index.js';
import { MANAGED_LABEL } from '../src/debugpods/index.js';
import { createKubeClient, loadKubeConfig } from '../src/kube/index.js';
import { type PodWatch, watchPods } from '../src/kube/watch-pods.js';
import { type LeaderElection, runLeaderElection } from '../src/leader/index.js';
import { ALERT_LEASE_NAME } from '../src/start-alerts.js';
import { startRedis } from '../test/support/redis-server.js';
import { childRpc } from './_child-rpc.js';

const PODS = Number(process.env.ALERTS_BENCH_PODS ?? 150_000);
const LATENCY_SAMPLES = 20;
const STORM_DEPLOYMENTS = 20;
const STORM_PODS = 1000;
const CHANNEL = 'C0INCIDENT';
const BURST_WINDOW_MS = 5000;
const reasons = ['CrashLoopBackOff'];
const restartThreshold = 3;

const dir = await mkdtemp(join(tmpdir(), 'bench-alerts-'));
const kubeconfigPath = join(dir, 'kubeconfig');
const redisHandle = await startRedis();
const redis = new Redis(redisHandle.url, { maxRetriesPerRequest: 3 });

// --- the simulators, in a child process -------------------------------------------------------------------------
// bench/run.ts runs benchmarks compiled; run directly under tsx, the child is TypeScript too.
const compiled = import.meta.url.endsWith('.js');
const childPath = fileURLToPath(new URL(`../test/alerts/bench-sim-child.${compiled ? 'js' : 'ts'}`, import.meta.url));
const child: ChildProcess = fork(childPath, [kubeconfigPath, String(PODS)], {
  execArgv: compiled ? [] : ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { ready, ask } = childRpc<{ apiUrl: string; botToken: string; pods: number }>(child);

const t0 = performance.now();
const sims = await ready;
console.log(
  `simulators ready in a child process: ${sims.pods} pods (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

// --- the bot side: watch → AlertManager → sink → Slack simulator -----------------------------------------------
/** 429s the bot's Slack client waited out, and those it gave up on (they reach the alert manager as errors). */
const rateLimits = { waited: 0, unhandled: 0 };
// The bot's own Slack client configuration (src/app.ts), rate-limit policy included.
const web = new WebClient(
  sims.botToken,
  slackWebClientOptions({
    apiUrl: sims.apiUrl,
    rateLimits: { onRateLimited: (w) => void (w.waited ? rateLimits.waited++ : rateLimits.unhandled++) },
  }),
);
const plain = createChatAlertSink(createSlackChat(web as never));
const postedAt = new Map<string, number>();
const sink: AlertSink = {
  ...plain,
  post: async (alert) => {
    const posted = await plain.post(alert);
    postedAt.set(workloadKey(alert.workload), performance.now());
    return posted;
  },
};
const manager = new AlertManager({
  redis,
  prefix: '{bench}',
  sink,
  reasons,
  restartThreshold,
  cooldownSeconds: 1800,
  maxWorkloadsPerBurst: 25,
  channel: CHANNEL,
  routes: [],
  // The latency phase alerts 20 workloads; a short burst window keeps them from counting towards the storm's cap.
  burstWindowMs: BURST_WINDOW_MS,
});
/** When each workload's first failing pod reached the watch. */
const failingSeenAt = new Map<string, number>();

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed;

/** The pod watch of whichever replica holds the Lease, and when it started. */
let watch: PodWatch | undefined;
let watchStartedAt = 0;
let watcherIdentity = '';
let onWatching: () => void = () => {};
const quiet = { info() {}, warn() {} };

/** One replica: its own Kubernetes client, and the Lease election the bot runs (startAlerts). */
function startReplica(identity: string): LeaderElection {
  const kc = loadKubeConfig({ kubeconfigPath });
  return runLeaderElection({
    kube: createKubeClient(kc, { timeoutMs: 10_000, clusterName: 'bench' }),
    namespace: 'debugdead-system',
    name: ALERT_LEASE_NAME,
    identity,
    durationSeconds: 15,
    retryMs: 1000,
    log: quiet,
    onStartedLeading: () => {
      watcherIdentity = identity;
      watchStartedAt = performance.now();
      watch = watchPods(
        kc,
        {
          upsert(pod) {
            if (classifyPod(pod, { reasons, restartThreshold }).failing) {
              const k = workloadKey(workloadOf(pod));
              if (!failingSeenAt.has(k)) failingSeenAt.set(k, performance.now());
            }
            manager.upsert(pod);
          },
          remove: (ref) => manager.remove(ref),
        },
        { keepLabels: [MANAGED_LABEL, 'pod-template-hash'] },
      );
      onWatching();
    },
    onStoppedLeading: async () => {
      const stopping = watch;
      watch = undefined;
      await stopping?.stop();
    },
  });
}
/** The next watch a replica starts on taking the Lease. */
const watching = () =>
  new Promise<PodWatch>((resolve) => {
    onWatching = () => resolve(watch!);
  });

const firstWatch = watching();
const cpuBefore = process.cpuUsage();
const replicas = new Map([
  ['replica-a', startReplica('replica-a')],
  ['replica-b', startReplica('replica-b')],
]);
await Promise.all([...replicas.values()].map((r) => r.firstAttempt));
await firstWatch;
const syncStart = watchStartedAt;
await watch!.synced;
await manager.idle();
const syncSeconds = (performance.now() - syncStart) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const syncCpuSeconds = (cpu.user + cpu.system) / 1e6;
const leaders = [...replicas.values()].filter((r) => r.isLeader()).length;
/** Pod watches the API server serves once the watcher has opened its watch after the list (within 5 s). */
async function openPodWatches(): Promise<number> {
  const deadline = performance.now() + 5000;
  let n = await ask<number>({ op: 'watches', resource: 'pods' });
  while (n === 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    n = await ask<number>({ op: 'watches', resource: 'pods' });
  }
  // Both replicas are running: a second watch, if any, would have opened by now too.
  await new Promise((r) => setTimeout(r, 1500));
  return ask<number>({ op: 'watches', resource: 'pods' });
}
const watchers = await openPodWatches();
console.log(
  `two replicas: ${leaders} holds the Lease (${watcherIdentity}); the API server serves ${watchers} pod watch(es)`,
);
global.gc?.();
const memory = process.memoryUsage();
const rssMB = memory.rss / 1048576;
const heapMB = process.memoryUsage().heapUsed / 1048576;
console.log(
  `initial sync: ${watch!.stats().known} pods in ${syncSeconds.toFixed(2)} s (${syncCpuSeconds.toFixed(1)} s of the bot's CPU); bot RSS ${rssMB.toFixed(0)} MB ` +
    `(${(rssBefore / 1048576).toFixed(0)} MB before the watch: Node and the libraries), JS heap in use ${heapMB.toFixed(0)} MB (${(heapBefore / 1048576).toFixed(0)} MB before) ` +
    `of ${(memory.heapTotal / 1048576).toFixed(0)} MB, external ${(memory.external / 1048576).toFixed(0)} MB`,
);
if (process.env.ALERTS_BENCH_SYNC_ONLY) {
  await Promise.all([...replicas.values()].map((r) => r.stop()));
  child.kill();
  process.exit(0);
}

// --- latency: one workload at a time, spaced past the channel's 1 s pacing -------------------------------------
const latencies: number[] = [];
for (let i = 0; i < LATENCY_SAMPLES; i++) {
  const ns = 'latency';
  const deployment = `lat${i}`;
  const key = `${ns}/Deployment/${deployment}`;
  await ask({ op: 'createPods', ns, deployment, count: 2, state: 'ready' });
  await ask({ op: 'setState', ns, deployment, i: 0, state: 'crash' });
  const deadline = performance.now() + 10_000;
  while (!postedAt.has(key) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const seen = failingSeenAt.get(key);
  const posted = postedAt.get(key);
  if (seen === undefined || posted === undefined) throw new Error(`no alert for ${key}`);
  latencies.push(posted - seen);
  await new Promise((r) => setTimeout(r, 1050));
}
latencies.sort((a, b) => a - b);
const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1] ?? Number.NaN;
console.log(
  `alert latency (watch → posted): p50 ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${latencies.length} workloads`,
);

// --- storm: 1,000 pods across 20 Deployments fail at once ------------------------------------------------------
await new Promise((r) => setTimeout(r, BURST_WINDOW_MS));
await manager.idle();
const stormStart = performance.now();
const limitedBefore = await ask<number>({ op: 'rateLimited' });
const postsBefore = await ask<number>({ op: 'posts', channel: CHANNEL, contains: '' });
const perDeployment = STORM_PODS / STORM_DEPLOYMENTS;
for (let d = 0; d < STORM_DEPLOYMENTS; d++)
  await ask({ op: 'createPods', ns: 'storm', deployment: `svc${d}`, count: perDeployment, state: 'crash' });
const stormDeadline = performance.now() + 120_000;
while (performance.now() < stormDeadline) {
  const done = [...Array(STORM_DEPLOYMENTS).keys()].every((d) => postedAt.has(`storm/Deployment/svc${d}`));
  if (done || (manager.stats().summaries > 0 && manager.stats().alerting >= STORM_DEPLOYMENTS)) break;
  await new Promise((r) => setTimeout(r, 50));
}
await manager.idle();
// Every message posted during the storm: per-workload alerts and any summary.
const stormMessages = (await ask<number>({ op: 'posts', channel: CHANNEL, contains: '' })) - postsBefore;
const served429 = (await ask<number>({ op: 'rateLimited' })) - limitedBefore;
const stats = manager.stats();
const unhandled429 = rateLimits.unhandled;
console.log(
  `storm: ${STORM_PODS} pods / ${STORM_DEPLOYMENTS} Deployments → ${stormMessages} messages in ${((performance.now() - stormStart) / 1000).toFixed(1)} s; ` +
    `Slack served ${served429} 429s, the bot's client waited out ${rateLimits.waited}, gave up on ${rateLimits.unhandled}, dropped ${stats.dropped}`,
);

// --- failover: the watcher stops (a rolling update) and releases the Lease; the other replica takes over -------
const before = watcherIdentity;
const failoverStart = performance.now();
const nextWatch = watching();
await replicas.get(before)!.stop();
await (await nextWatch).synced;
const failoverSeconds = (performance.now() - failoverStart) / 1000;
const watchersAfter = await openPodWatches();
console.log(
  `failover: ${before} stopped, ${watcherIdentity} watching and synced in ${failoverSeconds.toFixed(2)} s; ` +
    `the API server serves ${watchersAfter} pod watch(es)`,
);

await Promise.all([...replicas.values()].map((r) => r.stop()));
await manager.stop();
redis.disconnect();
await ask({ op: 'close' });
await redisHandle.stop();
await rm(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'alerts',
    pods: PODS,
    watchers: Math.max(watchers, watchersAfter),
    rssMB: Math.round(rssMB),
    syncSeconds: Number(syncSeconds.toFixed(2)),
    syncCpuSeconds: Number(syncCpuSeconds.toFixed(1)),
    alertLatencyP95Ms: Math.round(p95),
    stormMessages,
    unhandled429,
    failoverSeconds: Number(failoverSeconds.toFixed(2)),
  }),
);
process.exit(0);
