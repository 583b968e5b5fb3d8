export { buildConfig, type Environment, missingSlackSecrets } from './build-config.js';
export { ConfigError, loadConfig } from './load-config.js';
export { formatDuration, parseDuration } from './parse-duration.js';
export { parseSize } from './parse-size.js';
export { applyReload, LIVE_KEYS, planReload, type ReloadPlan } from './plan-reload.js';
export {
  channelIdOf,
  describeUnresolvedChannel,
  namesChannels,
  resolveChannelNames,
  type UnresolvedChannel,
} from './resolve-channel-names.js';
export type {
  AlertRoute,
  ApproverSet,
  ChannelBinding,
  ClusterSpec,
  Config,
  Limits,
  RedisNode,
  Runbook,
} from './types.js';
