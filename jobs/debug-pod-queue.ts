import { type ConnectionOptions, Queue } from 'bullmq';
import type { CreateDebugPodJob, DeleteDebugPodJob, JobPort } from '../src/conversation/deps.js';
import { createJobId, DEBUG_POD_QUEUE, deleteJobId, JOB } from './job-names.js';

export interface DebugPodQueueOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** The queue's name: one cluster's queue when there are many (src/clusters clusterQueueName). @defaultValue "debug-pods" */
  name?: string;
  now?: () => Date;
  onError?: (err: Error) => void;
  /** Attempts of a create job (transient Kubernetes errors are retried). @defaultValue 5 */
  createAttempts?: number;
  /** First retry delay of a create job, ms; doubles each time. @defaultValue 2000 */
  createBackoffMs?: number;
}

/**
 * The JobPort over BullMQ. Job ids derive from the action id, so a double click or a redelivery adds nothing
 * (BullMQ ignores an add whose job id exists). Creation retries transient failures with exponential back-off.
 */
export function createDebugPodQueue(
  options: DebugPodQueueOptions,
): JobPort & { queue: Queue; counts(): Promise<Record<string, number>>; close(): Promise<void> } {
  const queue = new Queue(options.name ?? DEBUG_POD_QUEUE, { connection: options.connection, prefix: options.prefix });
  // Without a listener, a connection error (Redis down, or closing during shutdown) is an uncaught 'error' event.
  queue.on('error', (err) => options.onError?.(err));
  const now = options.now ?? (() => new Date());
  const keep = { removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 7 * 86400 } };

  async function replaceDelete(job: DeleteDebugPodJob, delay: number): Promise<void> {
    const id = deleteJobId(job.actionId);
    const existing = await queue.getJob(id);
    if (existing) {
      const state = await existing.getState();
      if (state === 'delayed' || state === 'waiting') {
        await existing.updateData(job);
        if (delay <= 0) await (state === 'delayed' ? existing.promote() : Promise.resolve());
        else if (state === 'delayed') await existing.changeDelay(delay);
        else await existing.remove().then(() => add(job, id, delay));
        return;
      }
      if (state === 'active') return; // already deleting
      await existing.remove();
    }
    await add(job, id, delay);
  }

  async function add(job: DeleteDebugPodJob, id: string, delay: number): Promise<void> {
    await queue.add(JOB.delete, job, {
      jobId: id,
      delay: Math.max(0, delay),
      attempts: 10,
      backoff: { type: 'exponential', delay: 2000 },
      ...keep,
    });
  }

  return {
    queue,
    counts: () => queue.getJobCounts(),
    async enqueueCreate(job: CreateDebugPodJob): Promise<void> {
      await queue.add(JOB.create, job, {
        jobId: createJobId(job.grant.actionId),
        attempts: options.createAttempts ?? 5,
        backoff: { type: 'exponential', delay: options.createBackoffMs ?? 2000 },
        ...keep,
      });
    },
    async scheduleDelete(job: DeleteDebugPodJob, at: Date): Promise<void> {
      await replaceDelete(job, at.getTime() - now().getTime());
    },
    async deleteNow(job: DeleteDebugPodJob): Promise<void> {
      await replaceDelete(job, 0);
    },
    async close(): Promise<void> {
      await queue.close();
    },
  };
}
