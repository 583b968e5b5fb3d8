import type { Pod } from '../kube/types.js';

/** What the builders return: the pod to create, and what a person should know about it. */
export interface BuiltPod {
  /** A plain, JSON-serialisable `v1/Pod` ready for `create`. */
  pod: Pod;
  /** Sentences about what changed from the source and what may bite ("PVC `data` swapped for emptyDir"). */
  notes: string[];
  /** The exact line to paste to get a shell. */
  execCommand: string;
  /** Clones only: the target's original command line, shell-quoted, or "(image entrypoint)". */
  originalCommand?: string;
}

/** Everything random or time-dependent, chosen by the caller so the builders stay deterministic. */
export interface BuildIds {
  /** Name suffix: 1–16 lowercase letters or digits (see `nameSuffix`). */
  suffix: string;
  /** The current time; `expires-at` is `now + ttlSeconds`. */
  now: Date;
}
