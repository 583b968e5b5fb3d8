import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardHttpRequests } from '../../handlers/guard-http-requests.js';
import { SeenSignatures } from '../../src/ingress/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { commandBody, postSigned } from '../support/signed-post.js';

const SECRET = 'the-signing-secret';

/** The guard in front of a stand-in for Bolt that answers 200 to whatever reaches it. */
async function serve(redis: RedisClient): Promise<{ url: string; server: Server; reached: () => number }> {
  let reached = 0;
  const bolt = (_req: unknown, res: { writeHead(s: number): { end(): void } }) => {
    reached++;
    res.writeHead(200).end();
  };
  const server = createServer(
    guardHttpRequests(bolt as never, {
      signingSecret: SECRET,
      seen: new SeenSignatures({ redis, prefix: uniquePrefix('guard') }),
      log: pino({ level: 'silent' }),
      now: () => new Date(),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    server,
    reached: () => reached,
  };
}

const body = commandBody({
  text: 'help',
  user: 'U0AAAAAAA',
  channel: 'C0AAAAAAA',
  responseUrl: 'http://127.0.0.1:1/r',
});

describe('HTTP mode: the replay check fails closed', () => {
  let up: Awaited<ReturnType<typeof serve>>;
  let down: Awaited<ReturnType<typeof serve>>;
  let live: RedisClient;
  let dead: Redis;
  beforeAll(async () => {
    live = newRedis();
    // Nothing listens on port 1: every command fails at once.
    dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    dead.on('error', () => {});
    up = await serve(live);
    down = await serve(dead);
  });
  afterAll(async () => {
    up.server.close();
    down.server.close();
    await live.quit();
    dead.disconnect();
  });

  it('with Redis reachable, a signed request reaches Bolt once and its replay does not', async () => {
    const ts = Math.floor(Date.now() / 1000);
    expect(await postSigned(up.url, SECRET, body, { timestampSec: ts })).toBe(200);
    expect(await postSigned(up.url, SECRET, body, { timestampSec: ts })).toBe(401);
    expect(up.reached()).toBe(1);
  });

  it('without Redis, a correctly signed request is refused with 503 and never reaches Bolt', async () => {
    expect(await postSigned(down.url, SECRET, body)).toBe(503);
    expect(down.reached()).toBe(0);
  });

  it('a forged request is refused before Redis is asked (401, even with Redis down)', async () => {
    expect(await postSigned(down.url, 'another-secret', body)).toBe(401);
  });
});
