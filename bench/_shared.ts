/**
 * Helpers the benchmarks share: order statistics, a private Redis plus the whole bot against both simulators, and a
 * plain-text table. Not a benchmark itself (bench/run.ts skips files starting with `_`).
 */
import { type Harness, type HarnessOptions, startHarness } from '../test/support/harness.js';
import { type RedisHandle, startRedis } from '../test/support/redis-server.js';

/** The p-th percentile (0–100) by the nearest-rank method: a value that was actually observed. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** The median: the mean of the two middle values when the count is even. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds to `digits` decimals, as a number (for the JSON line). */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Milliseconds since the epoch of a Slack message ts ("1700000000.000100"), as the Slack simulator stamps them. */
export function tsToMs(ts: string): number {
  const [sec, micros = '0'] = ts.split('.');
  return Number(sec) * 1000 + Number(micros) / 1000;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The bot running against both simulators, on a Redis of its own; `stop()` ends all of it. */
export interface BenchStack {
  h: Harness;
  redis: RedisHandle;
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server (or uses REDIS_URL) and the e2e harness on it: outside vitest there is no global
 * setup to provide the test Redis. Stops what it started if the harness fails to start.
 */
export async function startBenchStack(options: Omit<HarnessOptions, 'redisUrl'> = {}): Promise<BenchStack> {
  const redis = await startRedis();
  let h: Harness;
  try {
    h = await startHarness({ logLevel: 'error', ...options, redisUrl: redis.url });
  } catch (err) {
    await redis.stop();
    throw err;
  }
  return {
    h,
    redis,
    async stop() {
      try {
        await h.stop();
      } finally {
        await redis.stop();
      }
    },
  };
}

/** A table with left-aligned first column and right-aligned others, for people reading the benchmark output. */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0] as string[]), rule, ...cells.slice(1).map(line)].join('\n');
}
