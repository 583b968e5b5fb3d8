import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { formatActionId, type Slot, verifyGrant } from '../../src/actions/index.js';
import type { Config } from '../../src/config/index.js';
import { manageDebugPod } from '../../src/conversation/manage-debug-pod.js';
import { requestAction } from '../../src/conversation/request-action.js';
import { settleApproval } from '../../src/conversation/settle-approval.js';
import { memoryDeps } from '../support/in-memory-ports.js';

// The button flows against an in-memory chat and queue (test doubles of the ports) and the run's real Redis, where
// the slot scripts run. End-to-end versions of the same stories are in test/e2e and test/security.

type Env = ReturnType<typeof memoryDeps>;
let envs: Env[] = [];
afterEach(async () => {
  await Promise.all(envs.map((e) => e.close()));
  envs = [];
});

const CHANNEL = 'C1';

async function setUp(configure: (c: Config) => void = () => {}, clonePrivilege: string[] = []) {
  const env = memoryDeps((c) => {
    c.approvers = { users: ['UA', 'UB'], groups: [] };
    c.nodeShell.approvers = { users: ['UA', 'UROOT', 'UROOT2'], groups: ['SSRE'] };
    configure(c);
  });
  envs.push(env);
  const { deps, chat } = env;
  const id = await deps.records.create(
    {
      namespace: 'shop',
      pod: 'web-1',
      node: 'node-1',
      containers: ['app', 'sidecar'],
      clonePrivilege,
      requestedBy: 'UCAROL',
      createdAt: new Date().toISOString(),
    },
    3600,
  );
  const posted = await chat.post(CHANNEL, { text: 'diagnosis', blocks: [] });
  await deps.records.setMessage(id, { ...posted, body: { text: 'diagnosis', blocks: [] } });
  const told: Record<string, string[]> = {};
  const click = (user: string, slot: Slot, place = { channel: posted.channel, ts: posted.ts }) => ({
    value: formatActionId({ diagnosisId: id, slot }),
    user,
    place,
    tell: async (text: string) => {
      told[user] = [...(told[user] ?? []), text];
    },
  });
  const askOf = (slot: Slot) =>
    deps.records.get(id).then((r) => r!.slots[slot.kind === 'clone' ? `c${slot.container}` : 'n']!.ask!);
  const approve = async (
    user: string,
    slot: Slot,
    decision: 'approve' | 'deny' = 'approve',
    place?: { channel: string; ts: string },
  ) => settleApproval(deps, { ...click(user, slot, place ?? (await askOf(slot))), decision, replace: async () => {} });
  const audited = (action: string, result?: string) =>
    env.auditEntries.filter((e) => e.action === action && (result === undefined || e.result === result));
  return { ...env, id, posted, told, click, approve, audited };
}

const CLONE: Slot = { kind: 'clone', container: 0 };
const SHELL: Slot = { kind: 'node-shell' };

describe('asking for a debug pod', () => {
  it('an approver’s click queues one signed job; a second click changes nothing and says who approved', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UA', CLONE));
    await requestAction(t.deps, t.click('UB', CLONE));
    expect(t.jobs.created).toHaveLength(1);
    const verified = verifyGrant(t.jobs.created[0], t.deps.signingKey, new Date(), 'mem');
    expect(verified).toMatchObject({
      ok: true,
      grant: {
        kind: 'clone',
        privilege: 'standard',
        namespace: 'shop',
        pod: 'web-1',
        container: 'app',
        requester: 'UA',
        approvers: ['UA'],
      },
    });
    expect(t.told.UB).toEqual([expect.stringMatching(/Already approved by/)]);
    expect(t.audited('button.clicked', 'denied')).toHaveLength(1);
    expect(t.audited('job.queued')).toHaveLength(1);
  });

  it('racing clicks by non-approvers open the request once and post one approval request', async () => {
    const t = await setUp((c) => {
      c.approvers = { users: ['UA'], groups: [] };
    });
    await Promise.all(['UX', 'UY', 'UZ', 'UX', 'UY'].map((u) => requestAction(t.deps, t.click(u, CLONE))));
    expect(t.chat.thread(t.posted.ts)).toHaveLength(1);
    expect(t.audited('approval.requested')).toHaveLength(1);
    expect(
      Object.values(t.told)
        .flat()
        .filter((m) => /Already requested by/.test(m)),
    ).toHaveLength(4);
    expect(t.jobs.created).toHaveLength(0);
  });

  it('with nobody configured, nobody may approve: the click is refused, says which key to set, and is audited', async () => {
    const t = await setUp((c) => {
      c.approvers = { users: [], groups: [] };
    });
    await requestAction(t.deps, t.click('UA', CLONE));
    expect(t.told.UA).toEqual([expect.stringMatching(/Nobody may approve a debug clone: `approvers` lists nobody/)]);
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('button.clicked', 'denied')).toHaveLength(1);
  });

  it('an unknown container index is answered and audited', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UA', { kind: 'clone', container: 7 }));
    expect(t.told.UA).toEqual([expect.stringMatching(/not part of this diagnosis/)]);
    expect(t.audited('button.clicked', 'error')[0]?.detail).toMatch(/unknown container index 7/);
  });

  it('a click from another message or channel is refused and audited', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UA', CLONE, { channel: 'C0OTHER00', ts: t.posted.ts }));
    await requestAction(t.deps, t.click('UA', CLONE, { channel: CHANNEL, ts: '1.000001' }));
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('button.clicked', 'denied').map((e) => e.detail)).toEqual([
      expect.stringMatching(/not from its message/),
      expect.stringMatching(/not from its message/),
    ]);
  });
});

