/**
 * A flood of slash commands (issue 11): 2,000 `/debugdead` commands typed at once in one channel, the bot in Socket
 * Mode, the simulators (Kubernetes with the default scenario, Slack with rate limits off) in a child process
 * (bench/_flood-sims.ts) so this process's memory is the bot's own.
 * - peak RSS: sampled every 20 ms from the first command until the last diagnosis is done;
 * - ack p99: the Slack simulator's ack latencies (user's action → Socket Mode ack), over all commands;
 * - dropped: commands not acked within Slack's 3 s, or never finished (no diagnosis.done or error audit record).
 * Goal: peak RSS under 400 MB, nothing dropped.
 * Last line: {"bench":"flood","commands":2000,"peakRssMB":…,"ackP99Ms":…,"dropped":…}
 */

import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startDebugdead } from '../src/app.js';
import { buildConfig } from '../src/config/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { childRpc } from './_child-rpc.js';
import { formatTable, percentile, round, sleep } from './_shared.js';

const COMMANDS = Number(process.env.FLOOD_COMMANDS ?? 2000);
const CHANNEL = 'C0INCIDENT';
const GOAL_RSS_MB = 400;
const FINISH_TIMEOUT_MS = 15 * 60_000;

const dir = await mkdtemp(join(tmpdir(), 'bench-flood-'));
const kubeconfigPath = join(dir, 'kubeconfig');
const redisHandle = await startRedis();

const compiled = import.meta.url.endsWith('.js');
const childPath = fileURLToPath(new URL(`./_flood-sims.${compiled ? 'js' : 'ts'}`, import.meta.url));
const child: ChildProcess = fork(childPath, [kubeconfigPath], {
  execArgv: compiled ? [] : ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
interface Ready {
  apiUrl: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
}
const { ready, ask } = childRpc<Ready>(child);
const sims = await ready;

const built = buildConfig(
  { cluster: { name: 'sim' }, slack: { mode: 'socket', apiUrl: sims.apiUrl }, log: { level: 'error' } },
  {
    SLACK_BOT_TOKEN: sims.botToken,
    SLACK_APP_TOKEN: sims.appToken,
    REDIS_URL: redisHandle.url,
    DEBUGDEAD_SIGNING_KEY: randomBytes(32).toString('hex'),
  },
);
if (!built.ok) throw new Error(built.errors.join('\n'));
const config = built.config;
config.kubernetes.kubeconfig = kubeconfigPath;
config.kubernetes.defaultNamespace = 'demo';
config.redis.prefix = '{bench-flood}';
// An experiment's knob; the bench's figure is taken with the default.
if (process.env.FLOOD_MAX_IN_FLIGHT) config.diagnoses.maxInFlight = Number(process.env.FLOOD_MAX_IN_FLIGHT);

// The audit trail, counted as it is written: one outcome per command (diagnosis.done, or error).
let finished = 0;
let chainedLines = 0;
const auditSink = new Writable({
  write(chunk, _enc, done) {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      const parsed = JSON.parse(line) as { audit?: { action?: string; actor?: { type?: string }; hash?: string } };
      const entry = parsed.audit;
      if (entry?.hash) chainedLines++;
      if (entry?.actor?.type === 'user' && (entry.action === 'diagnosis.done' || entry.action === 'error')) finished++;
    }
    done();
  },
});
// Errors the bot logs about its audit trail: under this load there must be none (issue: "0 false errors").
let auditErrors = 0;
const errorSink = new Writable({
  write(chunk, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (/"msg":"[^"]*audit/i.test(line)) auditErrors++;
    done();
  },
});
const bot = await startDebugdead({
  config,
  log: pino({ level: 'error' }, errorSink),
  auditLogger: pino({ level: 'info' }, auditSink),
  janitorEveryMs: 3_600_000,
});

global.gc?.();
await sleep(500);
const rssStartMB = process.memoryUsage().rss / 1048576;
let peakRss = 0;
let atPeak = process.memoryUsage();
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) {
    peakRss = m.rss;
    atPeak = m;
  }
}, 20);

const t0 = performance.now();
const flood = await ask<{ ackMs: number[]; notAcked: number; queuedAcks: number }>({
  op: 'flood',
  commands: COMMANDS,
  channel: CHANNEL,
});
const ackedAt = performance.now();
const deadline = Date.now() + FINISH_TIMEOUT_MS;
while (finished < COMMANDS && Date.now() < deadline) await sleep(100);
const doneAt = performance.now();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
// Every record chained (the stream and the audit log hold the same chain) before the bot stops.
await bot.deps.audit.idle();
const chain = await bot.deps.audit.verify();

await bot.stop();
await ask({ op: 'close' });
await redisHandle.stop();

const acked = flood.ackMs.length;
const dropped = COMMANDS - Math.min(acked, finished);
const peakRssMB = round(peakRss / 1048576, 0);
const ackP99Ms = round(percentile(flood.ackMs, 99), 0);
console.log(
  `${COMMANDS} commands at once in one channel; bot in Socket Mode in this process, simulators in a child process; diagnoses in flight at most ${config.diagnoses.maxInFlight}.`,
);
console.log(
  formatTable(
    ['measure', 'value'],
    [
      ['RSS before the flood (MB)', round(rssStartMB, 0)],
      ['peak RSS (MB)', peakRssMB],
      [
        'at the peak: JS heap used / total, external (MB)',
        [atPeak.heapUsed, atPeak.heapTotal, atPeak.external].map((b) => round(b / 1048576, 0)).join(' / '),
      ],
      ['acked within 3 s', `${acked} of ${COMMANDS}`],
      ['acks that said the command waits in line', flood.queuedAcks],
      ['ack p50 / p99 (ms)', `${round(percentile(flood.ackMs, 50), 0)} / ${ackP99Ms}`],
      ['all acked after (s)', round((ackedAt - t0) / 1000, 1)],
      ['all diagnoses done after (s)', round((doneAt - t0) / 1000, 1)],
      ['finished (audited outcome)', `${finished} of ${COMMANDS}`],
      ['dropped', dropped],
      ['audit errors logged', auditErrors],
      [
        'audit chain',
        `${chain.ok ? 'verified' : 'NOT verified'}: ${chain.count} records, ${chainedLines} chained log lines`,
      ],
    ],
  ),
);
console.log(
  `goal: peak RSS < ${GOAL_RSS_MB} MB with nothing dropped: ${peakRssMB < GOAL_RSS_MB && dropped === 0 ? 'met' : 'NOT met'}`,
);
console.log(JSON.stringify({ bench: 'flood', commands: COMMANDS, peakRssMB, ackP99Ms, dropped }));
process.exit(0);
