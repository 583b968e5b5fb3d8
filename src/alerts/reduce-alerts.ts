import { admitToBurst } from './admit-to-burst.js';
import type { AlertEffect } from './alert-effects.js';
import type { AlertEvent, ClaimAnswer } from './alert-events.js';
import type { AlertRecord } from './alert-record.js';
import type { AlertRules, AlertState, Episode, SharedState, TroubledPod, WorkloadState } from './alert-state.js';
import { podTrouble } from './pod-trouble.js';
import { routeAlert } from './route-alert.js';
import { workloadAlertOf } from './workload-alert-of.js';
import { workloadKey, workloadOf } from './workload-of.js';

/** The reducer's answer: the state after the event, and what the runner must do. */
export interface AlertStep {
  state: AlertState;
  effects: AlertEffect[];
}

type Owned = Extract<Episode, { phase: 'owned' }>;

const NONE: AlertEffect[] = [];

/**
 * The alert state machine: one workload's state and an event in, the new state and the effects out. Pure: time comes
 * in as `now`, Redis and Slack answers come back as events, and the input is never mutated (a changed workload is a
 * new object; its pod map is copied only when a pod in trouble changes).
 *
 * One message per workload and cooldown: a new episode claims the workload in Redis; the winner posts (unless the
 * burst window is full: then a storm summary lists it), the others adopt the message or follow the claimer. The
 * message follows the failing pods and says when every pod is Ready again or gone; a muted workload gets no new
 * message and no update until the mute ends, but its recovery is shown (and ends an "until it recovers" mute).
 *
 * The runner owes it two things (AlertManager, ChannelQueue): one `sync-due` per channel at a time, and the effects of
 * a sync performed one after another, each answer fed back before the next; claims may answer in any order.
 */
export function reduceAlerts(state: AlertState, event: AlertEvent, now: Date, rules: AlertRules): AlertStep {
  const w = state.workload;
  switch (event.type) {
    case 'pod-upserted': {
      const prev = w?.pods.get(event.pod.uid);
      const next = podTrouble(event.pod, rules, now, prev);
      if (next === prev) return { state, effects: NONE };
      return changePod(state, w ?? newWorkload(event.pod), event.pod.uid, prev, next, now, rules);
    }
    case 'pod-removed': {
      const prev = w?.pods.get(event.uid);
      if (!w || !prev) return { state, effects: NONE };
      return changePod(state, w, event.uid, prev, undefined, now, rules);
    }
    default: {
      const ep = w?.episode;
      if (!w || !ep || ('episode' in event && event.episode !== ep.id)) return { state, effects: NONE };
      return reduceEpisode(state.shared, w, ep, event, now, rules);
    }
  }
}

function newWorkload(pod: Parameters<typeof workloadOf>[0]): WorkloadState {
  const workload = workloadOf(pod);
  return { key: workloadKey(workload), workload, pods: new Map(), failing: 0, version: 0 };
}

function changePod(
  state: AlertState,
  w: WorkloadState,
  uid: string,
  prev: TroubledPod | undefined,
  next: TroubledPod | undefined,
  now: Date,
  rules: AlertRules,
): AlertStep {
  const pods = new Map(w.pods);
  if (next) pods.set(uid, next);
  else pods.delete(uid);
  const wasFailing = prev?.failing !== undefined;
  const isFailing = next?.failing !== undefined;
  const changed = wasFailing !== isFailing;
  const updated: WorkloadState = {
    ...w,
    pods,
    failing: w.failing + (isFailing ? 1 : 0) - (wasFailing ? 1 : 0),
    version: changed ? w.version + 1 : w.version,
  };
  return evaluate(state.shared, updated, changed, now, rules);
}

