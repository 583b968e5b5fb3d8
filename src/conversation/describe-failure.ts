import { isKubeError } from '../kube/index.js';
import { isChatError } from './chat-port.js';

/**
 * One sentence for a person when a flow fails unexpectedly, by what failed: the answer must say whether to retry,
 * and never show a stack or a library's raw message. Pure.
 */
export function describeFailure(err: unknown): string {
  if (isRedisFailure(err)) {
    return ":x: The bot cannot reach its Redis right now, so nothing was done. Try again in a minute; if it persists, tell the bot's operators (REDIS_URL).";
  }
  if (isKubeError(err)) {
    return `:x: Kubernetes answered ${err.kind}${err.status ? ` (${err.status})` : ''}: ${err.message.slice(0, 300)}`;
  }
  // Many clusters: the cluster's agent is gone; the sentence says since when.
  if (err instanceof Error && err.name === 'AgentGone') return (err as Error & { sentence: string }).sentence;
  if (isChatError(err)) return `:x: Slack refused a call (${err.code}); nothing more was done.`;
  return ':x: Something unexpected went wrong and nothing was done; the bot logged the details. Try again, or tell its operators.';
}

/** ioredis and BullMQ failures when Redis is down or unreachable. */
export function isRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Reached the max retries per request/.test(
      err.message,
    ) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    (err.name === 'AuditUnavailable' && (err as { store?: string }).store === 'redis')
  );
}