describe('the two-person rule, exactly', () => {
  it('a node-shell approver’s own request counts once; their own Approve is refused; a second approver grants it', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UROOT', SHELL));
    expect(t.jobs.created).toHaveLength(0);
    expect(t.told.UROOT?.[0]).toMatch(/second person/);
    await t.approve('UROOT', SHELL);
    expect(t.told.UROOT?.[1]).toMatch(/already count/);
    expect(t.jobs.created).toHaveLength(0);
    await t.approve('UROOT2', SHELL);
    expect(t.jobs.created).toHaveLength(1);
    expect(t.jobs.created[0]!.grant).toMatchObject({
      kind: 'node-shell',
      node: 'node-1',
      requester: 'UROOT',
      approvers: ['UROOT', 'UROOT2'],
    });
  });

  it('the accomplice case: a non-approver’s node shell needs two approvers, not one', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UEVE', SHELL));
    await t.approve('UROOT', SHELL);
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('approval.granted', 'pending')).toHaveLength(1);
    await t.approve('UROOT', SHELL);
    expect(t.jobs.created).toHaveLength(0);
    await t.approve('USRE', SHELL).catch(() => {});
    expect(t.jobs.created).toHaveLength(0);
    t.chat.groups.SSRE = ['USRE'];
    await t.approve('USRE', SHELL);
    expect(t.jobs.created[0]!.grant.approvers).toEqual(['UROOT', 'USRE']);
  });

  it('racing Approve clicks of two approvers grant once', async () => {
    const t = await setUp((c) => {
      c.nodeShell.twoPersonRule = false;
    });
    await requestAction(t.deps, t.click('UEVE', SHELL));
    await Promise.all(['UROOT', 'UROOT2', 'UA'].map((u) => t.approve(u, SHELL)));
    expect(t.jobs.created).toHaveLength(1);
    expect(t.audited('approval.granted', 'ok')).toHaveLength(1);
    expect(t.audited('button.clicked', 'denied')).toHaveLength(2);
  });

  it('Approve or Deny clicked from the diagnosis message instead of the approval request is refused', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UEVE', SHELL));
    await t.approve('UROOT', SHELL, 'approve', { channel: CHANNEL, ts: t.posted.ts });
    expect(t.audited('button.clicked', 'denied').at(-1)?.detail).toMatch(/not from its message/);
  });

  it('a denial is final and a redelivered Deny is audited', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UEVE', CLONE));
    await t.approve('UA', CLONE, 'deny');
    await t.approve('UA', CLONE, 'deny');
    await t.approve('UB', CLONE);
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('approval.denied')).toHaveLength(1);
    expect(t.audited('button.clicked', 'denied').map((e) => e.detail)).toEqual([
      expect.stringMatching(/already denied/),
      expect.stringMatching(/already denied/),
    ]);
  });
});

describe('privilege follows the pod spec', () => {
  it('a privileged clone is asked of the node-shell approvers; a clone approver can neither self-approve nor approve it', async () => {
    const t = await setUp(() => {}, ['hostPID', 'privileged container app']);
    await requestAction(t.deps, t.click('UB', CLONE));
    expect(t.jobs.created).toHaveLength(0);
    const ask = t.chat.thread(t.posted.ts)[0]!;
    expect(JSON.stringify(ask.blocks)).toMatch(/privileged debug clone/);
    await t.approve('UA', CLONE).catch(() => {});
    await t.approve('UB', CLONE);
    expect(t.jobs.created).toHaveLength(0);
    await t.approve('UROOT', CLONE);
    expect(t.jobs.created).toHaveLength(1);
    expect(t.jobs.created[0]!.grant).toMatchObject({ privilege: 'privileged', approvers: ['UA', 'UROOT'] });
  });
});

