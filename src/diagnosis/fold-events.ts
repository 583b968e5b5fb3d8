import type { KubeEvent } from '../kube/types.js';
import { toMillis } from './time.js';
import type { EventSummary } from './types.js';

/** When an event was last seen: series, lastTimestamp, eventTime, firstTimestamp, creation, whichever is set. */
export function eventLastSeen(e: KubeEvent): number | undefined {
  const candidates = [
    toMillis(e.series?.lastObservedTime),
    toMillis(e.lastTimestamp),
    toMillis(e.eventTime),
    toMillis(e.firstTimestamp),
    toMillis(e.metadata?.creationTimestamp),
  ].filter((t): t is number => t !== undefined);
  return candidates.length ? Math.max(...candidates) : undefined;
}

/** How many times an event happened: events.k8s.io series count, the legacy count, or once. */
export function eventCount(e: KubeEvent): number {
  const n = e.series?.count ?? e.count;
  return typeof n === 'number' && n > 0 ? n : 1;
}

/**
 * Folds repeated events (same type, reason and message) into one line with the counts summed and the newest time
 * kept, newest first, as a person scanning `kubectl describe` would want them.
 */
export function foldEvents(events: readonly KubeEvent[], now: Date): EventSummary[] {
  const folded = new Map<string, { summary: EventSummary; last: number | undefined }>();
  for (const e of events) {
    if (!e) continue;
    const type = e.type ?? 'Normal';
    const reason = e.reason ?? '';
    const message = (e.message ?? '').trim();
    const key = JSON.stringify([type, reason, message]);
    const last = eventLastSeen(e);
    const source = e.source?.component || e.reportingComponent || undefined;
    const seen = folded.get(key);
    if (seen) {
      seen.summary.count += eventCount(e);
      if (last !== undefined && (seen.last === undefined || last > seen.last)) seen.last = last;
      if (!seen.summary.source && source) seen.summary.source = source;
    } else {
      const summary: EventSummary = { type, reason, message, count: eventCount(e) };
      if (source) summary.source = source;
      folded.set(key, { summary, last });
    }
  }
  const list = [...folded.values()];
  list.sort((a, b) => (b.last ?? Number.NEGATIVE_INFINITY) - (a.last ?? Number.NEGATIVE_INFINITY));
  return list.map(({ summary, last }) =>
    last === undefined ? summary : { ...summary, ageSeconds: Math.max(0, Math.floor((now.getTime() - last) / 1000)) },
  );
}
