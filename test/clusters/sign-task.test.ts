import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveClusterKey, signTask, type Task, verifyTask } from '../../src/clusters/index.js';

const gatewayKey = 'g'.repeat(64);
const euKey = deriveClusterKey(gatewayKey, 'prod-eu');
const usKey = deriveClusterKey(gatewayKey, 'prod-us');
const now = new Date('2026-12-07T04:00:00Z');
const task: Task = {
  kind: 'diagnose',
  cluster: 'prod-eu',
  expiresAt: '2026-12-07T04:00:30Z',
  body: { namespace: 'prod', pod: 'web-1' },
};

describe('signed tasks between the gateway and an agent', () => {
  it('a cluster key is its own: derived keys differ per cluster and from the gateway key', () => {
    expect(euKey).not.toBe(usKey);
    expect(euKey).not.toContain(gatewayKey);
    expect(euKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the agent of the cluster accepts the task', () => {
    expect(verifyTask(signTask(task, euKey), euKey, now, 'prod-eu')).toEqual({ ok: true, task });
  });

  it.each([
    {
      name: 'signed with another cluster key',
      data: signTask(task, usKey),
      key: euKey,
      cluster: 'prod-eu',
      problem: 'bad-signature',
    },
    {
      name: 'verified by another cluster',
      data: signTask(task, euKey),
      key: usKey,
      cluster: 'prod-us',
      problem: 'bad-signature',
    },
    {
      name: 'for another cluster, same key',
      data: signTask(task, euKey),
      key: euKey,
      cluster: 'prod-us',
      problem: 'other-cluster',
    },
    {
      name: 'expired',
      data: signTask({ ...task, expiresAt: '2026-12-07T03:59:59Z' }, euKey),
      key: euKey,
      cluster: 'prod-eu',
      problem: 'expired',
    },
    { name: 'not a task', data: { task: 1, signature: 'x' }, key: euKey, cluster: 'prod-eu', problem: 'malformed' },
    { name: 'no object', data: null, key: euKey, cluster: 'prod-eu', problem: 'malformed' },
  ])('refused: $name', ({ data, key, cluster, problem }) => {
    expect(verifyTask(data, key, now, cluster)).toEqual({ ok: false, problem });
  });

  it('any change to a signed task, its body included, is refused', () => {
    const signed = signTask(task, euKey);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (pod) => {
        fc.pre(pod !== 'web-1');
        const changed = { ...signed, task: { ...signed.task, body: { namespace: 'prod', pod } } };
        expect(verifyTask(changed, euKey, now, 'prod-eu')).toEqual({ ok: false, problem: 'bad-signature' });
      }),
    );
  });

  it('key order does not change the signature', () => {
    const reordered = {
      body: { pod: 'web-1', namespace: 'prod' },
      expiresAt: task.expiresAt,
      cluster: 'prod-eu',
      kind: 'diagnose',
    };
    expect(verifyTask({ task: reordered, signature: signTask(task, euKey).signature }, euKey, now, 'prod-eu').ok).toBe(
      true,
    );
  });
});