describe('managing a debug pod', () => {
  it('any approver may delete a pod someone else asked for; a bystander may not', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UA', CLONE));
    const slot = (await t.deps.records.get(t.id))!.slots.c0!;
    await t.deps.records.setProgress(t.id, 'c0', {
      ...slot.progress!,
      step: 'ready',
      podName: 'web-1-debug-x',
      namespace: 'shop',
    });
    await manageDebugPod(t.deps, { ...t.click('UEVE', CLONE), action: 'delete' });
    expect(t.jobs.deletions).toHaveLength(0);
    expect(t.audited('button.clicked', 'denied').at(-1)?.detail).toMatch(/delete refused/);
    await manageDebugPod(t.deps, { ...t.click('UROOT', CLONE), action: 'delete' });
    expect(t.jobs.deletions.map((d) => d.job.podName)).toEqual(['web-1-debug-x']);
  });
});

describe('a record rewritten in Redis grants nothing', () => {
  it('an approval written straight into Redis does not count: one real approver then grants nothing', async () => {
    const t = await setUp();
    await requestAction(t.deps, t.click('UEVE', SHELL));
    const key = `${t.prefix}:diagnosis:${t.id}`;
    await t.redis.hset(key, 'n.approvals', `UROOT2:${'0'.repeat(32)}`);
    await t.approve('UROOT', SHELL);
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('job.rejected')[0]?.detail).toMatch(/do not verify/);
    expect(t.tampered.map((x) => x.what)).toEqual(expect.arrayContaining([expect.stringMatching(/approval/)]));
  });

  it('a request whose pod was changed in Redis is ignored', async () => {
    const t = await setUp();
    const key = `${t.prefix}:diagnosis:${t.id}`;
    const request = JSON.parse((await t.redis.hget(key, 'request'))!);
    await t.redis.hset(key, 'request', JSON.stringify({ ...request, namespace: 'kube-system', pod: 'kube-proxy' }));
    await requestAction(t.deps, t.click('UA', CLONE));
    expect(t.jobs.created).toHaveLength(0);
    expect(t.tampered).toEqual([{ id: t.id, what: 'the request does not verify' }]);
  });

  it('a message place moved in Redis no longer accepts clicks from anywhere', async () => {
    const t = await setUp();
    const key = `${t.prefix}:diagnosis:${t.id}`;
    await t.redis.hset(key, 'message', JSON.stringify({ channel: 'C0EVIL000', ts: '1.1', body: { text: 'x' } }));
    await requestAction(t.deps, t.click('UA', CLONE, { channel: 'C0EVIL000', ts: '1.1' }));
    expect(t.jobs.created).toHaveLength(0);
    expect(t.audited('button.clicked', 'denied')[0]?.detail).toMatch(/not from its message/);
  });
});

describe('the two-person rule, whatever people click', () => {
  it('no sequence of clicks grants a node shell without two different node-shell approvers, or grants it twice', async () => {
    const people = ['UA', 'UROOT', 'UROOT2', 'UEVE', 'UB'];
    const approvers = new Set(['UA', 'UROOT', 'UROOT2']);
    const click = fc.record({
      user: fc.constantFrom(...people),
      what: fc.constantFrom('request', 'approve', 'approve', 'deny') as fc.Arbitrary<'request' | 'approve' | 'deny'>,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(click, { minLength: 1, maxLength: 8 }), fc.boolean(), async (clicks, racing) => {
        const t = await setUp();
        const run = async ({ user, what }: { user: string; what: 'request' | 'approve' | 'deny' }) => {
          if (what === 'request') return requestAction(t.deps, t.click(user, SHELL));
          const ask = (await t.deps.records.get(t.id))?.slots.n?.ask;
          if (ask) await t.approve(user, SHELL, what, ask);
        };
        if (racing) await Promise.all(clicks.map(run));
        else for (const c of clicks) await run(c);
        expect(t.jobs.created.length).toBeLessThanOrEqual(1);
        const grant = t.jobs.created[0]?.grant;
        if (grant) {
          expect(new Set(grant.approvers).size).toBe(grant.approvers.length);
          expect(grant.approvers.length).toBeGreaterThanOrEqual(2);
          for (const u of grant.approvers) expect(approvers.has(u)).toBe(true);
        }
        expect(t.chat.thread(t.posted.ts).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });
});
