import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/redis/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { startRedis } from '../support/redis-server.js';

describe('the private Redis for tests', () => {
  const connections: RedisClient[] = [];
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('answers PING', async () => {
    const redis = newRedis();
    connections.push(redis);
    expect(await redis.ping()).toBe('PONG');
  });

  it('a BullMQ job added to a queue is completed by a worker, with its return value', async () => {
    const prefix = uniquePrefix('bullmq');
    // Clients, not options: a Redis Cluster can only be given so. QueueEvents blocks on its own (XREAD BLOCK).
    // The worker has a connection of its own, as the bot's workers do. QueueEvents reads the stream from its start
    // (lastEventId 0-0), so a job that finishes before its first XREAD is still seen.
    const connection = newRedis();
    const workerConnection = newRedis();
    const eventsConnection = newRedis();
    const queue = new Queue('roundtrip', { connection, prefix });
    const events = new QueueEvents('roundtrip', { connection: eventsConnection, prefix, lastEventId: '0-0' });
    const worker = new Worker('roundtrip', async (job) => ({ doubled: job.data.n * 2 }), {
      connection: workerConnection,
      prefix,
    });
    try {
      await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);
      const job = await queue.add('double', { n: 21 });
      const result = await job.waitUntilFinished(events, 30_000);
      expect(result).toEqual({ doubled: 42 });
      expect(await queue.getJobCounts('completed')).toEqual({ completed: 1 });
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
      connection.disconnect();
      workerConnection.disconnect();
      eventsConnection.disconnect();
    }
  });

  it('keys under one prefix are invisible under another', async () => {
    const redis = newRedis();
    connections.push(redis);
    const a = uniquePrefix('a');
    const b = uniquePrefix('b');
    await redis.set(`${a}:k`, '1');
    expect(await redis.keys(`${b}:*`)).toEqual([]);
    expect(await redis.get(`${a}:k`)).toBe('1');
  });
});

describe('starting a private redis-server', () => {
  it('starts on a free port, serves, and is gone after stop', async () => {
    const saved = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      const handle = await startRedis();
      const client = new Redis(handle.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
      await handle.stop();
      const after = new Redis(handle.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      after.on('error', () => {});
      await expect(after.connect()).rejects.toThrow();
      after.disconnect();
    } finally {
      if (saved !== undefined) process.env.REDIS_URL = saved;
    }
  });

  it('says exactly how to get Redis when redis-server is missing', async () => {
    const saved = { url: process.env.REDIS_URL, bin: process.env.REDIS_SERVER_BIN };
    delete process.env.REDIS_URL;
    process.env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
    try {
      await expect(startRedis()).rejects.toThrow(/set REDIS_URL=redis:\/\/host:port .*apt-get install -y redis-server/);
    } finally {
      if (saved.url !== undefined) process.env.REDIS_URL = saved.url;
      if (saved.bin === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = saved.bin;
    }
  });
});
