import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebugPodQueue } from '../../jobs/debug-pod-queue.js';
import { type Grant, signGrant } from '../../src/actions/index.js';
import { nameSuffix } from '../../src/debugpods/index.js';
import type { RedisClient } from '../../src/redis/index.js';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, INCIDENT, managedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { newRedis } from '../support/redis.js';

// An attacker with write access to the bot's Redis (no password, or the password stolen) writes what a real approval
// would have written: a diagnosis record with an approved slot, and a BullMQ create job. Each attack must create no
// pod, and leave a `job.rejected` audit record.

let h: Harness;
let redis: RedisClient;
let queue: ReturnType<typeof createDebugPodQueue>;

beforeAll(async () => {
  h = await startHarness({ configure: (c) => (c.debugClone.defaultTtlSeconds = 600) });
  redis = newRedis();
  queue = createDebugPodQueue({
    connection: redis,
    prefix: h.config.redis.prefix,
  });
});
afterAll(async () => {
  await queue?.close();
  await redis?.quit();
  await h?.stop();
});

const allManaged = () => [
  ...managedPods(h, 'demo'),
  ...managedPods(h, 'debugdead-nodeshell'),
  ...managedPods(h, 'kube-system'),
];

/** A diagnosis record and an approved slot, written straight into Redis the way the bot lays them out. */
async function forgeRecord(id: string, slot: string, request: object): Promise<void> {
  await redis.hset(`${h.config.redis.prefix}:diagnosis:${id}`, {
    request: JSON.stringify({
      containers: ['app'],
      clonePrivilege: [],
      requestedBy: 'U0MALLORY',
      createdAt: new Date().toISOString(),
      ...request,
    }),
    [`${slot}.state`]: 'approved',
    [`${slot}.meta`]: JSON.stringify({ requester: 'U0MALLORY', privilege: 'standard' }),
    [`${slot}.approvals`]: 'U0NOBODY0',
    [`${slot}.required`]: '1',
  });
}

const rejection = (actionId: string) =>
  h.slack.waitFor(
    () => h.auditEntries().find((e) => e.action === 'job.rejected' && e.requestId === actionId),
    15_000,
    `job.rejected for ${actionId}`,
  );

const nodeShellGrant = (actionId: string): Grant => ({
  actionId,
  kind: 'node-shell',
  privilege: 'privileged',
  cluster: 'sim',
  namespace: 'kube-system',
  node: 'node-1',
  requester: 'U0MALLORY',
  approvers: ['U0GHOST01', 'U0GHOST02'],
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
});