/** After a pod change: open an episode, keep the message current, or mark the recovery. */
function evaluate(
  shared: SharedState,
  w: WorkloadState,
  failingChanged: boolean,
  now: Date,
  rules: AlertRules,
): AlertStep {
  const ep = w.episode;
  if (w.failing > 0) {
    if (!ep) return open(shared, w, now, rules);
    if (ep.recoveredAt) {
      // Failing again before the recovery was shown: the same episode goes on.
      const { recoveredAt: _, ...reopened } = ep;
      return step(shared, { ...w, episode: reopened }, syncIfShown(w, reopened, false));
    }
    const behind = failingChanged || (ep.phase === 'owned' && ep.shownVersion !== w.version);
    return step(shared, w, behind ? syncIfShown(w, ep, false) : NONE);
  }
  if (!ep) return step(shared, w.pods.size === 0 ? undefined : w, NONE);
  if (w.pods.size > 0 || ep.recoveredAt) return step(shared, w, NONE);
  // Every pod is Ready again or gone.
  if (ep.phase === 'summarized') return step(shared, withoutEpisode(w), NONE);
  const recovered = { ...ep, recoveredAt: now.toISOString() };
  return step(shared, { ...w, episode: recovered }, syncIfShown(w, recovered, false));
}

/** A sync of the message, for the phases that have (or may adopt) one. */
function syncIfShown(w: WorkloadState, ep: Episode, urgent: boolean): AlertEffect[] {
  return ep.phase === 'owned' || ep.phase === 'following'
    ? [{ type: 'sync', key: w.key, channel: ep.channel, urgent }]
    : NONE;
}

/** The first failing pod by name (the one to diagnose), its reason, and the earliest failing start. */
function firstFailing(w: WorkloadState): { pod: string; reason: string; since: number | undefined } {
  let pod: TroubledPod | undefined;
  let since: number | undefined;
  for (const p of w.pods.values()) {
    if (!p.failing) continue;
    if (!pod || p.name < pod.name) pod = p;
    if (p.since !== undefined && (since === undefined || p.since < since)) since = p.since;
  }
  return { pod: pod?.name ?? '', reason: pod?.failing ?? '', since };
}

/** The pods' own record of when they began failing, not when the bot first saw them (never in the future). */
const sinceOf = (since: number | undefined, now: Date): string =>
  new Date(since !== undefined && since < now.getTime() ? since : now.getTime()).toISOString();

function open(shared: SharedState, w: WorkloadState, now: Date, rules: AlertRules): AlertStep {
  const channel = routeAlert(w.workload.namespace, rules);
  if (!channel) return step(shared, w, NONE);
  const first = firstFailing(w);
  const id = shared.nextEpisode;
  const episode: Episode = {
    phase: 'claiming',
    id,
    channel,
    since: sinceOf(first.since, now),
    pod: first.pod,
    reason: first.reason,
  };
  return step({ ...shared, nextEpisode: id + 1 }, { ...w, episode }, [
    { type: 'claim', key: w.key, episode: id, record: { since: episode.since, claimedAt: now.toISOString() } },
  ]);
}

