import { CLUSTER_NAME } from './cluster-keys.js';

/** Which part this process plays (README "Many clusters"). */
export type Role = { role: 'all' } | { role: 'gateway' } | { role: 'agent'; cluster: string };

/**
 * DEBUGDEAD_ROLE (`all`, the default: one process, one cluster; `gateway`; `agent`) and, for an agent,
 * DEBUGDEAD_CLUSTER. The gateway and its agents share one configuration file; the environment says who is who. Pure.
 */
export function readRole(env: Record<string, string | undefined>): Role | { problem: string } {
  const role = env.DEBUGDEAD_ROLE || 'all';
  if (role === 'all' || role === 'gateway') return { role };
  if (role !== 'agent')
    return { problem: `DEBUGDEAD_ROLE: expected "all", "gateway" or "agent", got "${role.slice(0, 40)}"` };
  const cluster = env.DEBUGDEAD_CLUSTER ?? '';
  if (!CLUSTER_NAME.test(cluster))
    return { problem: 'DEBUGDEAD_CLUSTER: required with DEBUGDEAD_ROLE=agent: the name of this cluster in clusters[]' };
  return { role: 'agent', cluster };
}
