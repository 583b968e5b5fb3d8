import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebugPodQueue } from '../../jobs/debug-pod-queue.js';
import { type Grant, signGrant } from '../../src/actions/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { diagnose, INCIDENT, latest, managedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { newRedis } from '../support/redis.js';

// Slack members and approvers trying to get more than policy gives them. Clone approvers: Bob and Carol.
// Node-shell approvers: Alice and Bob, two-person rule on. Every attack ends with no pod and an audit record.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    configure: (c) => {
      c.approvers = { users: ['U0BOB0002', 'U0CAROL03'], groups: [] };
      c.nodeShell.approvers = { users: ['U0ALICE01', 'U0BOB0002'], groups: [] };
      c.nodeShell.twoPersonRule = true;
    },
  });
  // A crash-looping pod whose clone would be privileged: hostPID, hostNetwork, the node's / mounted, privileged.
  const spec = structuredClone(DEFAULT_APPS['crash-exit1']) as { containers: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  spec.hostPID = true;
  spec.hostNetwork = true;
  spec.volumes = [{ name: 'host', hostPath: { path: '/' } }];
  spec.containers[0]!.securityContext = { privileged: true };
  spec.containers[0]!.volumeMounts = [{ name: 'host', mountPath: '/host' }];
  for (const app of ['node-agent', 'host-agent']) {
    h.kube.store.create(
      'pods',
      buildWorkload({ namespace: 'demo', app, spec, createdAt: new Date().toISOString() }).pod,
    );
  }
});
afterAll(async () => {
  await h?.stop();
});

const shells = () => managedPods(h, 'debugdead-nodeshell');
const askIn = (summary: SimMessage, what: RegExp) =>
  h.slack.waitFor(
    () =>
      h.slack
        .thread(INCIDENT, summary.ts)
        .replies()
        .find((m) => what.test(visibleText(m)) && /Approve/.test(visibleText(m))),
    10_000,
    'the approval request',
  );
const audit = (pred: (e: Record<string, any>) => boolean, what: string) =>
  h.slack.waitFor(() => h.auditEntries().find(pred), 10_000, what);
const sourceClones = (pod: string) =>
  managedPods(h, 'demo').filter((p) => p.metadata.annotations['debugdead.io/source-pod'] === `demo/${pod}`);
const settle = () => new Promise((r) => setTimeout(r, 700));

describe('the two-person rule cannot be walked around', () => {
  it('self-approval: a node-shell approver cannot approve their own node shell, however often they click', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
    await h.slack.user('U0ALICE01').click(summary, 'Open node shell', { confirm: true });
    const ask = await askIn(summary, /node shell/);
    for (let i = 0; i < 3; i++) await h.slack.user('U0ALICE01').click(ask, 'debugdead.approve', { confirm: true });
    await audit((e) => e.actor.id === 'U0ALICE01' && /already counted/.test(e.detail ?? ''), 'the refusal');
    await settle();
    expect(shells()).toHaveLength(0);
  });

  it('the accomplice: a non-approver asks for a node shell on an approver’s diagnosis; one approver is not enough', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'oom');
    await h.slack.user('U0CAROL03').click(summary, 'Open node shell', { confirm: true });
    const ask = await askIn(summary, /node shell/);
    await h.slack.user('U0ALICE01').click(ask, 'debugdead.approve', { confirm: true });
    await audit(
      (e) => e.action === 'approval.granted' && e.result === 'pending' && e.actor.id === 'U0ALICE01',
      'the first approval',
    );
    await settle();
    expect(shells()).toHaveLength(0);
    expect(visibleText(latest(h, summary.ts))).toMatch(/waiting for a second approver/);

    // The second approver makes it two different people: now, and only now, the shell is created.
    await h.slack.user('U0BOB0002').click(ask, 'debugdead.approve', { confirm: true });
    const shell = await h.slack.waitFor(() => shells()[0], 15_000, 'the node shell');
    expect(shell.metadata.annotations['debugdead.io/requested-by']).toBe('U0CAROL03');
  });

  it('racing clicks by non-approvers post one approval request and create nothing', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'liveness');
    const before = shells().length;
    await Promise.all(
      ['U0CAROL03', 'U0CAROL03', 'U0CAROL03'].map((u) =>
        h.slack.user(u).click(summary, 'Open node shell', { confirm: true }),
      ),
    );
    await askIn(summary, /node shell/);
    await settle();
    const asks = h.slack
      .thread(INCIDENT, summary.ts)
      .replies()
      .filter((m) => /Approve/.test(visibleText(m)));
    expect(asks).toHaveLength(1);
    expect(
      h.auditEntries().filter((e) => e.action === 'approval.requested' && e.target.pod === 'liveness'),
    ).toHaveLength(1);
    expect(
      h.auditEntries().filter((e) => e.action === 'button.clicked' && /already awaiting/.test(e.detail ?? '')),
    ).not.toHaveLength(0);
    expect(shells()).toHaveLength(before);
  });
});