function reduceEpisode(
  shared: SharedState,
  w: WorkloadState,
  ep: Episode,
  event: Exclude<AlertEvent, { type: 'pod-upserted' | 'pod-removed' }>,
  now: Date,
  rules: AlertRules,
): AlertStep {
  const log = (level: 'info' | 'warn' | 'debug', msg: string, fields: Record<string, unknown> = {}): AlertEffect => ({
    type: 'log',
    level,
    msg,
    fields: { workload: w.key, ...fields },
  });
  switch (event.type) {
    case 'claim-answered':
      return ep.phase === 'claiming' ? claimAnswered(shared, w, ep, event.answer, now, rules, log) : same(shared, w);
    case 'sync-due':
      if (ep.phase === 'following') return step(shared, w, [{ type: 'read-record', key: w.key, episode: ep.id }]);
      return ep.phase === 'owned' ? proceed(shared, w, ep, log) : same(shared, w);
    case 'record-read': {
      if (ep.phase !== 'following') return same(shared, w);
      const rec = event.record;
      if (rec?.posted) return proceed(shared, w, { ...ep, phase: 'owned', posted: rec.posted }, log);
      if (rec && !rec.summarized && isStale(rec, now, rules.staleClaimMs))
        return step(shared, w, [{ type: 'take-over', key: w.key, episode: ep.id }]);
      // The claiming replica has not posted yet: its message will carry the state.
      return same(shared, w);
    }
    case 'takeover-answered':
      if (ep.phase !== 'following' || !event.won) return same(shared, w);
      return proceed(shared, w, { ...ep, phase: 'owned' }, log, [
        log('warn', 'alert claimed but never posted by another replica; taking over'),
      ]);
    case 'mute-read':
      if (ep.phase !== 'owned') return same(shared, w);
      if (event.muted && !ep.recoveredAt) {
        // A muted workload gets no new alert and no update. Not posted yet: the claim is given back, so the first
        // change after the mute ends alerts again.
        if (ep.posted) return same(shared, w);
        return step(shared, withoutEpisode(w), [
          { type: 'release-claim', key: w.key },
          log('debug', 'workload muted; alert not posted'),
        ]);
      }
      return deliver(shared, w, ep, log);
    case 'post-done':
      if (ep.phase !== 'owned') return same(shared, w);
      return step(
        shared,
        { ...w, episode: { ...ep, posted: event.posted, shown: event.shown, shownVersion: event.version } },
        [
          { type: 'count', counter: 'posted' },
          { type: 'save-record', key: w.key, record: { since: ep.since, posted: event.posted } },
          log('info', 'workload alert posted', { channel: event.posted.channel, ts: event.posted.ts }),
        ],
      );
    case 'post-failed':
      // Refused (for good, or still rate limited past the Slack client's patience): the claim is given back, so a
      // later change alerts again.
      return step(shared, withoutEpisode(w), [
        { type: 'count', counter: 'dropped' },
        { type: 'release-claim', key: w.key },
        log('warn', 'alert message failed', { err: event.error, channel: ep.channel }),
      ]);
    case 'update-done': {
      if (ep.phase !== 'owned') return same(shared, w);
      const shownEp: Owned = { ...ep, shown: event.shown, shownVersion: event.version };
      const counted: AlertEffect = { type: 'count', counter: 'updated' };
      if (ep.recoveredAt && event.shown.endsWith(`|${ep.recoveredAt}`))
        return finishRecovered(shared, w, shownEp, log, [counted]);
      return step(shared, { ...w, episode: shownEp }, [counted]);
    }
    case 'update-failed':
      return step(shared, w, [
        { type: 'count', counter: 'dropped' },
        log('warn', 'alert message failed', { err: event.error, channel: ep.channel }),
      ]);
  }
}

type Log = (level: 'info' | 'warn' | 'debug', msg: string, fields?: Record<string, unknown>) => AlertEffect;

function claimAnswered(
  shared: SharedState,
  w: WorkloadState,
  ep: Extract<Episode, { phase: 'claiming' }>,
  answer: ClaimAnswer,
  now: Date,
  rules: AlertRules,
  log: Log,
): AlertStep {
  if ('failed' in answer) {
    return step(shared, withoutEpisode(w), [
      log('warn', 'alert claim failed; will retry on the next pod change', { err: answer.failed }),
    ]);
  }
  if (answer.claimed) {
    const { burst, overflow } = admitToBurst(shared.burst, now.getTime(), rules);
    // Pods kept arriving while Redis answered: the message names the first of them all.
    const first = firstFailing(w);
    const base = {
      ...ep,
      since: sinceOf(Math.min(first.since ?? Number.POSITIVE_INFINITY, Date.parse(ep.since)), now),
      ...(first.pod ? { pod: first.pod, reason: first.reason } : {}),
    };
    const sharedNext = { ...shared, burst };
    if (overflow) {
      const summarized: Episode = { ...base, phase: 'summarized' };
      return step(sharedNext, settle({ ...w, episode: summarized }, now), [
        { type: 'count', counter: 'suppressed' },
        { type: 'save-record', key: w.key, record: { since: summarized.since, summarized: true } },
        {
          type: 'summarize',
          key: w.key,
          channel: ep.channel,
          windowStart: burst.start,
          entry: { workload: w.workload, reason: summarized.reason, failingCount: w.failing },
        },
      ]);
    }
    const owned: Episode = { ...base, phase: 'owned' };
    const settled = settle({ ...w, episode: owned }, now);
    return step(sharedNext, settled, [
      log('info', 'workload alert claimed', { channel: ep.channel, reason: owned.reason }),
      ...syncIfShown(w, owned, true),
    ]);
  }
  const rec = answer.record;
  const effects: AlertEffect[] = [{ type: 'count', counter: 'suppressed' }];
  if (rec?.recoveredAt) {
    // Failing again within the cooldown: the same message comes back to life with a new start time.
    const { recoveredAt: _, ...revived } = rec;
    effects.push({ type: 'save-record', key: w.key, record: { ...revived, since: ep.since } satisfies AlertRecord });
  }
  const since = rec && !rec.recoveredAt ? rec.since : ep.since;
  const next: Episode = rec?.summarized
    ? { ...ep, since, phase: 'summarized' }
    : rec?.posted
      ? { ...ep, since, phase: 'owned', posted: rec.posted }
      : { ...ep, since, phase: 'following' };
  effects.push(log('debug', 'workload already alerted in this cooldown', { phase: next.phase }));
  const settled = settle({ ...w, episode: next }, now);
  return step(shared, settled, [...effects, ...(settled ? syncIfShown(w, next, !rec?.posted) : [])]);
}

