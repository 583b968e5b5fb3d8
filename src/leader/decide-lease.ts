/** What the elector knows of the Lease: its holder, and when this replica first saw its current version. */
export interface ObservedLease {
  holder: string | undefined;
  durationSeconds: number;
  resourceVersion: string;
  /**
   * Local time (ms) at which this replica first saw this resourceVersion. Expiry is judged from it, not from the
   * Lease's renewTime: replicas' clocks may disagree, their sense of elapsed time does not (client-go's
   * leaderelection does the same).
   */
  observedAtMs: number;
}

export type LeaseStep =
  /** No Lease yet: create it, holding it. */
  | { do: 'create' }
  /** Ours: renew it. */
  | { do: 'renew' }
  /** Released, or not renewed for a whole lease duration: take it over. */
  | { do: 'take-over' }
  /** Another replica holds it. */
  | { do: 'wait'; holder: string };

/** The next step of `identity` given the Lease as observed (pure). */
export function decideLease(lease: ObservedLease | undefined, identity: string, nowMs: number): LeaseStep {
  if (!lease) return { do: 'create' };
  if (lease.holder === identity) return { do: 'renew' };
  if (!lease.holder) return { do: 'take-over' };
  if (nowMs - lease.observedAtMs >= lease.durationSeconds * 1000) return { do: 'take-over' };
  return { do: 'wait', holder: lease.holder };
}

/**
 * A Lease's MicroTime as the API server parses it (RFC 3339 with exactly six fractional digits; Go's
 * metav1.MicroTime): `Date.toISOString()`'s three digits are refused.
 */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
