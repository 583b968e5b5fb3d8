export { createRedis, type RedisTuning } from './create-redis.js';
export { keySlot } from './key-slot.js';
export { pingRedis } from './ping-redis.js';
export type { RedisClient } from './redis-client.js';
