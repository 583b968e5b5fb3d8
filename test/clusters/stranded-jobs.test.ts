import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startGatewayLink } from '../../jobs/gateway-link.js';
import { type Grant, signGrant } from '../../src/actions/index.js';
import { attestedGroups } from '../../src/agent/index.js';
import { clusterKey, clusterQueueName, deriveClusterKey, type Heartbeat, signTask } from '../../src/clusters/index.js';
import type { CreateDebugPodJob } from '../../src/conversation/deps.js';
import { newRedis, testRedisUrl, uniquePrefix } from '../support/redis.js';

const gatewayKey = 'g'.repeat(64);
const key = deriveClusterKey(gatewayKey, 'c1');
const grant = (expiresAt: string): Grant => ({
  actionId: 'abcdefgh1234.c0',
  kind: 'clone',
  privilege: 'standard',
  cluster: 'c1',
  namespace: 'demo',
  pod: 'web',
  container: 'app',
  requester: 'U0ALICE01',
  approvers: ['U0ALICE01'],
  expiresAt,
});

describe('debug-pod jobs for an agent that is gone', () => {
  it('are withdrawn by the gateway once past their deadline, and the person is told; none is left to run late', async () => {
    const prefix = uniquePrefix('stranded');
    const redis = newRedis();
    const expired: { cluster: string; job: CreateDebugPodJob; sentence: string }[] = [];
    const link = await startGatewayLink({
      connection: { url: testRedisUrl(), maxRetriesPerRequest: null },
      redis,
      prefix,
      clusters: ['c1'],
      keyOf: (c) => deriveClusterKey(gatewayKey, c),
      applyReport: async () => undefined,
      attestGroups: async () => ({ U0ALICE01: [] }),
      clusterOfAction: async () => 'c1',
      log: pino({ level: 'silent' }),
      now: () => new Date(),
      jobTtlMs: 400,
      sweepEveryMs: 100,
      onExpired: async (cluster, job, sentence) => void expired.push({ cluster, job, sentence }),
    });
    try {
      // The agent beats once, as it does when it starts, then is gone.
      const beat: Heartbeat = {
        cluster: 'c1',
        version: '0.1.0',
        commit: 't',
        instance: 'i',
        startedAt: Date.now(),
        seenAt: Date.now(),
      };
      await redis.set(clusterKey(prefix, 'c1', 'agent'), JSON.stringify(beat));
      await redis.set(clusterKey(prefix, 'c1', 'alive'), 'i', 'PX', 200);
      await link.jobs.enqueueCreate(signGrant(grant(new Date(Date.now() + 600_000).toISOString()), key));
      const deadline = Date.now() + 5000;
      while (expired.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(expired).toHaveLength(1);
      expect(expired[0]!.cluster).toBe('c1');
      expect(expired[0]!.job.grant.actionId).toBe('abcdefgh1234.c0');
      expect(expired[0]!.sentence).toMatch(/agent for @c1 was last seen \d+ (ms|s) ago/);
      expect(await redis.llen(`${prefix}:${clusterQueueName('c1', 'debug-pods')}:wait`)).toBe(0);
      // With the agent gone, a new approval is refused at once instead of queued.
      await expect(
        link.jobs.enqueueCreate(signGrant(grant(new Date(Date.now() + 600_000).toISOString()), key)),
      ).rejects.toThrow(/last seen/);
    } finally {
      await link.close();
      redis.disconnect();
    }
  });

  it('an agent refuses a job whose signed deadline passed while it was away, and one for another action', () => {
    const now = new Date('2026-12-07T04:00:00Z');
    const g = grant('2026-12-07T04:10:00Z');
    const attest = (expiresAt: string, actionId = g.actionId) =>
      signTask(
        { kind: 'groups', cluster: 'c1', expiresAt, body: { actionId, groupsOf: { U0ALICE01: ['S0SRE0001'] } } },
        key,
      );
    const ok = attestedGroups({ grant: g, attest: attest('2026-12-07T04:02:00Z') }, key, 'c1', now);
    expect(ok.problem).toBeUndefined();
    expect(attestedGroups({ grant: g, attest: attest('2026-12-07T03:59:00Z') }, key, 'c1', now).problem).toBe(
      'expired',
    );
    expect(
      attestedGroups({ grant: g, attest: attest('2026-12-07T04:02:00Z', 'other1234567.c0') }, key, 'c1', now).problem,
    ).toBe('malformed');
    expect(attestedGroups({ grant: g }, key, 'c1', now).problem).toBe('missing');
    expect(
      attestedGroups(
        { grant: g, attest: attest('2026-12-07T04:02:00Z') },
        deriveClusterKey(gatewayKey, 'c2'),
        'c2',
        now,
      ).problem,
    ).toBe('bad-signature');
  });

  it('the groups the gateway vouched for are what the agent re-checks with', async () => {
    const g = grant('2026-12-07T04:10:00Z');
    const attest = signTask(
      {
        kind: 'groups',
        cluster: 'c1',
        expiresAt: '2026-12-07T04:02:00Z',
        body: { actionId: g.actionId, groupsOf: { U0ALICE01: ['S0SRE0001'] } },
      },
      key,
    );
    const { groups } = attestedGroups({ grant: g, attest }, key, 'c1', new Date('2026-12-07T04:00:00Z'));
    expect((await groups.groupsOf('U0ALICE01', ['S0SRE0001', 'S0OTHER01'])).groups).toEqual(['S0SRE0001']);
    expect((await groups.groupsOf('U0BOB0002', ['S0SRE0001'])).groups).toEqual([]);
  });
});
