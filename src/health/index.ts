export { type CheckResult, judgeReadiness, type Readiness } from './judge-readiness.js';
export { redisReadiness } from './redis-readiness.js';
export { type HealthServer, type HealthServerOptions, startHealthServer } from './start-health-server.js';
