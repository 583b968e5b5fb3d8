import type { AlertRecord } from './alert-record.js';
import type { CompactPod, PostedAlert } from './types.js';

/** Redis's answer to a claim (claimAlert): ours, already someone's (with its record), or no answer. */
export type ClaimAnswer =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly record: AlertRecord | undefined }
  | { readonly failed: unknown };

/**
 * What happens to one workload, in the order it happens. Pod events come from the watch; the others answer an
 * effect (their `episode` says which episode asked, so a late answer about an older episode changes nothing).
 */
export type AlertEvent =
  /** A pod appeared or changed (PodWatchHandler.upsert); the reducer classifies it. */
  | { readonly type: 'pod-upserted'; readonly pod: CompactPod }
  /** A pod is gone (PodWatchHandler.remove), or now belongs to another workload. */
  | { readonly type: 'pod-removed'; readonly uid: string }
  | { readonly type: 'claim-answered'; readonly episode: number; readonly answer: ClaimAnswer }
  /** The channel queue's turn for this workload's message: bring it up to date. */
  | { readonly type: 'sync-due' }
  /** The record another replica claimed (readAlert), for a follower. */
  | { readonly type: 'record-read'; readonly episode: number; readonly record: AlertRecord | undefined }
  | { readonly type: 'takeover-answered'; readonly episode: number; readonly won: boolean }
  | { readonly type: 'mute-read'; readonly episode: number; readonly muted: boolean }
  | {
      readonly type: 'post-done';
      readonly episode: number;
      readonly posted: PostedAlert;
      /** Echoed from the post effect: what the message shows. */
      readonly shown: string;
      readonly version: number;
    }
  | { readonly type: 'post-failed'; readonly episode: number; readonly error: unknown }
  | { readonly type: 'update-done'; readonly episode: number; readonly shown: string; readonly version: number }
  | { readonly type: 'update-failed'; readonly episode: number; readonly error: unknown };
