import type { AlertRoute } from '../config/types.js';
import type { PostedAlert, WorkloadRef } from './types.js';

/** A pod in trouble (failing, or not Ready): the only pods alerting keeps. */
export interface TroubledPod {
  readonly name: string;
  /** The failing reason, while failing. Sticky: a crash-looping container briefly Running between back-offs keeps it. */
  readonly failing: string | undefined;
  /** When this pod began failing, from its own status (failingSinceOfPod), ms since the epoch. */
  readonly since: number | undefined;
}

/** What every phase of an episode knows: one alerting episode of a workload, from first failure to recovery. */
interface EpisodeBase {
  /** Unique per runner: answers (claims, posts) about an older episode are ignored. */
  readonly id: number;
  /** The channel routing chose. */
  readonly channel: string;
  /** ISO 8601: when the workload began failing. */
  readonly since: string;
  /** The pod to diagnose (the first failing one by name). */
  readonly pod: string;
  readonly reason: string;
  /** ISO 8601: every pod Ready again or gone; the message still has to say so. */
  readonly recoveredAt?: string;
}

/**
 * An episode, by phase:
 * - `claiming`: our SET NX is on its way to Redis;
 * - `owned`: ours to post and update (`posted` once the message exists, ours or adopted from an earlier run);
 * - `following`: another replica claimed it and has not posted yet; we read its record when there is news;
 * - `summarized`: listed in a storm summary, no message of its own.
 */
export type Episode =
  | (EpisodeBase & { readonly phase: 'claiming' })
  | (EpisodeBase & {
      readonly phase: 'owned';
      readonly posted?: PostedAlert;
      /** What the message says (failing pods and recovery), to skip a chat.update that would change nothing. */
      readonly shown?: string;
      /** The workload's `version` the message shows. */
      readonly shownVersion?: number;
    })
  | (EpisodeBase & { readonly phase: 'following' })
  | (EpisodeBase & { readonly phase: 'summarized' });

/** One workload in trouble or alerting. Dropped when it has neither pods in trouble nor an episode. */
export interface WorkloadState {
  readonly key: string;
  readonly workload: WorkloadRef;
  /** Its pods in trouble, by uid (healthy Ready pods are not kept: memory grows with trouble, not the cluster). */
  readonly pods: ReadonlyMap<string, TroubledPod>;
  /** How many of `pods` are failing. */
  readonly failing: number;
  /** Bumped whenever the set of failing pods changes: a message showing an older version is behind. */
  readonly version: number;
  readonly episode?: Episode;
}

/** New alerts in the current burst window (past maxWorkloadsPerBurst, a summary instead). */
export interface BurstWindow {
  /** ms since the epoch. */
  readonly start: number;
  readonly count: number;
}

/** What all workloads share: the burst window, and the next episode id. */
export interface SharedState {
  readonly burst: BurstWindow;
  readonly nextEpisode: number;
}

/**
 * The state one event reads and writes: the workload it is about, and what workloads share. Every event concerns
 * exactly one workload, so the runner keeps a map of these and hands the reducer one entry: no event copies the map.
 */
export interface AlertState {
  readonly workload: WorkloadState | undefined;
  readonly shared: SharedState;
}

export const INITIAL_SHARED: SharedState = { burst: { start: 0, count: 0 }, nextEpisode: 1 };

/** The configuration the reducer decides with (config alerts.*, plus timing). */
export interface AlertRules {
  /** config alerts.reasons. */
  reasons: readonly string[];
  /** config alerts.restartThreshold. */
  restartThreshold: number;
  /** config alerts.maxWorkloadsPerBurst. */
  maxWorkloadsPerBurst: number;
  /** Length of a burst window, ms. */
  burstWindowMs: number;
  /** A claim not followed by a post for this long is taken over by another replica, ms. */
  staleClaimMs: number;
  /** config alerts.channel. */
  channel?: string | undefined;
  /** config alerts.routes. */
  routes: readonly AlertRoute[];
}
