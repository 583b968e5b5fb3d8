import { deriveClusterKey, resolveClusterConfig } from '../clusters/index.js';
import type { ConversationDeps } from '../conversation/deps.js';

/**
 * The conversation as one cluster's: that cluster's policy (clusters[] over the global defaults), its grants signed
 * with its own key (an agent verifies with its key only), and its audit records naming it. The configuration is
 * resolved at each call, so a reload reaches it.
 */
export function clusterDeps(deps: ConversationDeps, cluster: string, gatewayKey: string): ConversationDeps {
  return {
    ...deps,
    config: resolveClusterConfig(deps.config, cluster),
    signingKey: deriveClusterKey(gatewayKey, cluster),
    audit: deps.audit.forCluster(cluster),
  };
}
