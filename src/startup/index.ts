export { describeRedisProblem, redisLocation } from './describe-redis-problem.js';
export {
  type ChannelRole,
  configuredChannels,
  describeAuthProblem,
  describeChannelProblem,
} from './describe-slack-problem.js';
export { type AccessNeed, describeMissingAccess, requiredAccess } from './required-access.js';
export { runSelfChecks, type SelfCheckPorts, type SelfCheckReport, StartupCheckError } from './run-self-checks.js';