describe('jobs forged straight into Redis', () => {
  it.each([
    [
      'a node shell "approved" by users who do not exist, signed with a guessed key',
      (id: string) => signGrant(nodeShellGrant(id), 'guess'.repeat(8)),
      /signature does not match/,
    ],
    [
      'the same grant with a random signature',
      (id: string) => ({ grant: nodeShellGrant(id), signature: randomBytes(32).toString('hex') }),
      /signature does not match/,
    ],
    ['the same grant with no signature at all', (id: string) => ({ grant: nodeShellGrant(id) }), /no readable grant/],
    [
      'a job in the old shape (action id and approver only)',
      (id: string) => ({ grant: { actionId: id }, approvedBy: 'U0ALICE01' }),
      /no readable grant/,
    ],
  ])('%s: no pod, refused in the audit', async (_name, forge, detail) => {
    const id = randomBytes(12).toString('base64url');
    const actionId = `${id}.n`;
    await forgeRecord(id, 'n', { namespace: 'kube-system', pod: 'kube-proxy-x', node: 'node-1' });
    const before = allManaged().length;
    await queue.enqueueCreate(forge(actionId) as never);
    const record = await rejection(actionId);
    expect(record.result).toBe('denied');
    expect(record.detail).toMatch(detail);
    expect(allManaged()).toHaveLength(before);
  });

  it('a job replayed with another target (a real grant, its namespace and pod changed) is refused', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    await h.slack.waitFor(() => managedPods(h, 'demo')[0], 15_000, 'the legitimate clone');
    const [real] = (await queue.queue.getJobs(['completed', 'active', 'waiting', 'delayed'])).filter(
      (j) => j.name === 'create',
    );
    expect(real).toBeDefined();
    const data = real!.data as { grant: Grant; signature: string };

    const id = randomBytes(12).toString('base64url');
    const actionId = `${id}.c0`;
    await forgeRecord(id, 'c0', { namespace: 'kube-system', pod: 'kube-proxy-x' });
    const before = allManaged().length;
    await queue.enqueueCreate({
      signature: data.signature,
      grant: { ...data.grant, actionId, namespace: 'kube-system', pod: 'kube-proxy-x' },
    });
    expect((await rejection(actionId)).detail).toMatch(/signature does not match/);

    // The exact job again, under a new job id: it names the same action, so the same pod; nothing new is created.
    await queue.queue.add('create', data, { jobId: `create-replay-${id}` });
    const found = await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'pod.created' && /earlier attempt/.test(e.detail ?? '')),
      15_000,
      'the replay finding the pod already made',
    );
    // The record carries the pod's own expiry, not a fresh one computed by the replay.
    const made = managedPods(h, 'demo').find(
      (p) => p.metadata.annotations['debugdead.io/request-id'] === data.grant.actionId,
    )!;
    expect(found.detail).toContain(`expires at ${made.metadata.annotations['debugdead.io/expires-at']}`);
    expect(allManaged()).toHaveLength(before);
  });

  it('a deletion forged into Redis deletes no pod that is not a debug pod of that action', async () => {
    const victim = h.kube.store.list('pods', 'demo').find((p) => p.metadata.name === 'healthy')!;
    await queue.deleteNow({ actionId: 'AAAAAAAAAAAA.c0', namespace: 'demo', podName: 'healthy', by: 'U0MALLORY' });
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'job.rejected' && e.target?.pod === 'healthy'),
      10_000,
      'the refused deletion',
    );
    expect(h.kube.store.list('pods', 'demo').find((p) => p.metadata.uid === victim.metadata.uid)).toBeDefined();
  });

  it('a refusal is answered in the diagnosis thread', async () => {
    const summary = await diagnose(h, 'U0BOB0002', 'oom');
    const value = JSON.stringify(summary.blocks).match(/"value":"([A-Za-z0-9_-]+)\.c0"/)?.[1];
    expect(value).toBeDefined();
    const actionId = `${value}.n`;
    await queue.enqueueCreate({ grant: nodeShellGrant(actionId), signature: 'f'.repeat(64) });
    await rejection(actionId);
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(INCIDENT, summary.ts)
          .replies()
          .find((m) => /refused by the worker/.test(visibleText(m))),
      10_000,
      'the refusal in the thread',
    );
    expect(managedPods(h, 'debugdead-nodeshell')).toHaveLength(0);
  });
});

