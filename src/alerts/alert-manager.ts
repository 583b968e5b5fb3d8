import type { AlertRoute } from '../config/types.js';
import type { RedisClient } from '../redis/index.js';
import { type AlertClock, SYSTEM_CLOCK } from './alert-clock.js';
import type { AlertEffect } from './alert-effects.js';
import type { AlertEvent } from './alert-events.js';
import { alertRecordKey, claimAlert, readAlert, releaseAlert, saveAlert, takeOverAlert } from './alert-record.js';
import { type AlertRules, INITIAL_SHARED, type SharedState, type WorkloadState } from './alert-state.js';
import { ChannelQueue } from './channel-queue.js';
import { endMuteOnRecovery, readMute } from './mute-record.js';
import { isPodInTrouble } from './pod-trouble.js';
import { reduceAlerts } from './reduce-alerts.js';
import type { AlertSink, CompactPod, PodRef, PostedAlert, SummaryEntry } from './types.js';
import { workloadKey, workloadOf } from './workload-of.js';

/** A minimal logger (pino fits). */
export interface AlertLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface AlertManagerOptions {
  redis: RedisClient;
  /** Redis key prefix (config redis.prefix). */
  prefix: string;
  sink: AlertSink;
  /** config alerts.reasons. */
  reasons: readonly string[];
  /** config alerts.restartThreshold. */
  restartThreshold: number;
  /** config alerts.cooldownSeconds: one alert per workload per cooldown. */
  cooldownSeconds: number;
  /** config alerts.maxWorkloadsPerBurst: past this many new alerts in one burst window, a summary instead. */
  maxWorkloadsPerBurst: number;
  /** config alerts.channel (default channel). */
  channel?: string;
  /** config alerts.routes. */
  routes: readonly AlertRoute[];
  /** Length of a burst window, ms. @defaultValue 60000 */
  burstWindowMs?: number;
  /** A claim not followed by a post for this long is taken over by another replica, ms. @defaultValue 120000 */
  staleClaimMs?: number;
  /** Pause between two Slack calls on one channel, ms (Slack: about 1 message/s per channel). @defaultValue 1000 */
  channelIntervalMs?: number;
  /** The one clock: the reducer's `now` and the channel queues' pauses. @defaultValue SYSTEM_CLOCK */
  clock?: AlertClock;
  /** The time alone (the pauses stay real), for callers that hold a `now` function. Ignored when `clock` is given. */
  now?: () => Date;
  log?: AlertLog;
}

/** Counters for tests, benches, the log and /metrics. */
export interface AlertStats {
  posted: number;
  /** Workloads not posted because they were already alerted in the cooldown, or folded into a summary. */
  suppressed: number;
  updated: number;
  summaries: number;
  /** Slack calls (or the Redis reads of their sync) that failed: the message is redone on the next change. */
  dropped: number;
}

/** One storm summary: a channel's workloads past maxWorkloadsPerBurst in one burst window. */
interface Summary {
  windowStart: number;
  entries: Map<string, SummaryEntry>;
  posted?: PostedAlert;
}

const NOOP_LOG: AlertLog = { info() {}, warn() {}, debug() {} };

/**
 * Turns pod changes into one Slack alert per failing workload: the runner of `reduceAlerts`. Feed it from
 * `watchPods` (it is a PodWatchHandler). It keeps one reducer state per workload in trouble, hands each event to the
 * reducer, and performs the effects: claims in Redis (SET NX per workload, so replicas and restarts update the one
 * message), and Slack calls through a paced queue per channel, one sync at a time, coalescing newer state.
 */
export class AlertManager {
  private readonly rules: AlertRules;
  private readonly clock: AlertClock;
  private readonly log: AlertLog;
  private readonly workloads = new Map<string, WorkloadState>();
  /** Pod uid → workload key, for the pods the reducer keeps (in trouble). */
  private readonly podIndex = new Map<string, string>();
  private shared: SharedState = INITIAL_SHARED;
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly summaries = new Map<string, Summary>();
  /** Claims and the effects they lead to (sync effects run inside their queue task instead). */
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private readonly counters: AlertStats = { posted: 0, suppressed: 0, updated: 0, summaries: 0, dropped: 0 };

