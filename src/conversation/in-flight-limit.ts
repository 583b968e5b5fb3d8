/** A place in line, and the way to run once it is its turn. Its holder must call `run` once, or the slot is lost. */
export interface Turn {
  /** False when a slot was free and the work starts at once. */
  queued: boolean;
  /** Commands already waiting in line ahead of this one when it was taken. */
  ahead: number;
  /** Runs `work` when it is this turn's go, and frees the slot when the work settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * At most `limit` diagnoses at once in this process; the rest wait in line, first come first served. Each diagnosis
 * holds a pod, its events and up to `logs.limitBytes` of logs per container while it renders, so the limit is what
 * bounds the bot's memory under a flood of commands (README "Security model", Load; bench/flood.ts).
 */
export class InFlightLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Takes a place in line now (so the ack can say where), without waiting. */
  take(): Turn {
    const ahead = this.waiting.length;
    const queued = this.running >= this.limit || ahead > 0;
    let started: Promise<void>;
    if (!queued) {
      this.running++;
      started = Promise.resolve();
    } else {
      started = new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    return {
      queued,
      ahead,
      run: async (work) => {
        await started;
        try {
          return await work();
        } finally {
          this.release();
        }
      },
    };
  }

  /** Diagnoses running and waiting, for logs and tests. */
  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next in line, so `running` never dips and lets a newcomer jump the queue.
    if (next) next();
    else this.running--;
  }
}
