import { clusterKeyPattern } from './cluster-keys.js';

/**
 * The Redis ACL user of one cluster's agent, as the arguments of `ACL SETUSER` (README "Many clusters"). It may touch
 * only `<prefix>:cluster.<name>.*`: its own queues (tasks in, debug pods, reports out), its heartbeat and its state
 * (limits, alert claims, its audit chain). So a compromised agent can neither read another cluster's tasks, grants
 * or reports nor queue anything for another agent, nor read the gateway's diagnosis records and audit trail.
 * Redis applies key permissions inside Lua scripts too, so BullMQ's scripts stay within the pattern.
 * Commands: reads and writes, BullMQ's scripts (EVALSHA, with EVAL and SCRIPT LOAD for a cold script cache), INFO
 * (BullMQ reads the server version), CLIENT SETNAME/GETNAME (BullMQ names its connections); nothing @dangerous or
 * @admin beyond those (no KEYS, FLUSHALL, CONFIG, DEBUG, ACL) and no pub/sub channels.
 */
export function agentAclRules(prefix: string, cluster: string, password: string): string[] {
  return [
    agentAclUser(cluster),
    'reset',
    'on',
    `>${password}`,
    `~${clusterKeyPattern(prefix, cluster)}`,
    'resetchannels',
    '-@all',
    '+@read',
    '+@write',
    '-@dangerous',
    '+evalsha',
    '+eval',
    '+script|load',
    '+script|exists',
    '+info',
    '+client|setname',
    '+client|getname',
    '+ping',
    '+multi',
    '+exec',
    '+discard',
    '+watch',
    '+unwatch',
  ];
}

/** The ACL user name of a cluster's agent (its REDIS_USERNAME). */
export function agentAclUser(cluster: string): string {
  return `debugdead-agent-${cluster}`;
}