  constructor(private readonly opts: AlertManagerOptions) {
    this.rules = {
      reasons: opts.reasons,
      restartThreshold: opts.restartThreshold,
      maxWorkloadsPerBurst: opts.maxWorkloadsPerBurst,
      burstWindowMs: opts.burstWindowMs ?? 60_000,
      staleClaimMs: opts.staleClaimMs ?? 120_000,
      channel: opts.channel,
      routes: opts.routes,
    };
    this.clock = opts.clock ?? (opts.now ? { now: opts.now, sleep: SYSTEM_CLOCK.sleep } : SYSTEM_CLOCK);
    this.log = opts.log ?? NOOP_LOG;
  }

  /** A pod appeared or changed (PodWatchHandler). */
  upsert(pod: CompactPod): void {
    if (this.stopped) return;
    const known = this.podIndex.get(pod.uid);
    // The hot path: a healthy pod alerting does not hold changes nothing (the reducer would say the same).
    if (known === undefined && !isPodInTrouble(pod, this.rules)) return;
    const key = workloadKey(workloadOf(pod));
    if (known !== undefined && known !== key) this.dispatchPod(known, { type: 'pod-removed', uid: pod.uid }, pod.uid);
    this.dispatchPod(key, { type: 'pod-upserted', pod }, pod.uid);
  }

  /** A pod is gone (PodWatchHandler). */
  remove(ref: PodRef): void {
    if (this.stopped) return;
    const key = this.podIndex.get(ref.uid);
    if (key !== undefined) this.dispatchPod(key, { type: 'pod-removed', uid: ref.uid }, ref.uid);
  }

  /** Counters so far; `unhealthyPods` are the only pods kept in memory, `alerting` the workloads in an episode. */
  stats(): AlertStats & { unhealthyPods: number; alerting: number } {
    let alerting = 0;
    for (const w of this.workloads.values()) if (w.episode) alerting++;
    return { ...this.counters, unhealthyPods: this.podIndex.size, alerting };
  }

