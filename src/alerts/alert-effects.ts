import type { AlertRecord } from './alert-record.js';
import type { PostedAlert, SummaryEntry, WorkloadAlert } from './types.js';

/** Counters the reducer moves (AlertStats). */
export type AlertCounter = 'posted' | 'suppressed' | 'updated' | 'dropped';

/**
 * What the reducer asks the runner to do. Those marked "→" are answered with the named event; the runner performs
 * the others and moves on.
 */
export type AlertEffect =
  /** SET NX the workload's record for one cooldown → `claim-answered`. */
  | { readonly type: 'claim'; readonly key: string; readonly episode: number; readonly record: AlertRecord }
  /** Queue a sync of the workload's message on its channel (coalesced per workload; urgent ones go first). */
  | { readonly type: 'sync'; readonly key: string; readonly channel: string; readonly urgent: boolean }
  /** Read the record another replica claimed → `record-read`. */
  | { readonly type: 'read-record'; readonly key: string; readonly episode: number }
  /** Take over a stale claim (a second NX key) → `takeover-answered`. */
  | { readonly type: 'take-over'; readonly key: string; readonly episode: number }
  /** Read the workload's mute → `mute-read`. */
  | { readonly type: 'read-mute'; readonly key: string; readonly episode: number }
  /** Post the alert → `post-done` or `post-failed`. */
  | {
      readonly type: 'post';
      readonly key: string;
      readonly episode: number;
      readonly alert: WorkloadAlert;
      readonly shown: string;
      readonly version: number;
    }
  /** Rewrite the posted alert → `update-done` or `update-failed`. */
  | {
      readonly type: 'update';
      readonly key: string;
      readonly episode: number;
      readonly posted: PostedAlert;
      readonly alert: WorkloadAlert;
      readonly shown: string;
      readonly version: number;
    }
  /** Rewrite the record, keeping its expiry (saveAlert). */
  | { readonly type: 'save-record'; readonly key: string; readonly record: AlertRecord }
  /** Give the claim back (releaseAlert): the next change may alert again. */
  | { readonly type: 'release-claim'; readonly key: string }
  /** The workload recovered: its "until it recovers" mute ends (endMuteOnRecovery). */
  | { readonly type: 'end-mute-on-recovery'; readonly key: string }
  /** List the workload in its channel's storm summary of the burst window that began at `windowStart`. */
  | {
      readonly type: 'summarize';
      readonly key: string;
      readonly channel: string;
      readonly windowStart: number;
      readonly entry: SummaryEntry;
    }
  | { readonly type: 'count'; readonly counter: AlertCounter }
  | {
      readonly type: 'log';
      readonly level: 'info' | 'warn' | 'debug';
      readonly msg: string;
      readonly fields: Readonly<Record<string, unknown>>;
    };
