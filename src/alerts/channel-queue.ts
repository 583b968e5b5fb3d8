import { retryAfterSeconds } from './retry-after.js';

/** A unit of work on one channel, identified by key so that repeated requests coalesce into one call. */
export interface QueuedTask {
  key: string;
  /** Tasks that post a new message go before updates: a new failure matters more than a pod count. */
  urgent: boolean;
  run(): Promise<void>;
}

export interface ChannelQueueOptions {
  /** Pause between two calls on the channel, ms (Slack: ~1 message per second per channel). @defaultValue 1000 */
  intervalMs: number;
  /** Rate-limit retries of one task before it is dropped. @defaultValue 20 */
  maxRetries: number;
  onRateLimited?(seconds: number): void;
  onDropped?(key: string, err: unknown): void;
}

/**
 * Serialises Slack calls for one channel at Slack's pace. A task queued again while pending runs once (with the state
 * of when it runs); a task refused with `ratelimited` waits Retry-After and runs again, so nothing is lost and
 * nothing is posted twice.
 */
export class ChannelQueue {
  private readonly pending = new Map<string, QueuedTask>();
  private running: Promise<void> | undefined;
  private lastCallAt = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: ChannelQueueOptions) {}

  /** Queues a task (or merges it with the pending one of the same key) and starts the worker when idle. */
  push(task: QueuedTask): void {
    if (this.stopped) return;
    const prev = this.pending.get(task.key);
    this.pending.set(task.key, prev ? { ...task, urgent: prev.urgent || task.urgent } : task);
    this.running ??= this.work().finally(() => {
      this.running = undefined;
      for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  get size(): number {
    return this.pending.size + (this.running ? 1 : 0);
  }

  /** Resolves when nothing is pending or running. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
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
    for (let task = this.next(); task && !this.stopped; task = this.next()) {
      let retries = 0;
      for (;;) {
        const wait = this.lastCallAt + this.opts.intervalMs - Date.now();
        if (wait > 0) await this.sleep(wait);
        if (this.stopped) return;
        this.lastCallAt = Date.now();
        try {
          await task.run();
          break;
        } catch (e) {
          const seconds = retryAfterSeconds(e);
          if (seconds === undefined || retries >= this.opts.maxRetries) {
            this.opts.onDropped?.(task.key, e);
            break;
          }
          retries++;
          this.opts.onRateLimited?.(seconds);
          await this.sleep(seconds * 1000);
          if (this.stopped) return;
          // A newer request for the same key replaces this retry: it carries fresher state.
          const newer = this.pending.get(task.key);
          if (newer) {
            this.pending.delete(task.key);
            task = newer;
          }
        }
      }
    }
  }
}