/** Redis answered after every pod recovered: the episode is marked recovered (or, summarized, simply ends). */
function settle(w: WorkloadState, now: Date): WorkloadState | undefined {
  const ep = w.episode;
  if (!ep || w.failing > 0 || w.pods.size > 0 || ep.recoveredAt) return w;
  if (ep.phase === 'summarized') return withoutEpisode(w);
  return { ...w, episode: { ...ep, recoveredAt: now.toISOString() } };
}

/** Owned: check the mute (unless recovered: a recovery is always shown), then deliver. */
function proceed(shared: SharedState, w: WorkloadState, ep: Owned, log: Log, before: AlertEffect[] = []): AlertStep {
  const current = { ...w, episode: ep };
  if (ep.recoveredAt) {
    const delivered = deliver(shared, current, ep, log);
    return { ...delivered, effects: [...before, ...delivered.effects] };
  }
  return step(shared, current, [...before, { type: 'read-mute', key: w.key, episode: ep.id }]);
}

/** Post the message, bring it up to date, or close the episode once its recovery is shown. */
function deliver(shared: SharedState, w: WorkloadState, ep: Owned, log: Log): AlertStep {
  const before: AlertEffect[] = ep.recoveredAt ? [{ type: 'end-mute-on-recovery', key: w.key }] : [];
  const { alert, shown } = workloadAlertOf(w, ep);
  if (!ep.posted) {
    // Recovered before its first message went out: nothing worth waking a channel for, and nothing to dedup against.
    if (ep.recoveredAt) return step(shared, withoutEpisode(w), [...before, { type: 'release-claim', key: w.key }]);
    return step(shared, w, [...before, { type: 'post', key: w.key, episode: ep.id, alert, shown, version: w.version }]);
  }
  if (shown !== ep.shown) {
    return step(shared, w, [
      ...before,
      { type: 'update', key: w.key, episode: ep.id, posted: ep.posted, alert, shown, version: w.version },
    ]);
  }
  if (ep.recoveredAt) return finishRecovered(shared, w, ep, log, before);
  return step(shared, { ...w, episode: { ...ep, shownVersion: w.version } }, before);
}

function finishRecovered(shared: SharedState, w: WorkloadState, ep: Owned, log: Log, before: AlertEffect[]): AlertStep {
  const record: AlertRecord = { since: ep.since, ...(ep.posted ? { posted: ep.posted } : {}) };
  if (ep.recoveredAt) record.recoveredAt = ep.recoveredAt;
  return step(shared, withoutEpisode(w), [
    ...before,
    { type: 'save-record', key: w.key, record },
    log('info', 'workload recovered'),
  ]);
}

function isStale(rec: AlertRecord, now: Date, staleClaimMs: number): boolean {
  const at = Date.parse(rec.claimedAt ?? rec.since);
  return Number.isFinite(at) && now.getTime() - at > staleClaimMs;
}

/** The workload without its episode, or nothing at all once it has no pod in trouble either. */
function withoutEpisode(w: WorkloadState): WorkloadState | undefined {
  if (w.pods.size === 0) return undefined;
  const { episode: _, ...rest } = w;
  return rest;
}

const step = (shared: SharedState, workload: WorkloadState | undefined, effects: AlertEffect[]): AlertStep => ({
  state: { workload, shared },
  effects,
});

const same = (shared: SharedState, w: WorkloadState): AlertStep => step(shared, w, NONE);
