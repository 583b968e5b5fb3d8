import { describe, expect, it } from 'vitest';
import { buildLease, toMicroTime } from './build-lease.js';

describe('a virtual node heartbeat Lease', () => {
  it.each([
    ['2026-12-07T01:02:03.456Z', '2026-12-07T01:02:03.456000Z'],
    ['2026-12-07T01:02:03.000Z', '2026-12-07T01:02:03.000000Z'],
  ])('writes %s as the MicroTime %s (six fractional digits)', (iso, micro) => {
    expect(toMicroTime(new Date(iso))).toBe(micro);
  });

  it('is held by the node, named after it in kube-node-lease, and owned by its Node', () => {
    const lease = buildLease({ node: 'n1', nodeUid: 'uid-1', now: new Date('2026-12-07T00:00:00Z') });
    expect(lease.metadata).toMatchObject({
      name: 'n1',
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'uid-1' }],
    });
    expect(lease.spec).toEqual({
      holderIdentity: 'n1',
      leaseDurationSeconds: 40,
      renewTime: '2026-12-07T00:00:00.000000Z',
    });
  });
});
