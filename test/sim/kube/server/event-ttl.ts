import type { Clock } from '../clock.js';
import type { MemoryStore } from '../store.js';

/** How often expired events are swept. */
const SWEEP_MS = 60_000;

/**
 * Core/v1 events live `ttlSeconds` after their last write (kube-apiserver --event-ttl, 1 h by default, an etcd
 * lease renewed by every update), so an old crash's Pulled/Scheduled events disappear while a repeating BackOff
 * event, updated with each count, stays. Returns a stop function.
 */
export function startEventTtl(store: MemoryStore, clock: Clock, ttlSeconds: number): () => void {
  const expiry = new Map<string, { ns: string; name: string; at: number }>();
  const unsubscribe = store.subscribeRaw((e) => {
    if (e.resource !== 'events') return;
    const key = `${e.namespace}/${e.object.metadata.name}`;
    if (e.type === 'DELETED') expiry.delete(key);
    else
      expiry.set(key, { ns: e.namespace as string, name: e.object.metadata.name, at: clock.now() + ttlSeconds * 1000 });
  });
  let timer: unknown;
  let stopped = false;
  const sweep = (): void => {
    if (stopped) return;
    const now = clock.now();
    for (const [key, x] of expiry) {
      if (x.at > now) continue;
      expiry.delete(key);
      if (store.peek('events', x.ns, x.name)) store.remove('events', x.ns, x.name);
    }
    timer = clock.setTimeout(sweep, SWEEP_MS);
  };
  timer = clock.setTimeout(sweep, SWEEP_MS);
  return () => {
    stopped = true;
    unsubscribe();
    clock.clearTimeout(timer);
  };
}
