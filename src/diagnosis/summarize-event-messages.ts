import type { KubeEvent } from '../kube/types.js';
import { eventCount } from './fold-events.js';

/**
 * The distinct messages of some events as evidence lines, repeats counted (`Liveness probe failed: ... (×12)`),
 * the last `max` kept.
 */
export function summarizeEventMessages(events: readonly KubeEvent[], max = 3): string[] {
  const counts = new Map<string, number>();
  for (const e of events) {
    const m = (e?.message ?? '').trim();
    if (m) counts.set(m, (counts.get(m) ?? 0) + eventCount(e));
  }
  return [...counts].slice(-max).map(([m, n]) => (n > 1 ? `${m} (×${n})` : m));
}
