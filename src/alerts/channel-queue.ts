import type { AlertClock } from './alert-clock.js';

/** A unit of work on one channel, identified by key so that repeated requests coalesce into one call. */
export interface QueuedTask {
  key: string;
  /** Tasks that post a new message go before updates: a new failure matters more than a pod count. */
  urgent: boolean;
  run(): Promise<void>;
}

export interface ChannelQueueOptions {
  /** Pause between the starts of two calls on the channel, ms (Slack: ~1 message per second per channel). */
  intervalMs: number;
  clock: AlertClock;
  /** A task threw (its own failures are the task's business; this is the safety net). */
  onFailed?(key: string, err: unknown): void;
}

/**
 * Serialises Slack calls for one channel at Slack's pace. A task queued again while pending runs once, with the state
 * of when it runs; one queued while it runs runs again after it, so the newest state always reaches the channel.
 * Rate limits are not handled here: the Slack client waits out a 429 (handlers/wait-out-rate-limits.ts), and while it
 * waits, newer requests for the same message coalesce here.
 */
export class ChannelQueue {
  private readonly pending = new Map<string, QueuedTask>();
  private running: Promise<void> | undefined;
  private lastCallAt: number | undefined;
  private readonly abort = new AbortController();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: ChannelQueueOptions) {}

  /** Queues a task (or merges it with the pending one of the same key) and starts the worker when idle. */
  push(task: QueuedTask): void {
    if (this.abort.signal.aborted) return;
    const prev = this.pending.get(task.key);
    this.pending.set(task.key, prev ? { ...task, urgent: prev.urgent || task.urgent } : task);
    this.running ??= this.work().finally(() => {
      this.running = undefined;
      for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  /** Tasks pending, plus the one running. */
  get size(): number {
    return this.pending.size + (this.running ? 1 : 0);
  }

  /** Resolves when nothing is pending or running. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops what is pending and cuts the pause short; a call already made finishes. */
  stop(): void {
    this.abort.abort();
    this.pending.clear();
  }

  private next(): QueuedTask | undefined {
    let pick: QueuedTask | undefined;
    for (const t of this.pending.values()) {
      if (t.urgent) {
        pick = t;
        break;
      }
      pick ??= t;
    }
    if (pick) this.pending.delete(pick.key);
    return pick;
  }

  private async work(): Promise<void> {
    const { clock, intervalMs } = this.opts;
    while (this.pending.size > 0 && !this.abort.signal.aborted) {
      if (this.lastCallAt !== undefined) {
        const wait = this.lastCallAt + intervalMs - clock.now().getTime();
        if (wait > 0) await clock.sleep(wait, this.abort.signal);
        if (this.abort.signal.aborted) return;
      }
      // Picked after the pause: an urgent task queued meanwhile goes first.
      const task = this.next();
      if (!task) return;
      this.lastCallAt = clock.now().getTime();
      try {
        await task.run();
      } catch (err) {
        this.opts.onFailed?.(task.key, err);
      }
    }
  }
}
