import { createHmac } from 'node:crypto';

/**
 * The signing key of one cluster, derived from the gateway's DEBUGDEAD_SIGNING_KEY: HMAC-SHA256 is one-way, so an
 * agent holding its own key learns nothing of the gateway's key or of another cluster's, and what it signs no other
 * agent accepts. The gateway needs one secret; each agent gets its derived key (`debugdead cluster-key <name>`).
 * Hex, 64 characters: it passes DEBUGDEAD_SIGNING_KEY's length check in the agent's environment.
 */
export function deriveClusterKey(gatewayKey: string, cluster: string): string {
  return createHmac('sha256', gatewayKey).update(`debugdead cluster key v1\n${cluster}`).digest('hex');
}
