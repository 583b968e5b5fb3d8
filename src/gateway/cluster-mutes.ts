import { clearMute, saveMute } from '../alerts/index.js';
import type { MutePort } from '../conversation/deps.js';
import type { RedisClient } from '../redis/index.js';

/**
 * The mutes of one cluster's workloads, kept under the prefix its agent's alert manager reads them from
 * (`clusterKey(prefix, name, 'state')`, the agent's own state prefix): `<prefix>:cluster.<name>.state:mute:<workload>`.
 */
export function clusterMutes(redis: RedisClient, statePrefix: string, now: () => Date): MutePort {
  return {
    save: (key, choice, by) => saveMute(redis, statePrefix, key, choice, by, now()),
    clear: (key) => clearMute(redis, statePrefix, key),
  };
}
