import type { KubeEvent } from '../kube/types.js';
import { eventCount, eventLastSeen } from './fold-events.js';

/** One message of a reason, its repeats summed. */
export interface MergedMessage {
  message: string;
  count: number;
  /** Milliseconds since the epoch it was last seen, when known. */
  lastSeen?: number;
}

/** Every event of one reason, merged: distinct messages newest first, counts summed. */
export interface MergedReason {
  reason: string;
  type: string;
  count: number;
  lastSeen?: number;
  messages: MergedMessage[];
}

/**
 * The event correlator prefixes an aggregated event with "(combined from similar events): " (client-go
 * tools/record events_cache.go); the message behind it is the one that counts.
 */
export function eventMessage(e: KubeEvent): string {
  return (e?.message ?? '').replace(/^\(combined from similar events\): /, '').trim();
}

/**
 * Orders events so that nothing downstream depends on the order the API server listed them in: oldest first by
 * last-seen time, ties broken by type, reason, message and name. "The last one" then means the newest.
 */
export function canonicalEventOrder(events: readonly KubeEvent[]): KubeEvent[] {
  const key = (e: KubeEvent) =>
    [e.type ?? '', e.reason ?? '', eventMessage(e), e.involvedObject?.fieldPath ?? '', e.metadata?.name ?? ''].join(
      '\u0000',
    );
  return events
    .filter(Boolean)
    .map((e) => ({ e, t: eventLastSeen(e) ?? Number.NEGATIVE_INFINITY, k: key(e) }))
    .sort((a, b) => a.t - b.t || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ e }) => e);
}

/** Merges events per reason; each reason's distinct messages come newest first (then alphabetical). */
export function mergeEventsByReason(events: readonly KubeEvent[]): Map<string, MergedReason> {
  const out = new Map<string, MergedReason>();
  for (const e of events) {
    if (!e?.reason) continue;
    const message = eventMessage(e);
    const last = eventLastSeen(e);
    const n = eventCount(e);
    let r = out.get(e.reason);
    if (!r) {
      r = { reason: e.reason, type: e.type ?? 'Normal', count: 0, messages: [] };
      out.set(e.reason, r);
    }
    r.count += n;
    if (last !== undefined && (r.lastSeen === undefined || last > r.lastSeen)) r.lastSeen = last;
    if (e.type === 'Warning') r.type = 'Warning';
    const m = r.messages.find((x) => x.message === message);
    if (m) {
      m.count += n;
      if (last !== undefined && (m.lastSeen === undefined || last > m.lastSeen)) m.lastSeen = last;
    } else {
      r.messages.push({ message, count: n, ...(last !== undefined ? { lastSeen: last } : {}) });
    }
  }
  for (const r of out.values()) {
    r.messages.sort(
      (a, b) =>
        (b.lastSeen ?? Number.NEGATIVE_INFINITY) - (a.lastSeen ?? Number.NEGATIVE_INFINITY) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
  }
  return out;
}
