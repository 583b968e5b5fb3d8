import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySlot } from '../../src/redis/index.js';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, latest } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type RedisClusterHandle, startRedisCluster } from '../support/redis-server.js';

// A real Redis Cluster of three masters (redis-cli --cluster create). A script or MULTI whose keys span slots fails
// there with CROSSSLOT, and a key outside the prefix's slot would land on another master: both are checked here with
// the whole bot, and its slot arithmetic against the cluster's own.

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const braced = fc.tuple(fc.string(), fc.string({ maxLength: 8 }), fc.string()).map(([a, b, c]) => `${a}{${b}}${c}`);

describe('the Redis Cluster slot of a key', () => {
  it('is what the cluster itself computes (CLUSTER KEYSLOT), hash tags, empty tags and UTF-8 included', async () => {
    const node = new Redis(cluster.nodes[0]!.port, cluster.nodes[0]!.host);
    try {
      const keys = [
        '',
        '{}',
        '{}x',
        '{{a}}',
        'a{b}c{d}',
        '{debugdead}:audit',
        ...fc.sample(fc.oneof(fc.string({ unit: 'grapheme' }), braced, fc.string()), 300),
      ];
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.call('CLUSTER', 'KEYSLOT', key);
      const answers = (await pipeline.exec())!.map(([err, slot]) => (err ? err.message : slot));
      expect(keys.map(keySlot)).toEqual(answers);
    } finally {
      node.disconnect();
    }
  });

  it("of any key under a hash-tagged prefix is the prefix tag's slot", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string({ unit: 'grapheme' }), (name, rest) => {
        return keySlot(`{${name}}:${rest}`) === keySlot(`{${name}}`);
      }),
    );
  });
});

describe('the whole bot on a Redis Cluster', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      // HTTP mode: its replay guard keeps keys too.
      mode: 'http',
      redisEnv: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_CLUSTER_NODES: cluster.nodesEnv },
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = 'C0INCIDENT';
        c.alerts.labelSelector = 'app in (crash-exit1)';
        c.debugClone.defaultTtlSeconds = 60;
      },
      alertTuning: { channelIntervalMs: 50 },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("diagnoses, approves, runs the clone job and alerts; every key it wrote is in its prefix's slot", async () => {
    await h.slack.waitFor(
      () =>
        h.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => /:rotating_light:/.test(visibleText(m))),
      20_000,
      'the alert for crash-exit1',
    );
    const summary = await diagnose(h, 'U0ALICE01', 'scratch-crash');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    await h.slack.waitFor(
      () => (/:white_check_mark: Running/.test(visibleText(latest(h, summary.ts))) ? true : undefined),
      20_000,
      'the clone running',
    );

    const prefix = h.config.redis.prefix;
    const keys: string[] = [];
    for (const { host, port } of cluster.nodes) {
      const node = new Redis(port, host);
      keys.push(...(await node.keys('*')));
      node.disconnect();
    }
    const mine = keys.filter((k) => k.startsWith(`${prefix}:`));
    // Every key in the cluster is this bot's (the cluster is this file's own), and all share one slot.
    expect(mine).toEqual(keys);
    expect(new Set(mine.map(keySlot))).toEqual(new Set([keySlot(prefix)]));
    const kinds = new Set(mine.map((k) => k.slice(prefix.length + 1).split(':')[0]));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['audit', 'diagnosis', 'limits', 'alert', 'alert-diagnosis', 'http-seen', 'debug-pods']),
    );
  });
});
