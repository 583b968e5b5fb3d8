import { type ConnectionOptions, type Job, Queue, QueueEvents, Worker } from 'bullmq';
import type { Logger } from 'pino';
import {
  AgentGone,
  type AgentHealth,
  agentHealth,
  clusterKey,
  clusterQueueName,
  HEARTBEAT_DEFAULTS,
  parseHeartbeat,
  type SignedTask,
  signTask,
  type Task,
  verifyTask,
} from '../src/clusters/index.js';
import type { CreateDebugPodJob, DeleteDebugPodJob, JobPort } from '../src/conversation/deps.js';
import type { RedisClient } from '../src/redis/index.js';
import type { ReportAnswer } from './agent-link.js';
import { createDebugPodQueue } from './debug-pod-queue.js';

export interface GatewayLinkOptions {
  connection: ConnectionOptions;
  redis: RedisClient;
  prefix: string;
  clusters: string[];
  /** The signing key of a cluster (deriveClusterKey): tasks to it are signed with it, its reports verified. */
  keyOf(cluster: string): string;
  /** Applies one verified report of `cluster` (progress, thread line, alert) and returns what the agent waits for. */
  applyReport(cluster: string, body: unknown): Promise<unknown>;
  /** Vouches for the approvers' user groups in a create job (the agent cannot ask Slack). */
  attestGroups(grant: CreateDebugPodJob['grant']): Promise<Record<string, string[]>>;
  /** The cluster a delete job's action belongs to (from its diagnosis record). */
  clusterOfAction(actionId: string): Promise<string | undefined>;
  log: Logger;
  now: () => Date;
  /** How often a waiting command looks at the agent's heartbeat, ms. @defaultValue 250 */
  watchEveryMs?: number;
  /** Create-job retries (tests). */
  jobRetry?: { attempts?: number; backoffMs?: number };
  /**
   * A debug-pod job must start within this long of being queued, ms: the agent refuses it later (the deadline is
   * signed), and the gateway withdraws it sooner when the agent is gone. @defaultValue 120000
   */
  jobTtlMs?: number;
  /** Told of each create job withdrawn because its cluster's agent was gone past jobTtlMs. */
  onExpired?(cluster: string, job: CreateDebugPodJob, sentence: string): Promise<void>;
  /** How often stranded jobs are looked for, ms. @defaultValue 5000 */
  sweepEveryMs?: number;
}

/** What the gateway asks of the clusters (src/gateway builds the conversation's routing on it). */
export interface GatewayLink {
  health(cluster: string): Promise<AgentHealth>;
  /**
   * Asks the cluster's agent and waits for the answer, watching its heartbeat meanwhile: an agent that is gone, or
   * goes while the task waits, is an AgentGone at once, never a hang; the task is withdrawn and, being expired by
   * then, refused should the agent come back.
   */
  ask(cluster: string, kind: Task['kind'], body: unknown, ttlMs: number): Promise<unknown>;
  /** Debug-pod jobs, each to its cluster's queue. */
  jobs: JobPort;
  /** Jobs waiting for a cluster's agent. */
  waiting(cluster: string): Promise<number>;
  /** Each cluster's debug-pod jobs by BullMQ state (for /metrics). */
  jobCounts(): Promise<Record<string, Record<string, number>>>;
  close(): Promise<void>;
}

/**
 * The gateway's end of every cluster's queues: it asks on `cluster.<name>.tasks`, queues debug pods on
 * `cluster.<name>.debug-pods`, and works `cluster.<name>.reports`, accepting only reports signed with that cluster's
 * key, applied as that cluster's (a report cannot speak for another cluster).
 */