describe('privilege follows the pod spec', () => {
  it('the clone button of a privileged pod says so, and clone approvers cannot approve it', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'node-agent');
    expect(visibleText(summary)).toMatch(/Create debug clone \(privileged\)/);
    await h.slack.user('U0CAROL03').click(summary, 'Create debug clone (privileged)', { confirm: true });
    const ask = await askIn(summary, /privileged debug clone/);
    expect(visibleText(ask)).toMatch(/hostPID/);
    await h.slack.user('U0BOB0002').click(ask, 'debugdead.approve', { confirm: true }); // Bob is also a node-shell approver
    await h.slack.user('U0CAROL03').click(ask, 'debugdead.approve', { confirm: true });
    await audit(
      (e) => e.actor.id === 'U0CAROL03' && e.result === 'denied' && /not an approver/.test(e.detail ?? ''),
      'Carol refused',
    );
    await settle();
    expect(
      managedPods(h, 'demo').filter((p) => p.metadata.annotations['debugdead.io/source-pod'] === 'demo/node-agent'),
    ).toHaveLength(0);
  });

  it('a request rewritten in Redis to call the clone standard is ignored: the record does not verify', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'host-agent');
    const id = JSON.stringify(summary.blocks).match(/"value":"([A-Za-z0-9_-]+)\.c0"/)![1]!;
    const redis = newRedis();
    const key = `${h.config.redis.prefix}:diagnosis:${id}`;
    const request = JSON.parse((await redis.hget(key, 'request'))!);
    await redis.hset(key, 'request', JSON.stringify({ ...request, clonePrivilege: [] }));
    await redis.quit();
    await h.slack.user('U0CAROL03').click(summary, 'Create debug clone (privileged)', { confirm: true });
    await audit(
      (e) => e.action === 'job.rejected' && e.requestId === id && /tampered/.test(e.detail ?? ''),
      'the record ignored',
    );
    await settle();
    expect(sourceClones('host-agent')).toHaveLength(0);
  });

  it('even a validly signed grant for a standard clone of a privileged pod is refused: the worker classifies the pod it builds', async () => {
    const summary = await diagnose(h, 'U0BOB0002', 'host-agent');
    const id = JSON.stringify(summary.blocks).match(/"value":"([A-Za-z0-9_-]+)\.c0"/)![1]!;
    const connection = newRedis();
    const queue = createDebugPodQueue({
      connection,
      prefix: h.config.redis.prefix,
    });
    const grant: Grant = {
      actionId: `${id}.c0`,
      kind: 'clone',
      privilege: 'standard',
      cluster: 'sim',
      namespace: 'demo',
      pod: 'host-agent',
      container: 'app',
      requester: 'U0CAROL03',
      approvers: ['U0CAROL03'],
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    };
    await queue.enqueueCreate(signGrant(grant, h.config.approvals.signingKey!));
    await queue.close();
    connection.disconnect();
    const rejected = await audit(
      (e) => e.action === 'job.rejected' && e.requestId === `${id}.c0`,
      'the worker refusing',
    );
    expect(rejected.detail).toMatch(/would be privileged \(.*hostPID/);
    expect(sourceClones('host-agent')).toHaveLength(0);
  });
});
