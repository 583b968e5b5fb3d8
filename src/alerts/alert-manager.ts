import type { AlertRoute } from '../config/types.js';
import { MANAGED_LABEL } from '../debugpods/index.js';
import type { RedisClient } from '../redis/index.js';
import {
  type AlertRecord,
  alertRecordKey,
  claimAlert,
  readAlert,
  releaseAlert,
  saveAlert,
  takeOverAlert,
} from './alert-record.js';
import { ChannelQueue } from './channel-queue.js';
import { classifyPod } from './classify-pod.js';
import { failingSinceOfPod } from './failing-since-of-pod.js';
import { endMuteOnRecovery, readMute } from './mute-record.js';
import { renderAlertSummary } from './render-alert-summary.js';
import { retryAfterSeconds } from './retry-after.js';
import { routeAlert } from './route-alert.js';
import type { AlertSink, CompactPod, PodRef, PostedAlert, SummaryEntry, WorkloadAlert, WorkloadRef } from './types.js';
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
  /** @defaultValue () => new Date() */
  now?: () => Date;
  log?: AlertLog;
}

/** Counters for tests, benches and the log. */
export interface AlertStats {
  posted: number;
  /** Workloads not posted because they were already alerted in the cooldown, or folded into a summary. */
  suppressed: number;
  updated: number;
  summaries: number;
  rateLimited: number;
  dropped: number;
}

/** Per pod in trouble (failing or not Ready), what detection needs: its workload, name, and failing reason. */
interface PodEntry {
  /** Workload key (string shared with the `members` map key). */
  k: string;
  name: string;
  /** Failing reason, if failing. */
  failing: string | undefined;
  ready: boolean;
  /** When this pod started failing, from its own status (failingSinceOfPod), ms since the epoch. */
  since?: number | undefined;
}

/** One alerting episode of a workload, from first failure to recovery. */
interface Episode {
  workload: WorkloadRef;
  channel: string;
  since: string;
  pod: string;
  reason: string;
  recoveredAt?: string;
  /** owner: we post/update; follower: another replica claimed it, we update once it has posted; summary: listed in a summary. */
  role: 'claiming' | 'owner' | 'follower' | 'summary';
  posted?: PostedAlert;
  /** What the message last said (pods, recovery), to skip updates that would change nothing. */
  shown?: string;
}

interface SummaryState {
  windowStart: number;
  entries: Map<string, SummaryEntry>;
  posted?: PostedAlert;
}

const NOOP_LOG: AlertLog = { info() {}, warn() {}, debug() {} };

/**
 * Turns pod changes into one Slack alert per failing workload. Feed it from `watchPods` (it is a PodWatchHandler).
 * Keeps compact state only; dedup lives in Redis (SET NX per workload, for the cooldown), so replicas and restarts
 * update the one message instead of posting again; Slack calls go through a paced queue per channel.
 */
export class AlertManager {
  private readonly opts: Required<Omit<AlertManagerOptions, 'channel' | 'log'>> & Pick<AlertManagerOptions, 'channel'>;
  private readonly log: AlertLog;
  private readonly pods = new Map<string, PodEntry>();
  private readonly members = new Map<string, Set<string>>();
  private readonly episodes = new Map<string, Episode>();
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly summaries = new Map<string, SummaryState>();
  private readonly dirty = new Set<string>();
  private readonly claims = new Set<Promise<void>>();
  private burst = { start: 0, count: 0 };
  private flushScheduled = false;
  private stopped = false;
  private readonly counters: AlertStats = {
    posted: 0,
    suppressed: 0,
    updated: 0,
    summaries: 0,
    rateLimited: 0,
    dropped: 0,
  };

  constructor(options: AlertManagerOptions) {
    this.opts = {
      burstWindowMs: 60_000,
      channelIntervalMs: 1000,
      staleClaimMs: 120_000,
      now: () => new Date(),
      ...options,
    };
    this.log = options.log ?? NOOP_LOG;
  }