export async function startGatewayLink(options: GatewayLinkOptions): Promise<GatewayLink> {
  const { connection, prefix, log, now } = options;
  const onError = (what: string) => (err: Error) => log.error({ err: { message: err.message } }, what);
  const links = new Map(
    options.clusters.map((cluster) => {
      const tasks = new Queue(clusterQueueName(cluster, 'tasks'), { connection, prefix });
      tasks.on('error', onError('task queue error'));
      // Each waiting task listens for the queue's 'closing' (Job.waitUntilFinished): as many as diagnoses in flight.
      tasks.setMaxListeners(1000);
      const events = new QueueEvents(clusterQueueName(cluster, 'tasks'), { connection, prefix });
      events.on('error', onError('task events error'));
      const pods = createDebugPodQueue({
        connection,
        prefix,
        name: clusterQueueName(cluster, 'debug-pods'),
        now,
        onError: onError('debug-pod queue error'),
        ...(options.jobRetry?.attempts ? { createAttempts: options.jobRetry.attempts } : {}),
        ...(options.jobRetry?.backoffMs ? { createBackoffMs: options.jobRetry.backoffMs } : {}),
      });
      const reports = new Worker(
        clusterQueueName(cluster, 'reports'),
        async (job: Job): Promise<ReportAnswer> => {
          const verified = verifyTask(job.data, options.keyOf(cluster), now(), cluster);
          if (!verified.ok || verified.task.kind !== 'report') {
            log.warn({ cluster, problem: verified.ok ? 'not a report' : verified.problem }, 'report refused');
            return { ok: false, name: 'Refused', message: 'report refused by the gateway' };
          }
          try {
            return { ok: true, value: await options.applyReport(cluster, verified.task.body) };
          } catch (e) {
            const err = e as Error & { code?: string };
            // An agent speaking for another cluster's action or channel: refused, and loud.
            if (err.name === 'ReportRefused') log.warn({ cluster, reason: err.message }, 'report refused');
            return { ok: false, name: err.name, ...(err.code ? { code: err.code } : {}), message: err.message };
          }
        },
        { connection, prefix, concurrency: 20 },
      );
      reports.on('error', onError('report worker error'));
      return [cluster, { tasks, events, pods, reports }] as const;
    }),
  );
  await Promise.all([...links.values()].flatMap((l) => [l.events.waitUntilReady(), l.reports.waitUntilReady()]));
  const linkOf = (cluster: string) => {
    const link = links.get(cluster);
    if (!link) throw new Error(`no cluster named ${cluster}`);
    return link;
  };

  /** The agent's health: its alive mark (expired by Redis's clock) decides; its heartbeat says when it was seen. */
  const health = async (cluster: string) => {
    const [beat, alive] = await options.redis.mget(
      clusterKey(prefix, cluster, 'agent'),
      clusterKey(prefix, cluster, 'alive'),
    );
    return agentHealth(cluster, parseHeartbeat(beat), now().getTime(), HEARTBEAT_DEFAULTS.staleMs, alive !== null);
  };

  async function ask(cluster: string, kind: Task['kind'], body: unknown, ttlMs: number): Promise<unknown> {
    const link = linkOf(cluster);
    const before = await health(cluster);
    if (!before.alive) throw new AgentGone(before.sentence);
    const signed = signTask(
      { kind, cluster, expiresAt: new Date(now().getTime() + ttlMs).toISOString(), body },
      options.keyOf(cluster),
    );
    const job = await link.tasks.add(kind, signed, { removeOnComplete: true, removeOnFail: true });
    const stop = new AbortController();
    const gone = watchAgent(cluster, stop.signal);
    try {
      return await Promise.race([job.waitUntilFinished(link.events, ttlMs), gone]);
    } catch (err) {
      // Withdrawn so it does not wait for an agent that is gone (an active one expires on its own).
      await job.remove().catch(() => {});
      throw err;
    } finally {
      stop.abort();
    }
  }

  /** Rejects with AgentGone once the agent's heartbeat goes stale; never settles otherwise. */
  function watchAgent(cluster: string, signal: AbortSignal): Promise<never> {
    return new Promise((_, reject) => {
      const timer = setInterval(() => {
        void health(cluster).then(
          (h) => {
            if (!h.alive && !signal.aborted) reject(new AgentGone(h.sentence));
          },
          () => {},
        );
      }, options.watchEveryMs ?? 250);
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    });
  }

  const jobTtlMs = options.jobTtlMs ?? 120_000;
  /** Create jobs still waiting for a gone agent past their deadline: withdrawn, and the person told. */
  const sweep = async () => {
    for (const [cluster, link] of links) {
      const h = await health(cluster);
      if (h.alive) continue;
      for (const job of await link.pods.queue.getJobs(['wait', 'prioritized', 'delayed'])) {
        if (job?.name !== 'create' || now().getTime() - job.timestamp < jobTtlMs) continue;
        await job.remove().catch(() => {});
        await options
          .onExpired?.(cluster, job.data as CreateDebugPodJob, h.sentence)
          .catch((err) => log.warn({ err, cluster }, 'could not report an expired job'));
      }
    }
  };
  let sweeping: Promise<void> = Promise.resolve();
  const sweeper = setInterval(() => {
    sweeping = sweeping.then(sweep).catch((err) => log.warn({ err }, 'stranded-job sweep failed'));
  }, options.sweepEveryMs ?? 5000);
  sweeper.unref();

  const deleteRoute = async (job: DeleteDebugPodJob) => {
    const cluster = await options.clusterOfAction(job.actionId);
    if (!cluster || !links.has(cluster)) throw new Error(`no cluster known for action ${job.actionId}`);
    return linkOf(cluster).pods;
  };
  const jobs: JobPort = {
    async enqueueCreate(job) {
      const cluster = job.grant.cluster;
      const h = await health(cluster);
      if (!h.alive) throw new AgentGone(h.sentence);
      const groupsOf = await options.attestGroups(job.grant);
      // Also the job's deadline: the agent refuses a job whose attestation expired (queued while it was away).
      const deadline = Math.min(Date.parse(job.grant.expiresAt), now().getTime() + jobTtlMs);
      const attest: SignedTask = signTask(
        {
          kind: 'groups',
          cluster,
          expiresAt: new Date(deadline).toISOString(),
          body: { actionId: job.grant.actionId, groupsOf },
        },
        options.keyOf(cluster),
      );
      await linkOf(cluster).pods.enqueueCreate({ ...job, attest });
    },
    async scheduleDelete(job, at) {
      await (await deleteRoute(job)).scheduleDelete(job, at);
    },
    async deleteNow(job) {
      await (await deleteRoute(job)).deleteNow(job);
    },
  };

  return {
    health,
    ask,
    jobs,
    async waiting(cluster) {
      const link = linkOf(cluster);
      const [tasks, pods] = await Promise.all([link.tasks.getWaitingCount(), link.pods.queue.getWaitingCount()]);
      return tasks + pods;
    },
    async jobCounts() {
      const entries = await Promise.all(
        [...links].map(async ([cluster, link]) => [cluster, await link.pods.counts()] as const),
      );
      return Object.fromEntries(entries);
    },
    async close() {
      clearInterval(sweeper);
      await sweeping;
      for (const link of links.values()) {
        await link.reports.close();
        await link.events.close();
        await link.tasks.close();
        await link.pods.close();
      }
    },
  };
}
