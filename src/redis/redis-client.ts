import type { Cluster, Redis } from 'ioredis';

/** A connection to standalone Redis, a master found through Sentinel, or a Redis Cluster: the same commands. */
export type RedisClient = Redis | Cluster;
