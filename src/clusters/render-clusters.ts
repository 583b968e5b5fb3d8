import { type AgentHealth, describeAge } from './agent-health.js';

export interface ClusterRow {
  name: string;
  health: AgentHealth;
  /** Jobs waiting in the cluster's queues (the agent's backlog). */
  waiting: number;
  /** The kubeconfig context in exec lines. */
  context: string;
}

/** `/debugdead clusters`: one line per cluster, its agent's version, how long since it beat, and its backlog. Pure. */
export function renderClusters(rows: ClusterRow[], gatewayVersion: string): string {
  if (rows.length === 0) return ':information_source: One cluster, one process: no `clusters:` are configured.';
  const lines = rows.map((r) => {
    const beat = r.health.heartbeat;
    if (!beat) return `• :red_circle: *@${r.name}*: no agent has reported`;
    const age = describeAge(r.health.ageMs ?? 0);
    const dot = r.health.alive ? ':large_green_circle:' : ':red_circle:';
    const skew = beat.version === gatewayVersion ? '' : ` (gateway ${gatewayVersion})`;
    return `• ${dot} *@${r.name}*: agent ${beat.version}${skew}, last seen ${age} ago, ${r.waiting} job${r.waiting === 1 ? '' : 's'} waiting, context \`${r.context}\``;
  });
  return [`*Clusters* (${rows.length})`, ...lines].join('\n');
}