  /** A pod appeared or changed (PodWatchHandler). */
  upsert(pod: CompactPod): void {
    if (this.stopped) return;
    // Our own debug pods crash by design (a clone of a crashing app): never alert on them.
    if (pod.labels[MANAGED_LABEL] === 'true') {
      this.remove(pod);
      return;
    }
    const verdict = classifyPod(pod, this.opts);
    const prev = this.pods.get(pod.uid);
    // Healthy, Ready pods are not kept at all: recovery only needs to know that no unhealthy pod is left, so memory
    // grows with the pods in trouble, not with the cluster.
    if (!verdict.failing && verdict.ready) {
      if (prev) this.remove(pod);
      return;
    }
    const k = workloadKey(workloadOf(pod));
    if (prev && prev.k !== k) this.forget(pod.uid, prev);
    let set = this.members.get(k);
    if (!set) {
      set = new Set();
      this.members.set(k, set);
    }
    set.add(pod.uid);
    // A crash-looping container is briefly Running between back-offs; the pod stays "failing" until it is Ready again
    // (or gone), so the count in the message does not flap and each flap costs no chat.update.
    const failing = verdict.failing ? verdict.reason : prev?.k === k ? prev.failing : undefined;
    const since = failing
      ? (failingSinceOfPod(pod, this.opts.now()) ?? (prev?.k === k ? prev.since : undefined))
      : undefined;
    if (prev && prev.k === k) {
      const changed = prev.failing !== failing;
      prev.failing = failing;
      prev.since = since;
      prev.ready = false;
      prev.name = pod.name;
      if (changed || (failing && this.episodes.has(k))) this.markDirty(k);
      return;
    }
    this.pods.set(pod.uid, { k, name: pod.name, failing, ready: false, since });
    if (failing || this.episodes.has(k)) this.markDirty(k);
  }

  /** A pod is gone (PodWatchHandler). */
  remove(ref: PodRef): void {
    const entry = this.pods.get(ref.uid);
    if (!entry) return;
    this.forget(ref.uid, entry);
    if (this.episodes.has(entry.k)) this.markDirty(entry.k);
  }

  /** Counters so far; `unhealthyPods` are the only pods kept in memory. */
  stats(): AlertStats & { unhealthyPods: number; alerting: number } {
    return { ...this.counters, unhealthyPods: this.pods.size, alerting: this.episodes.size };
  }

