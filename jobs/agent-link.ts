import { type ConnectionOptions, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import {
  clusterKey,
  clusterQueueName,
  HEARTBEAT_DEFAULTS,
  type Heartbeat,
  signTask,
  type Task,
  verifyTask,
} from '../src/clusters/index.js';
import type { RedisClient } from '../src/redis/index.js';

export interface AgentLinkOptions {
  connection: ConnectionOptions;
  /** A plain connection for the heartbeat. */
  redis: RedisClient;
  prefix: string;
  cluster: string;
  /** This cluster's signing key (deriveClusterKey of the gateway's key): tasks must verify under it. */
  key: string;
  /** Answers a verified task: a diagnosis, or whether a pod exists. */
  perform(task: Task): Promise<unknown>;
  heartbeat: Omit<Heartbeat, 'seenAt' | 'cluster'>;
  log: Logger;
  now: () => Date;
  /** @defaultValue 500 */
  heartbeatEveryMs?: number;
  /** How long after its last beat the agent counts as gone, ms (its alive mark's expiry in Redis). @defaultValue 1500 */
  aliveForMs?: number;
  /** Diagnoses at once. @defaultValue 20 */
  concurrency?: number;
  /** How long the agent waits for the gateway to take a report, ms. @defaultValue 30000 */
  reportTimeoutMs?: number;
}

export interface AgentLink {
  /** Sends a report to the gateway and waits for its answer (a posted alert's place, or nothing). */
  report(body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The agent's end of its cluster's queues: it works `cluster.<name>.tasks` (signed by the gateway, refused when
 * expired, so a task queued while the agent was away never runs late), beats in Redis, and sends reports on
 * `cluster.<name>.reports`. It touches only keys under `<prefix>:cluster.<name>.`, which its Redis ACL user allows.
 */
export async function startAgentLink(options: AgentLinkOptions): Promise<AgentLink> {
  const { cluster, key, log, now, prefix, connection } = options;
  const beatKey = clusterKey(prefix, cluster, 'agent');
  const aliveKey = clusterKey(prefix, cluster, 'alive');
  const aliveMs = options.aliveForMs ?? HEARTBEAT_DEFAULTS.staleMs;
  const beat = async () => {
    const heartbeat: Heartbeat = { ...options.heartbeat, cluster, seenAt: now().getTime() };
    // The beat is kept a week, so "last seen 4 min ago" can be said long after the agent is gone; the alive mark
    // expires by Redis's clock, so the gateway's verdict does not depend on the two hosts' clocks agreeing.
    await options.redis
      .multi()
      .set(beatKey, JSON.stringify(heartbeat), 'EX', 7 * 86400)
      .set(aliveKey, heartbeat.instance, 'PX', aliveMs)
      .exec();
  };
  await beat();
  const timer = setInterval(
    () => void beat().catch((err) => log.warn({ err: { message: err.message } }, 'heartbeat not written')),
    options.heartbeatEveryMs ?? HEARTBEAT_DEFAULTS.everyMs,
  );
  timer.unref();

  const worker = new Worker(
    clusterQueueName(cluster, 'tasks'),
    async (job) => {
      const verified = verifyTask(job.data, key, now(), cluster);
      if (!verified.ok) {
        log.warn({ jobId: job.id, problem: verified.problem }, 'task refused');
        throw new UnrecoverableError(`refused by the agent for @${cluster}: ${verified.problem}`);
      }
      return options.perform(verified.task);
    },
    { connection, prefix, concurrency: options.concurrency ?? 20 },
  );
  worker.on('error', (err) => log.error({ err: { message: err.message } }, 'agent task worker error'));

  const reports = new Queue(clusterQueueName(cluster, 'reports'), { connection, prefix });
  reports.on('error', (err) => log.error({ err: { message: err.message } }, 'report queue error'));
  // Each report waiting for its answer listens for the queue's 'closing' (Job.waitUntilFinished).
  reports.setMaxListeners(1000);
  const answers = new QueueEvents(clusterQueueName(cluster, 'reports'), { connection, prefix });
  answers.on('error', (err) => log.error({ err: { message: err.message } }, 'report events error'));
  await Promise.all([worker.waitUntilReady(), answers.waitUntilReady()]);

  const timeoutMs = options.reportTimeoutMs ?? 30_000;
  return {
    async report(body) {
      const signed = signTask(
        { kind: 'report', cluster, expiresAt: new Date(now().getTime() + timeoutMs).toISOString(), body },
        key,
      );
      const job = await reports.add('report', signed, { removeOnComplete: true, removeOnFail: true });
      const answer = (await job.waitUntilFinished(answers, timeoutMs)) as ReportAnswer;
      if (answer && answer.ok === false)
        throw Object.assign(new Error(answer.message), { name: answer.name, code: answer.code });
      return answer?.value;
    },
    async close() {
      clearInterval(timer);
      await worker.close();
      await answers.close();
      await reports.close();
    },
  };
}

/**
 * The gateway's answer to a report. A failure comes back as data, not a failed job, so its name and code (a
 * ChatError's `ratelimited`, which the alert manager waits out) survive the queue.
 */
export type ReportAnswer = { ok: true; value?: unknown } | { ok: false; name: string; code?: string; message: string };
