import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { type CreateJobOptions, createDebugPodProcessor } from './create-debug-pod.js';
import { deleteDebugPodProcessor } from './delete-debug-pod.js';
import { sweepExpiredDebugPods } from './janitor.js';
import { DEBUG_POD_QUEUE, JOB } from './job-names.js';

export interface WorkerOptions extends CreateJobOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** The queue worked: one cluster's queue when there are many. @defaultValue "debug-pods" */
  queueName?: string;
  /** Jobs run at once; each mostly waits on the API (watching its pod until it runs). @defaultValue 50 */
  concurrency?: number;
  /** How often the janitor sweeps, ms. @defaultValue 60000 */
  janitorEveryMs?: number;
  /**
   * The conversation a create job runs with, from the job itself (an agent: the approvers' groups as the gateway
   * vouched for them in the job). @defaultValue `deps`
   */
  depsForCreate?: (job: Job) => ConversationDeps | { refused: string };
}

/**
 * The worker for the debug-pod queue, and the janitor: at start-up and then on a plain in-process timer, NOT a
 * BullMQ scheduler, because the janitor exists for the day Redis is lost or flushed and must not live there.
 * Several replicas sweeping is harmless: deletion is idempotent.
 */
export async function startWorkers(
  deps: ConversationDeps,
  options: WorkerOptions,
): Promise<{ close(): Promise<void> }> {
  const create = createDebugPodProcessor(deps, options);
  const remove = deleteDebugPodProcessor(deps);
  const worker = new Worker(
    options.queueName ?? DEBUG_POD_QUEUE,
    async (job: Job) => {
      switch (job.name) {
        case JOB.create: {
          const forJob = options.depsForCreate?.(job);
          if (forJob && 'refused' in forJob) throw new UnrecoverableError(forJob.refused);
          return forJob ? createDebugPodProcessor(forJob, options)(job) : create(job);
        }
        case JOB.delete:
          return remove(job);
        default:
          throw new Error(`unknown job ${job.name}`);
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 50 },
  );
  worker.on('failed', (job, err) => {
    deps.log.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed');
    if (job) deps.meter?.jobFinished(job.name, 'failed');
  });
  worker.on('completed', (job) => deps.meter?.jobFinished(job.name, 'completed'));
  worker.on('error', (err) => deps.log.error({ err }, 'worker error'));
  let sweeping: Promise<unknown> = sweepExpiredDebugPods(deps).catch((err) =>
    deps.log.error({ err }, 'start-up janitor sweep failed'),
  );
  await sweeping;
  const timer = setInterval(() => {
    sweeping = sweeping
      .then(() => sweepExpiredDebugPods(deps))
      .catch((err) => deps.log.error({ err }, 'janitor sweep failed'));
  }, options.janitorEveryMs ?? 60_000);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await sweeping;
      await worker.close();
    },
  };
}