  /** Resolves once every pending evaluation, claim and Slack call is done (tests and benches). */
  async idle(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.claims.size) await Promise.all([...this.claims]);
      await Promise.all([...this.queues.values()].map((q) => q.idle()));
      if (!this.flushScheduled && this.claims.size === 0 && [...this.queues.values()].every((q) => q.size === 0))
        return;
    }
  }

  /** Stops queuing; pending Slack calls are dropped (they are redone from Redis by the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of this.queues.values()) q.stop();
    await Promise.allSettled([...this.claims]);
  }

  private forget(uid: string, entry: PodEntry): void {
    this.pods.delete(uid);
    const set = this.members.get(entry.k);
    set?.delete(uid);
    if (set?.size === 0 && !this.episodes.has(entry.k)) this.members.delete(entry.k);
  }

  private markDirty(k: string): void {
    this.dirty.add(k);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Batches the changes of one watch chunk: a list page or a burst of events becomes one evaluation per workload.
    setImmediate(() => {
      this.flushScheduled = false;
      const keys = [...this.dirty];
      this.dirty.clear();
      for (const key of keys) this.evaluate(key);
    });
  }

  private failingPods(k: string): {
    names: string[];
    reason: string | undefined;
    allReady: boolean;
    since: number | undefined;
  } {
    const names: string[] = [];
    let reason: string | undefined;
    let since: number | undefined;
    let allReady = true;
    for (const uid of this.members.get(k) ?? []) {
      const e = this.pods.get(uid);
      if (!e) continue;
      if (e.failing) {
        names.push(e.name);
        reason ??= e.failing;
        if (e.since !== undefined && (since === undefined || e.since < since)) since = e.since;
      }
      if (!e.ready) allReady = false;
    }
    names.sort();
    return { names, reason, allReady, since };
  }

  private evaluate(k: string): void {
    if (this.stopped) return;
    const { names, reason, allReady, since } = this.failingPods(k);
    const ep = this.episodes.get(k);
    const now = this.opts.now();
    if (names.length > 0 && reason) {
      if (ep && !ep.recoveredAt) {
        if (ep.role !== 'claiming') this.enqueue(k, ep, false);
        return;
      }
      if (ep?.recoveredAt) this.episodes.delete(k);
      const w = this.parseKey(k);
      const channel = routeAlert(w.namespace, { channel: this.opts.channel, routes: this.opts.routes });
      if (!channel) return;
      const fresh: Episode = {
        workload: w,
        channel,
        // The pods' own record of when they began failing, not when the bot first saw them.
        since: new Date(since !== undefined && since < now.getTime() ? since : now.getTime()).toISOString(),
        pod: names[0] as string,
        reason,
        role: 'claiming',
      };
      this.episodes.set(k, fresh);
      this.track(this.claim(k, fresh));
      return;
    }
    if (!ep || ep.recoveredAt) {
      if (!ep && this.members.get(k)?.size === 0) this.members.delete(k);
      return;
    }
    if (allReady) {
      ep.recoveredAt = now.toISOString();
      if (ep.role !== 'claiming') this.enqueue(k, ep, false);
    }
  }

  private track(p: Promise<void>): void {
    this.claims.add(p);
    void p.finally(() => this.claims.delete(p));
  }

  private parseKey(k: string): WorkloadRef {
    const [namespace = '', kind = '', ...rest] = k.split('/');
    return { namespace, kind, name: rest.join('/') };
  }

  /** Claims the workload in Redis; the winner posts, the others adopt the existing message. */
  private async claim(k: string, ep: Episode): Promise<void> {
    const key = alertRecordKey(this.opts.prefix, k);
    try {
      const result = await claimAlert(
        this.opts.redis,
        key,
        { since: ep.since, claimedAt: this.opts.now().toISOString() },
        this.opts.cooldownSeconds,
      );
      if (this.stopped || this.episodes.get(k) !== ep) return;
      if (result.claimed) {
        if (this.inBurstOverflow()) {
          ep.role = 'summary';
          this.counters.suppressed++;
          await saveAlert(this.opts.redis, key, { since: ep.since, summarized: true });
          this.addToSummary(k, ep);
          return;
        }
        ep.role = 'owner';
        this.log.info({ workload: k, channel: ep.channel, reason: ep.reason }, 'workload alert claimed');
      } else {
        const rec = result.record;
        if (rec?.summarized) ep.role = 'summary';
        else if (rec?.posted) {
          ep.role = 'owner';
          ep.posted = rec.posted;
        } else ep.role = 'follower';
        if (rec && !rec.recoveredAt) ep.since = rec.since;
        else if (rec?.recoveredAt) {
          // Failing again within the cooldown: the same message comes back to life with a new start time.
          await saveAlert(this.opts.redis, key, { ...rec, since: ep.since, recoveredAt: undefined });
        }
        this.counters.suppressed++;
        this.log.debug({ workload: k, role: ep.role }, 'workload already alerted in this cooldown');
        if (ep.role === 'summary') return;
      }
      // Re-evaluate: pods may have changed (or recovered) while Redis answered.
      this.evaluateClaimed(k, ep);
    } catch (err) {
      this.log.warn({ err, workload: k }, 'alert claim failed; will retry on the next pod change');
      if (this.episodes.get(k) === ep) this.episodes.delete(k);
    }
  }

  private evaluateClaimed(k: string, ep: Episode): void {
    const { names, allReady } = this.failingPods(k);
    if (names.length === 0 && allReady && !ep.recoveredAt) ep.recoveredAt = this.opts.now().toISOString();
    this.enqueue(k, ep, !ep.posted);
  }

  private inBurstOverflow(): boolean {
    const now = Date.now();
    if (now - this.burst.start > this.opts.burstWindowMs) this.burst = { start: now, count: 0 };
    this.burst.count++;
    return this.burst.count > this.opts.maxWorkloadsPerBurst;
  }

  private queue(channel: string): ChannelQueue {
    let q = this.queues.get(channel);
    if (!q) {
      q = new ChannelQueue({
        intervalMs: this.opts.channelIntervalMs,
        maxRetries: 20,
        onRateLimited: (seconds) => {
          this.counters.rateLimited++;
          this.log.info({ channel, retryAfterSeconds: seconds }, 'Slack rate limit; waiting');
        },
        onDropped: (key, err) => {
          this.counters.dropped++;
          this.log.warn({ err, channel, task: key }, 'alert message failed');
        },
      });
      this.queues.set(channel, q);
    }
    return q;
  }

  private enqueue(k: string, ep: Episode, urgent: boolean): void {
    if (ep.role === 'summary' || ep.role === 'claiming') return;
    this.queue(ep.channel).push({ key: k, urgent, run: () => this.sync(k, ep) });
  }

  private alertOf(k: string, ep: Episode): WorkloadAlert {
    const { names } = this.failingPods(k);
    const alert: WorkloadAlert = {
      workload: ep.workload,
      channel: ep.channel,
      pod: ep.pod,
      reason: ep.reason,
      failingPods: names,
      failingCount: names.length,
      since: ep.since,
    };
    if (ep.recoveredAt) alert.recoveredAt = ep.recoveredAt;
    return alert;
  }

  /** Brings the workload's one message up to date: post it, update it, or mark it recovered. */
  private async sync(k: string, ep: Episode): Promise<void> {
    if (this.episodes.get(k) !== ep) return;
    const key = alertRecordKey(this.opts.prefix, k);
    if (!ep.posted && ep.role === 'follower') {
      const rec = await readAlert(this.opts.redis, key);
      if (rec?.posted) ep.posted = rec.posted;
      else if (rec && !rec.summarized && this.staleClaim(rec)) {
        if (!(await takeOverAlert(this.opts.redis, key, this.opts.cooldownSeconds))) return;
        this.log.warn({ workload: k }, 'alert claimed but never posted by another replica; taking over');
        ep.role = 'owner';
      } else return; // the claiming replica has not posted yet; its message will carry the state
    }
    // A muted workload gets no new alert and no update until the mute ends; its recovery is still shown.
    if (!ep.recoveredAt && (await readMute(this.opts.redis, this.opts.prefix, k))) {
      if (!ep.posted) {
        // Given back, so the first change after the mute ends alerts again.
        this.finish(k, ep);
        await releaseAlert(this.opts.redis, key).catch(() => {});
      }
      return;
    }
    if (ep.recoveredAt) await endMuteOnRecovery(this.opts.redis, this.opts.prefix, k).catch(() => {});
    const alert = this.alertOf(k, ep);
    if (!ep.posted) {
      // Recovered before its first message went out: nothing worth waking a channel for.
      if (ep.recoveredAt) {
        this.finish(k, ep);
        return;
      }
      let posted: PostedAlert;
      try {
        posted = await this.opts.sink.post(alert);
      } catch (err) {
        // Refused for good (not a rate limit, which the queue retries): give the claim back so a later change retries.
        if (retryAfterSeconds(err) === undefined) {
          this.finish(k, ep);
          await releaseAlert(this.opts.redis, key).catch(() => {});
        }
        throw err;
      }
      ep.posted = posted;
      ep.shown = `${alert.failingPods.join(',')}|`;
      this.counters.posted++;
      const rec: AlertRecord = { since: ep.since, posted };
      await saveAlert(this.opts.redis, key, rec);
      this.log.info({ workload: k, channel: posted.channel, ts: posted.ts }, 'workload alert posted');
      return;
    }
    const shown = `${alert.failingPods.join(',')}|${alert.recoveredAt ?? ''}`;
    if (shown !== ep.shown) {
      await this.opts.sink.update(ep.posted, alert);
      ep.shown = shown;
      this.counters.updated++;
    }
    if (ep.recoveredAt) {
      const rec: AlertRecord = { since: ep.since, posted: ep.posted, recoveredAt: ep.recoveredAt };
      await saveAlert(this.opts.redis, key, rec);
      this.log.info({ workload: k }, 'workload recovered');
      this.finish(k, ep);
    }
  }

  private staleClaim(rec: AlertRecord): boolean {
    const at = Date.parse(rec.claimedAt ?? rec.since);
    return Number.isFinite(at) && this.opts.now().getTime() - at > this.opts.staleClaimMs;
  }

  private finish(k: string, ep: Episode): void {
    if (this.episodes.get(k) !== ep) return;
    this.episodes.delete(k);
    if (this.members.get(k)?.size === 0) this.members.delete(k);
  }

  private addToSummary(k: string, ep: Episode): void {
    const now = Date.now();
    let s = this.summaries.get(ep.channel);
    if (!s || now - s.windowStart > this.opts.burstWindowMs) {
      s = { windowStart: now, entries: new Map() };
      this.summaries.set(ep.channel, s);
    }
    s.entries.set(k, { workload: ep.workload, reason: ep.reason, failingCount: this.failingPods(k).names.length });
    const state = s;
    this.queue(ep.channel).push({
      key: `summary:${state.windowStart}`,
      urgent: !state.posted,
      run: async () => {
        // Counts as of now: the storm is still growing while the summary waits its turn.
        for (const [key, e] of state.entries) e.failingCount = this.failingPods(key).names.length || e.failingCount;
        const message = renderAlertSummary([...state.entries.values()]);
        if (!state.posted) {
          state.posted = await this.opts.sink.postSummary(ep.channel, message);
          this.counters.summaries++;
        } else {
          await this.opts.sink.updateSummary(state.posted, message);
          this.counters.updated++;
        }
      },
    });
  }
}
