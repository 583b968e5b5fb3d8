import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentLink } from '../../jobs/agent-link.js';
import { startGatewayLink } from '../../jobs/gateway-link.js';
import { agentAclRules, agentAclUser, clusterQueueName, deriveClusterKey } from '../../src/clusters/index.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';

const prefix = 'acl';
const gatewayKey = 'g'.repeat(64);
const log = pino({ level: 'silent' });
const now = () => new Date();

/** A private redis-server where each agent is an ACL user made from agentAclRules, as README advises. */
describe("Redis ACL per agent: a cluster's agent reaches its own keys only", () => {
  let server: RedisHandle;
  let admin: Redis;
  const urls: Record<string, string> = {};
  beforeAll(async () => {
    server = await startRedis({ private: true });
    admin = new Redis(server.url);
    for (const cluster of ['prod-eu', 'prod-us']) {
      await admin.call('ACL', 'SETUSER', ...agentAclRules(prefix, cluster, `pw-${cluster}`));
      const url = new URL(server.url);
      url.username = agentAclUser(cluster);
      url.password = `pw-${cluster}`;
      urls[cluster] = url.toString();
    }
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.stop();
  });

  it('under its ACL user, an agent beats, takes its tasks and reports through BullMQ to the gateway', async () => {
    const agentRedis = new Redis(urls['prod-eu']!);
    const agent = await startAgentLink({
      connection: { url: urls['prod-eu']!, maxRetriesPerRequest: null },
      redis: agentRedis,
      prefix,
      cluster: 'prod-eu',
      key: deriveClusterKey(gatewayKey, 'prod-eu'),
      perform: async (task) => ({ asked: task.kind, body: task.body }),
      heartbeat: { version: '0.1.0', commit: 'test', instance: 'a', startedAt: Date.now() },
      log,
      now,
    });
    const reports: unknown[] = [];
    const gateway = await startGatewayLink({
      connection: { url: server.url, maxRetriesPerRequest: null },
      redis: admin,
      prefix,
      clusters: ['prod-eu'],
      keyOf: (c) => deriveClusterKey(gatewayKey, c),
      applyReport: async (cluster, body) => {
        reports.push({ cluster, body });
        return 'taken';
      },
      attestGroups: async () => ({}),
      clusterOfAction: async () => 'prod-eu',
      log,
      now,
    });
    try {
      expect((await gateway.health('prod-eu')).alive).toBe(true);
      expect(await gateway.ask('prod-eu', 'locate', { namespace: 'demo', pod: 'web' }, 5000)).toEqual({
        asked: 'locate',
        body: { namespace: 'demo', pod: 'web' },
      });
      expect(await agent.report({ kind: 'thread', actionId: 'x', message: { text: 'hi' } })).toBe('taken');
      expect(reports).toEqual([
        { cluster: 'prod-eu', body: { kind: 'thread', actionId: 'x', message: { text: 'hi' } } },
      ]);
    } finally {
      await agent.close();
      await gateway.close();
      agentRedis.disconnect();
    }
  });

  it.each([
    { what: "another cluster's heartbeat", run: (r: Redis) => r.get(`${prefix}:cluster.prod-us.agent`) },
    {
      what: "another cluster's waiting tasks",
      run: (r: Redis) => r.lrange(`${prefix}:cluster.prod-us.tasks:wait`, 0, -1),
    },
    { what: "another cluster's task data", run: (r: Redis) => r.hgetall(`${prefix}:cluster.prod-us.tasks:1`) },
    {
      what: "another cluster's debug-pod grants",
      run: (r: Redis) => r.hgetall(`${prefix}:cluster.prod-us.debug-pods:create-x`),
    },
    {
      what: "another cluster's limits",
      run: (r: Redis) => r.zrange(`${prefix}:cluster.prod-us.state:limits:cluster`, 0, -1),
    },
    { what: 'a name that only starts like its own', run: (r: Redis) => r.get(`${prefix}:cluster.prod-eu-2.agent`) },
    { what: "the gateway's diagnosis records", run: (r: Redis) => r.hgetall(`${prefix}:diagnosis:abcdefgh`) },
    { what: "the gateway's audit chain", run: (r: Redis) => r.xrange(`${prefix}:audit`, '-', '+') },
    { what: 'writing into another cluster', run: (r: Redis) => r.set(`${prefix}:cluster.prod-us.agent`, '{}') },
    {
      what: 'a script touching another cluster',
      run: (r: Redis) => r.eval(`return redis.call('GET', '${prefix}:cluster.prod-us.agent')`, 0),
    },
    { what: 'listing keys', run: (r: Redis) => r.keys('*') },
    { what: 'flushing Redis', run: (r: Redis) => r.flushall() },
    { what: 'reconfiguring Redis', run: (r: Redis) => r.config('SET', 'maxmemory', '1') },
    { what: 'changing ACL users', run: (r: Redis) => r.call('ACL', 'SETUSER', agentAclUser('prod-us'), 'nopass') },
    { what: 'subscribing to channels', run: (r: Redis) => r.subscribe('anything') },
  ])('the prod-eu agent is refused $what', async ({ run }) => {
    const r = new Redis(urls['prod-eu']!, { maxRetriesPerRequest: 0 });
    try {
      // Redis 7 says NOPERM, or "can't access" for a key touched inside a script.
      await expect(run(r)).rejects.toThrow(/NOPERM|can't access/);
    } finally {
      r.disconnect();
    }
  });

  it("the prod-eu agent cannot queue a task for prod-us's agent", async () => {
    const queue = new Queue(clusterQueueName('prod-us', 'tasks'), {
      connection: { url: urls['prod-eu']!, maxRetriesPerRequest: null },
      prefix,
    });
    queue.on('error', () => {});
    try {
      await expect(queue.add('diagnose', { task: {}, signature: '0'.repeat(64) })).rejects.toThrow(/NOPERM/);
    } finally {
      await queue.close();
    }
  });

  it('its own keys are its own: it reads and writes them', async () => {
    const r = new Redis(urls['prod-eu']!);
    try {
      await r.set(`${prefix}:cluster.prod-eu.state:probe`, '1');
      expect(await r.get(`${prefix}:cluster.prod-eu.state:probe`)).toBe('1');
    } finally {
      r.disconnect();
    }
  });
});
