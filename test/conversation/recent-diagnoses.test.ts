import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseAndPost } from '../../src/conversation/diagnose-and-post.js';
import {
  createRecentDiagnoses,
  RECENT_DIAGNOSIS_SECONDS,
  type RecentDiagnosis,
  recentDiagnosisKey,
} from '../../src/conversation/recent-diagnoses.js';
import { createKubeClient, loadKubeConfig } from '../../src/kube/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { memoryDeps } from '../support/in-memory-ports.js';
import { keysMatching, newRedis, uniquePrefix } from '../support/redis.js';

const WEB = { namespace: 'demo', kind: 'Deployment', name: 'web' };
const T0 = new Date('2026-12-07T14:00:00Z');

describe('recent diagnoses in Redis', () => {
  let redis: RedisClient;
  beforeAll(() => {
    redis = newRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  const store = () => {
    let now = T0;
    const prefix = uniquePrefix('recent');
    return {
      prefix,
      recent: createRecentDiagnoses({ redis, prefix, now: () => now }),
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
      },
    };
  };
  const alice: RecentDiagnosis = {
    channel: 'C0INCIDENT',
    workload: WEB,
    ts: '1700000000.000100',
    diagnosisId: 'diag-alice-1',
    by: 'U0ALICE01',
    at: T0.toISOString(),
  };

  it('finds the diagnosis of the same place only: not another channel, cluster or workload', async () => {
    const { recent } = store();
    await recent.remember(alice);
    expect(await recent.find({ channel: 'C0INCIDENT', workload: WEB })).toEqual(alice);
    expect(await recent.find({ channel: 'C0GENERAL', workload: WEB })).toBeUndefined();
    expect(await recent.find({ channel: 'C0INCIDENT', cluster: 'prod-eu', workload: WEB })).toBeUndefined();
    expect(await recent.find({ channel: 'C0INCIDENT', workload: { ...WEB, name: 'api' } })).toBeUndefined();
    expect(await recent.find({ channel: 'C0INCIDENT', workload: { ...WEB, kind: 'StatefulSet' } })).toBeUndefined();
  });

  it('keeps clusters apart: the same workload name in two clusters is two workloads', async () => {
    const { recent } = store();
    await recent.remember({ ...alice, cluster: 'prod-eu' });
    expect(await recent.find({ channel: 'C0INCIDENT', cluster: 'prod-eu', workload: WEB })).toMatchObject({
      cluster: 'prod-eu',
    });
    expect(await recent.find({ channel: 'C0INCIDENT', cluster: 'prod-us', workload: WEB })).toBeUndefined();
    expect(await recent.find({ channel: 'C0INCIDENT', workload: WEB })).toBeUndefined();
  });

  it('forgets it after the window, by our clock and by Redis', async () => {
    const { recent, prefix, advance } = store();
    await recent.remember(alice);
    const ttl = await redis.pttl(recentDiagnosisKey(prefix, alice));
    expect(ttl).toBeGreaterThan(RECENT_DIAGNOSIS_SECONDS * 1000 - 5000);
    expect(ttl).toBeLessThanOrEqual(RECENT_DIAGNOSIS_SECONDS * 1000);
    advance(59 * 60_000);
    expect(await recent.find(alice)).toEqual(alice);
    advance(2 * 60_000);
    expect(await recent.find(alice)).toBeUndefined();
  });

  it('a later diagnosis of the same place replaces the earlier one', async () => {
    const { recent, advance } = store();
    await recent.remember(alice);
    advance(5 * 60_000);
    const bob = {
      ...alice,
      ts: '1700000300.000100',
      diagnosisId: 'diag-bob-1',
      by: 'U0BOB0002',
      at: '2026-12-07T14:05:00.000Z',
    };
    await recent.remember(bob);
    expect(await recent.find(alice)).toEqual(bob);
  });

  it("never remembers an alert's own diagnosis, nor one already out of the window", async () => {
    const { recent, prefix } = store();
    await recent.remember({ ...alice, by: 'alert' });
    await recent.remember({ ...alice, channel: 'C0GENERAL', at: '2026-12-07T12:59:00.000Z' });
    expect(await redis.exists(recentDiagnosisKey(prefix, alice))).toBe(0);
    expect(await redis.exists(recentDiagnosisKey(prefix, { ...alice, channel: 'C0GENERAL' }))).toBe(0);
  });

  it('ignores an entry stored under another place (written into Redis by hand)', async () => {
    const { recent, prefix } = store();
    await redis.set(recentDiagnosisKey(prefix, alice), JSON.stringify({ ...alice, channel: 'C0GENERAL' }));
    expect(await recent.find(alice)).toBeUndefined();
  });
});

describe('a person diagnosis is remembered for alerts, off the critical path', () => {
  let kube: KubeSim;
  let kubeconfigPath: string;
  beforeAll(async () => {
    const clock = new ManualClock(Date.now() - 15 * 60_000);
    kube = await startKubeSim({ clock, scenario: 'default' });
    clock.advance(15 * 60_000);
    kubeconfigPath = join(mkdtempSync(join(tmpdir(), 'recent-')), 'kubeconfig');
    await kube.writeKubeconfig(kubeconfigPath);
  });
  afterAll(async () => {
    await kube?.close();
  });

  const setUp = (recentRedis?: RedisClient) => {
    const kubeClient = createKubeClient(loadKubeConfig({ kubeconfigPath }), { timeoutMs: 5000, clusterName: 'mem' });
    const m = memoryDeps(() => {}, kubeClient);
    const lines: Record<string, unknown>[] = [];
    m.deps.log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    );
    m.deps.recentDiagnoses = createRecentDiagnoses({
      redis: recentRedis ?? m.redis,
      prefix: m.prefix,
      now: m.deps.now,
    });
    return { ...m, lines };
  };

  it('under the workload of the diagnosed pod (its Deployment), with the message, who asked and when', async () => {
    const m = setUp();
    try {
      const outcome = await diagnoseAndPost(
        m.deps,
        { namespace: 'demo', pod: 'crash-exit1' },
        { channel: 'C0INCIDENT', requestedBy: 'U0ALICE01' },
      );
      expect(outcome.ok && outcome.posted).toBeTruthy();
      const place = { channel: 'C0INCIDENT', workload: { namespace: 'demo', kind: 'Deployment', name: 'crash-exit1' } };
      const found = await waitFor(() => m.deps.recentDiagnoses!.find(place));
      expect(found).toMatchObject({
        ...place,
        ts: outcome.ok ? outcome.posted?.ts : '',
        diagnosisId: outcome.ok ? outcome.diagnosisId : '',
        by: 'U0ALICE01',
      });
    } finally {
      await m.close();
    }
  });

  it("the alert's own diagnosis is not remembered", async () => {
    const m = setUp();
    try {
      const outcome = await diagnoseAndPost(
        m.deps,
        { namespace: 'demo', pod: 'oom' },
        { channel: 'C0INCIDENT', requestedBy: 'alert' },
      );
      expect(outcome.ok && outcome.posted).toBeTruthy();
      expect(await keysMatching(m.redis, `${m.prefix}:recent-diagnosis:*`)).toEqual([]);
    } finally {
      await m.close();
    }
  });

  it('a Redis refusal loses only the link: the diagnosis is posted and the failure logged', async () => {
    const broken = newRedis();
    broken.disconnect();
    const m = setUp(broken);
    try {
      const outcome = await diagnoseAndPost(
        m.deps,
        { namespace: 'demo', pod: 'crash-exit1' },
        { channel: 'C0INCIDENT', requestedBy: 'U0ALICE01' },
      );
      expect(outcome.ok && outcome.posted).toBeTruthy();
      expect(m.chat.messages.some((msg) => msg.text.startsWith('demo/crash-exit1 ') && !msg.threadTs)).toBe(true);
      await waitFor(async () =>
        m.lines.find((l) => l.msg === 'could not remember the diagnosis for alerts') ? true : undefined,
      );
    } finally {
      await m.close();
    }
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
