/**
 * A model of everything around the alert reducer, for table and property tests: Redis (records, takeovers, mutes)
 * and Slack (messages) as plain maps, and a runner that routes events to workloads as AlertManager does, but lets
 * the test choose when each Redis or Slack answer comes back and when each queued sync runs. Like the real
 * ChannelQueue, it runs one sync per channel at a time, its effects one after another.
 */
import {
  type AlertEffect,
  type AlertEvent,
  type AlertRecord,
  type AlertRules,
  type CompactPod,
  INITIAL_SHARED,
  isPodInTrouble,
  type PostedAlert,
  reduceAlerts,
  type SharedState,
  type WorkloadAlert,
  type WorkloadState,
  workloadKey,
  workloadOf,
} from '../../src/alerts/index.js';
import { MANAGED_LABEL } from '../../src/debugpods/index.js';

/** The Redis and Slack one or more replicas share. */
export class SharedWorld {
  records = new Map<string, AlertRecord>();
  takeovers = new Set<string>();
  mutes = new Map<string, { untilRecovery: boolean }>();
  /** ts → message. */
  messages = new Map<string, { key: string; alert: WorkloadAlert }>();
  summaries: { channel: string; key: string }[] = [];
  private ts = 0;

  post(alert: WorkloadAlert): PostedAlert {
    const ts = `${1_700_000_000 + ++this.ts}.000100`;
    this.messages.set(ts, { key: workloadKey(alert.workload), alert });
    return { channel: alert.channel, ts };
  }

  /** Messages about one workload. */
  messagesOf(key: string): WorkloadAlert[] {
    return [...this.messages.values()].filter((m) => m.key === key).map((m) => m.alert);
  }
}

/** An effect waiting for its answer. */
export interface Pending {
  key: string;
  effect: AlertEffect;
  /** The channel of the sync it belongs to (claims belong to none). */
  channel?: string;
}

/** Something an effect broke, seen when it was emitted. */
export type Check = (model: AlertModel, key: string, effect: AlertEffect) => void;

export class AlertModel {
  workloads = new Map<string, WorkloadState>();
  index = new Map<string, string>();
  shared: SharedState = INITIAL_SHARED;
  /** Claims, and the Redis/Slack calls of syncs, waiting for their answer. */
  pending: Pending[] = [];
  /** Syncs queued, by workload key → channel. */
  queued = new Map<string, string>();
  /** Every effect, in order. */
  trace: Pending[] = [];
  counts = { posted: 0, suppressed: 0, updated: 0, dropped: 0 };

  constructor(
    readonly world: SharedWorld,
    readonly rules: AlertRules,
    public now: number,
    private readonly checks: Check[] = [],
  ) {}

  /** PodWatchHandler.upsert, routed as AlertManager routes it. */
  upsert(pod: CompactPod): void {
    const known = this.index.get(pod.uid);
    if (known === undefined && !isPodInTrouble(pod, this.rules)) return;
    const key = workloadKey(workloadOf(pod));
    if (known !== undefined && known !== key) this.dispatch(known, { type: 'pod-removed', uid: pod.uid }, pod.uid);
    this.dispatch(key, { type: 'pod-upserted', pod }, pod.uid);
  }

  remove(uid: string): void {
    const key = this.index.get(uid);
    if (key !== undefined) this.dispatch(key, { type: 'pod-removed', uid }, uid);
  }

  dispatch(key: string, event: AlertEvent, uid?: string): void {
    const r = reduceAlerts(
      { workload: this.workloads.get(key), shared: this.shared },
      event,
      new Date(this.now),
      this.rules,
    );
    this.shared = r.state.shared;
    if (r.state.workload) this.workloads.set(key, r.state.workload);
    else this.workloads.delete(key);
    if (uid !== undefined) {
      if (r.state.workload?.pods.has(uid)) this.index.set(uid, key);
      else if (this.index.get(uid) === key) this.index.delete(uid);
    }
    for (const effect of r.effects) this.perform(key, effect);
  }

  private perform(key: string, effect: AlertEffect): void {
    this.trace.push({ key, effect });
    for (const check of this.checks) check(this, key, effect);
    const w = this.world;
    switch (effect.type) {
      case 'read-record':
      case 'take-over':
      case 'read-mute':
      case 'post':
      case 'update':
        this.pending.push({ key, effect, channel: this.workloads.get(key)?.episode?.channel ?? '' });
        return;
      case 'claim':
        this.pending.push({ key, effect });
        return;
      case 'sync':
        this.queued.set(key, effect.channel);
        return;
      case 'save-record':
        // SET … KEEPTTL XX: only an existing record is rewritten.
        if (w.records.has(key)) w.records.set(key, effect.record);
        return;
      case 'release-claim':
        w.records.delete(key);
        return;
      case 'end-mute-on-recovery':
        if (w.mutes.get(key)?.untilRecovery) w.mutes.delete(key);
        return;
      case 'summarize':
        w.summaries.push({ channel: effect.channel, key });
        return;
      case 'count':
        this.counts[effect.counter]++;
        return;
      case 'log':
        return;
    }
  }

