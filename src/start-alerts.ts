import type { Redis } from 'ioredis';
import type { ConversationDeps } from './conversation/deps.js';

/** Placeholder until src/alerts lands: the alert watcher is wired here. */
export async function startAlerts(deps: ConversationDeps, _redis: Redis): Promise<{ stop(): Promise<void> }> {
  deps.log.warn('alerts are enabled in the configuration but this build has no watcher yet');
  return { stop: async () => {} };
}
