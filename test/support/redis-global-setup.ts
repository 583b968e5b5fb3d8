import type { TestProject } from 'vitest/node';
import { clearKubeRequests } from './record-kube-requests.js';
import { clearSlackMessages } from './record-slack-messages.js';
import { type RedisClusterHandle, type RedisHandle, startRedis, startRedisCluster } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** `host:port,…` of the run's Redis Cluster when DEBUGDEAD_TEST_REDIS=cluster; empty otherwise. */
    redisClusterNodes: string;
  }
}

let redis: RedisHandle | undefined;
let cluster: RedisClusterHandle | undefined;

/**
 * One private Redis for the whole run; every test isolates itself with its own key prefix (see redis.ts). With
 * DEBUGDEAD_TEST_REDIS=cluster it is a 3-master Redis Cluster instead (the CI step that runs the Redis-using tests on
 * one), and every test's connections and bots use it.
 */
export async function setup(project: TestProject): Promise<void> {
  // Recordings of a previous run would be checked as if this run had made them.
  clearKubeRequests();
  clearSlackMessages();
  if (process.env.DEBUGDEAD_TEST_REDIS === 'cluster') {
    cluster = await startRedisCluster();
    project.provide('redisUrl', `redis://${cluster.nodes[0]!.host}:${cluster.nodes[0]!.port}`);
    project.provide('redisClusterNodes', cluster.nodesEnv);
    return;
  }
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
  project.provide('redisClusterNodes', '');
}

export async function teardown(): Promise<void> {
  await redis?.stop();
  await cluster?.stop();
}
