import type { TestProject } from 'vitest/node';
import { clearKubeRequests } from './record-kube-requests.js';
import { clearSlackMessages } from './record-slack-messages.js';
import { type RedisHandle, startRedis } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let redis: RedisHandle | undefined;

/** One private Redis for the whole run; every test isolates itself with its own key prefix (see redis.ts). */
export async function setup(project: TestProject): Promise<void> {
  // Recordings of a previous run would be checked as if this run had made them.
  clearKubeRequests();
  clearSlackMessages();
  redis = await startRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}