  /** Resolves once every pending claim and Slack call is done (tests and benches). */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
      await Promise.all([...this.queues.values()].map((q) => q.idle()));
      if (this.inFlight.size === 0 && [...this.queues.values()].every((q) => q.size === 0)) return;
    }
  }

  /** Stops queuing; pending Slack calls are dropped (they are redone from Redis by the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of this.queues.values()) q.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  private dispatch(key: string, event: AlertEvent): AlertEffect[] {
    const step = reduceAlerts(
      { workload: this.workloads.get(key), shared: this.shared },
      event,
      this.clock.now(),
      this.rules,
    );
    this.shared = step.state.shared;
    if (step.state.workload) this.workloads.set(key, step.state.workload);
    else this.workloads.delete(key);
    return step.effects;
  }

  private dispatchPod(key: string, event: AlertEvent, uid: string): void {
    const effects = this.dispatch(key, event);
    if (this.workloads.get(key)?.pods.has(uid)) this.podIndex.set(uid, key);
    else if (this.podIndex.get(uid) === key) this.podIndex.delete(uid);
    // Most pod changes ask only for a queued sync or nothing: no promise unless a claim has to wait for Redis.
    const later = effects.filter((e) => !this.performNow(key, e));
    if (later.length) this.track(this.drive(key, later));
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Performs effects in order, feeding each answer back to the reducer and performing what it asks next. */
  private async drive(key: string, effects: AlertEffect[]): Promise<void> {
    const todo = [...effects];
    for (let e = todo.shift(); e && !this.stopped; e = todo.shift()) {
      if (this.performNow(key, e)) continue;
      let answer: AlertEvent | undefined;
      try {
        answer = await this.performLater(key, e);
      } catch (err) {
        // Redis did not answer: this sync is dropped; the next pod change redoes it.
        this.counters.dropped++;
        this.log.warn({ err, workload: key, effect: e.type }, 'alert state not read or written in Redis');
        return;
      }
      if (answer && !this.stopped) todo.push(...this.dispatch(key, answer));
    }
  }

  /** The effects that need no answer; false for those that do. */
  private performNow(key: string, e: AlertEffect): boolean {
    switch (e.type) {
      case 'sync':
        this.queue(e.channel).push({
          key,
          urgent: e.urgent,
          run: () => this.drive(key, this.dispatch(key, { type: 'sync-due' })),
        });
        return true;
      case 'summarize':
        this.summarize(e);
        return true;
      case 'count':
        this.counters[e.counter]++;
        return true;
      case 'log':
        this.log[e.level](e.fields, e.msg);
        return true;
      default:
        return false;
    }
  }

  private async performLater(key: string, e: AlertEffect): Promise<AlertEvent | undefined> {
    const { redis, prefix, sink, cooldownSeconds } = this.opts;
    const recordKey = alertRecordKey(prefix, key);
    switch (e.type) {
      case 'claim':
        try {
          const answer = await claimAlert(redis, recordKey, e.record, cooldownSeconds);
          return { type: 'claim-answered', episode: e.episode, answer };
        } catch (err) {
          return { type: 'claim-answered', episode: e.episode, answer: { failed: err } };
        }
      case 'read-record':
        return { type: 'record-read', episode: e.episode, record: await readAlert(redis, recordKey) };
      case 'take-over':
        return {
          type: 'takeover-answered',
          episode: e.episode,
          won: await takeOverAlert(redis, recordKey, cooldownSeconds),
        };
      case 'read-mute':
        return { type: 'mute-read', episode: e.episode, muted: (await readMute(redis, prefix, key)) !== undefined };
      case 'post':
        try {
          const posted = await sink.post(e.alert);
          return { type: 'post-done', episode: e.episode, posted, shown: e.shown, version: e.version };
        } catch (error) {
          return { type: 'post-failed', episode: e.episode, error };
        }
      case 'update':
        try {
          await sink.update(e.posted, e.alert);
          return { type: 'update-done', episode: e.episode, shown: e.shown, version: e.version };
        } catch (error) {
          return { type: 'update-failed', episode: e.episode, error };
        }
      case 'save-record':
        await saveAlert(redis, recordKey, e.record);
        return undefined;
      case 'release-claim':
        await releaseAlert(redis, recordKey);
        return undefined;
      case 'end-mute-on-recovery':
        await endMuteOnRecovery(redis, prefix, key);
        return undefined;
      default:
        return undefined;
    }
  }

  private queue(channel: string): ChannelQueue {
    let q = this.queues.get(channel);
    if (!q) {
      q = new ChannelQueue({
        intervalMs: this.opts.channelIntervalMs ?? 1000,
        clock: this.clock,
        onFailed: (task, err) => {
          this.counters.dropped++;
          this.log.warn({ err, channel, task }, 'alert message failed');
        },
      });
      this.queues.set(channel, q);
    }
    return q;
  }

  /** Lists a workload in its channel's storm summary, posted (or updated) in its turn on the channel. */
  private summarize(e: Extract<AlertEffect, { type: 'summarize' }>): void {
    let s = this.summaries.get(e.channel);
    if (!s || s.windowStart !== e.windowStart) {
      s = { windowStart: e.windowStart, entries: new Map() };
      this.summaries.set(e.channel, s);
    }
    s.entries.set(e.key, e.entry);
    const summary = s;
    this.queue(e.channel).push({
      key: `summary:${summary.windowStart}`,
      urgent: !summary.posted,
      run: () => this.syncSummary(e.channel, summary),
    });
  }

  private async syncSummary(channel: string, s: Summary): Promise<void> {
    // Counts as of now: the storm is still growing while the summary waits its turn.
    const entries = [...s.entries].map(([key, entry]) => ({
      ...entry,
      failingCount: this.workloads.get(key)?.failing || entry.failingCount,
    }));
    try {
      if (!s.posted) {
        s.posted = await this.opts.sink.postSummary(channel, entries);
        this.counters.summaries++;
      } else {
        await this.opts.sink.updateSummary(s.posted, entries);
        this.counters.updated++;
      }
    } catch (err) {
      this.counters.dropped++;
      this.log.warn({ err, channel }, 'alert summary failed');
    }
  }
}