describe('debug-container jobs forged straight into Redis', () => {
  const debugGrant = (actionId: string, over: Partial<Grant> = {}): Grant => ({
    actionId,
    kind: 'ephemeral',
    privilege: 'standard',
    cluster: 'sim',
    namespace: 'demo',
    pod: 'healthy',
    container: 'app',
    profile: 'general',
    image: 'busybox:1.37-musl',
    requester: 'U0MALLORY',
    approvers: ['U0ALICE01'],
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    ...over,
  });
  const debugContainers = () => h.kube.store.get('pods', 'demo', 'healthy')?.spec.ephemeralContainers ?? [];

  it.each([
    ['a raised profile under a signature made for general', { profile: 'sysadmin' }, /signature does not match/],
    [
      'another image under a signature made for busybox',
      { image: 'attacker/tools:latest' },
      /signature does not match/,
    ],
  ])('%s: nothing added, refused in the audit', async (_name, change, detail) => {
    const id = randomBytes(12).toString('base64url');
    const actionId = `${id}.e0`;
    await forgeRecord(id, 'e0', { namespace: 'demo', pod: 'healthy' });
    const signed = signGrant(debugGrant(actionId), h.config.approvals.signingKey!);
    await queue.enqueueCreate({ ...signed, grant: { ...signed.grant, ...change } });
    expect((await rejection(actionId)).detail).toMatch(detail);
    expect(debugContainers()).toEqual([]);
  });

  it('a genuinely signed grant for an image no longer on the allowlist adds nothing', async () => {
    const id = randomBytes(12).toString('base64url');
    const actionId = `${id}.e0`;
    await forgeRecord(id, 'e0', { namespace: 'demo', pod: 'healthy' });
    await queue.enqueueCreate(
      signGrant(debugGrant(actionId, { image: 'attacker/tools:latest' }), h.config.approvals.signingKey!),
    );
    expect((await rejection(actionId)).detail).toMatch(/not in debugContainer.images/);
    expect(debugContainers()).toEqual([]);
  });

  it("a forged end-of-TTL job naming another action's container deletes nothing and is refused", async () => {
    const before = h.kube.store.list('pods', 'demo').length;
    await queue.deleteNow({
      actionId: 'AAAAAAAAAAAA.e0',
      namespace: 'demo',
      podName: 'healthy',
      container: 'debugger-other',
      by: 'U0MALLORY',
    });
    await h.slack.waitFor(
      () =>
        h.auditEntries().find((e) => e.action === 'job.rejected' && /debug-container end refused/.test(e.detail ?? '')),
      10_000,
      'the refused end',
    );
    expect(h.kube.store.list('pods', 'demo')).toHaveLength(before);
  });
});

describe('deletion and end-of-TTL jobs forged to write in a thread', () => {
  /** A real diagnosis and its id, so the forged job names an action whose thread exists. */
  async function realDiagnosis(pod: string) {
    const summary = await diagnose(h, 'U0BOB0002', pod);
    const id = JSON.stringify(summary.blocks).match(/"value":"([A-Za-z0-9_-]+)\.c0"/)?.[1];
    expect(id).toBeDefined();
    return { summary, id: id! };
  }
  const INJECTED = /<!channel>|<!here>|evil\.example|<@U0ALICE01>/;
  const threadText = (ts: string) => h.slack.thread(INCIDENT, ts).replies().map(visibleText).join('\n');
  const refusal = (actionId: string, detail: RegExp) =>
    h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .find((e) => e.action === 'job.rejected' && e.requestId === actionId && detail.test(e.detail ?? '')),
      10_000,
      `the refusal of ${actionId}`,
    );

  it.each([
    ['a pod named with a broadcast and a link', 'demo', 'x <!channel> <https://evil.example|Approve again>'],
    ['a namespace named with a mention', '<@U0ALICE01>', 'fake-pod'],
  ])('%s: refused, and nothing is written in the thread', async (_name, namespace, podName) => {
    const { summary, id } = await realDiagnosis('crash-exit1');
    for (const [slot, container] of [
      ['c0', undefined],
      ['e0', `debugger-${nameSuffix(`${id}.e0`)}`],
    ] as const) {
      const actionId = `${id}.${slot}`;
      await queue.deleteNow({
        actionId,
        namespace,
        podName,
        by: 'U0MALLORY',
        ...(container ? { container } : {}),
      });
      await refusal(actionId, /deletion refused: the (namespace|pod) is not a Kubernetes name/);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(threadText(summary.ts)).not.toMatch(INJECTED);
    expect(threadText(summary.ts)).not.toMatch(/was deleted by|ended at its TTL/);
  });

  it("a well-named pod that is not the action's own is refused too (its panel is not marked deleted)", async () => {
    const { summary, id } = await realDiagnosis('oom');
    await queue.deleteNow({ actionId: `${id}.c0`, namespace: 'demo', podName: 'fake-pod', by: 'U0MALLORY' });
    await refusal(`${id}.c0`, /not named after this action/);
    const actionId = `${id}.e0`;
    await queue.deleteNow({
      actionId,
      namespace: 'demo',
      podName: 'healthy',
      container: `debugger-${nameSuffix(actionId)}`,
      by: 'ttl',
    });
    await refusal(actionId, /debug-container end refused/);
    await new Promise((r) => setTimeout(r, 300));
    expect(threadText(summary.ts)).not.toMatch(/was deleted by|ended at its TTL/);
  });
});