  /** Channels with a sync under way (one of its Redis/Slack calls pending). */
  busyChannels(): Set<string> {
    const busy = new Set<string>();
    for (const p of this.pending) if (p.channel !== undefined) busy.add(p.channel);
    return busy;
  }

  /** Syncs that may start now (their channel is free). */
  runnableSyncs(): string[] {
    const busy = this.busyChannels();
    return [...this.queued].filter(([, channel]) => !busy.has(channel)).map(([key]) => key);
  }

  runSync(key: string): void {
    this.queued.delete(key);
    this.dispatch(key, { type: 'sync-due' });
  }

  /** Answers pending effect `i`; `fail` makes a claim a Redis error and a post a refusal. */
  answer(i: number, fail = false): void {
    const [p] = this.pending.splice(i, 1);
    if (p) this.dispatch(p.key, this.answerTo(p.key, p.effect, fail));
  }

  /** What Redis or Slack answers to an effect. */
  private answerTo(key: string, effect: AlertEffect, fail: boolean): AlertEvent {
    const w = this.world;
    switch (effect.type) {
      case 'claim': {
        if (fail)
          return {
            type: 'claim-answered',
            episode: effect.episode,
            answer: { failed: new Error('redis down') },
          };
        const existing = w.records.get(key);
        if (!existing) w.records.set(key, effect.record);
        return {
          type: 'claim-answered',
          episode: effect.episode,
          answer: existing ? { claimed: false, record: existing } : { claimed: true },
        };
      }
      case 'read-record':
        return { type: 'record-read', episode: effect.episode, record: w.records.get(key) };
      case 'take-over': {
        const won = !w.takeovers.has(key);
        w.takeovers.add(key);
        return { type: 'takeover-answered', episode: effect.episode, won };
      }
      case 'read-mute':
        return { type: 'mute-read', episode: effect.episode, muted: w.mutes.has(key) };
      case 'post':
        if (fail)
          return {
            type: 'post-failed',
            episode: effect.episode,
            error: new Error('channel_not_found'),
          };
        return {
          type: 'post-done',
          episode: effect.episode,
          posted: w.post(effect.alert),
          shown: effect.shown,
          version: effect.version,
        };
      case 'update': {
        const m = w.messages.get(effect.posted.ts);
        if (m) m.alert = effect.alert;
        return {
          type: 'update-done',
          episode: effect.episode,
          shown: effect.shown,
          version: effect.version,
        };
      }
      default:
        throw new Error(`not an effect that waits: ${effect.type}`);
    }
  }

  /** Answers everything, successfully, and runs every sync, until nothing is left to do. */
  drain(): void {
    for (let guard = 0; guard < 10_000; guard++) {
      if (this.pending.length) this.answer(0);
      else {
        const [key] = this.runnableSyncs();
        if (key === undefined) return;
        this.runSync(key);
      }
    }
    throw new Error('the model did not settle');
  }
}

/** Container states a test pod can be in. */
export type PodShape = 'ready' | 'crash' | 'between' | 'starting';

const RUN = { exitCode: 1, startedAt: '2026-12-07T08:00:00.000Z', finishedAt: '2026-12-07T08:00:05.000Z' };

/** A Deployment's pod (`<deployment>-5f7c9d8b6-p<i>`), or with `managed` one of our debug pods. */
export function testPod(
  deployment: string,
  i: number,
  shape: PodShape,
  opts: { namespace?: string; managed?: boolean; bare?: boolean } = {},
): CompactPod {
  const hash = '5f7c9d8b6';
  const name = opts.bare ? `${deployment}-${i}` : `${deployment}-${hash}-p${i}`;
  const base = {
    name: 'app',
    restartCount: shape === 'ready' || shape === 'starting' ? 0 : 5,
    ready: shape === 'ready',
  };
  const container =
    shape === 'crash'
      ? { ...base, waitingReason: 'CrashLoopBackOff', terminatedReason: 'Error', lastTerminated: RUN }
      : shape === 'between'
        ? { ...base, terminatedReason: 'Error', lastTerminated: RUN }
        : shape === 'starting'
          ? { ...base, waitingReason: 'ContainerCreating' }
          : base;
  return {
    namespace: opts.namespace ?? 'shop',
    name,
    uid: `uid-${opts.namespace ?? 'shop'}-${name}`,
    ...(opts.bare ? {} : { owner: { kind: 'ReplicaSet', name: `${deployment}-${hash}` } }),
    labels: {
      ...(opts.bare ? {} : { 'pod-template-hash': hash }),
      ...(opts.managed ? { [MANAGED_LABEL]: 'true' } : {}),
    },
    phase: 'Running',
    ready: shape === 'ready',
    deleting: false,
    containers: [container],
    startedAt: '2026-12-07T07:59:00.000Z',
  };
}

export const RULES: AlertRules = {
  reasons: ['CrashLoopBackOff'],
  restartThreshold: 3,
  maxWorkloadsPerBurst: 25,
  burstWindowMs: 60_000,
  staleClaimMs: 120_000,
  channel: 'C0INCIDENT',
  routes: [{ namespaces: ['platform-*'], channel: 'G0PLATFORM' }],
};
