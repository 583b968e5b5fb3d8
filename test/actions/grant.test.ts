import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Grant, signGrant, verifyGrant } from '../../src/actions/index.js';

const KEY = 'k'.repeat(64);
const now = new Date('2026-12-01T10:00:00Z');
const grant: Grant = {
  actionId: 'AbCdEfGh12.c0',
  kind: 'clone',
  privilege: 'standard',
  cluster: 'prod',
  namespace: 'shop',
  pod: 'web-1',
  container: 'app',
  requester: 'U1',
  approvers: ['U1'],
  expiresAt: '2026-12-01T10:10:00Z',
};

describe('signed grants', () => {
  it('a grant signed with the key verifies', () => {
    expect(verifyGrant(signGrant(grant, KEY), KEY, now, 'prod')).toEqual({ ok: true, grant });
  });

  it.each([
    ['another namespace', { namespace: 'kube-system' }],
    ['another pod', { pod: 'kube-proxy' }],
    ['another container', { container: 'sidecar' }],
    ['another kind', { kind: 'node-shell' as const }],
    ['a raised privilege class', { privilege: 'privileged' as const }],
    ['another requester', { requester: 'U9' }],
    ['another approver', { approvers: ['U9'] }],
    ['an extra approver', { approvers: ['U1', 'U9'] }],
    ['a later expiry', { expiresAt: '2030-01-01T00:00:00Z' }],
    ['another action id', { actionId: 'ZZZZZZZZ12.c0' }],
    ['a node added', { node: 'node-1' }],
    ['a debug-container profile added', { profile: 'sysadmin' }],
    ['a debug-container image added', { image: 'evil/image:latest' }],
  ])('changing %s breaks the signature', (_name, change) => {
    const signed = signGrant(grant, KEY);
    const forged = { ...signed, grant: { ...signed.grant, ...change } };
    expect(verifyGrant(forged, KEY, now, 'prod')).toEqual({ ok: false, problem: 'bad-signature' });
  });

  it.each([
    ['another key', () => signGrant(grant, 'x'.repeat(64)), 'bad-signature'],
    ['no signature', () => ({ grant }), 'malformed'],
    ['a short signature', () => ({ grant, signature: 'ab' }), 'malformed'],
    ['an old-style job', () => ({ actionId: 'AbCdEfGh12.c0', approvedBy: 'U1' }), 'malformed'],
    ['not an object', () => 'grant', 'malformed'],
    ['an expired grant', () => signGrant({ ...grant, expiresAt: '2026-12-01T09:59:59Z' }, KEY), 'expired'],
    ['a grant for another cluster', () => signGrant({ ...grant, cluster: 'dev' }, KEY), 'other-cluster'],
  ])('refuses %s', (_name, make, problem) => {
    expect(verifyGrant(make(), KEY, now, 'prod')).toEqual({ ok: false, problem });
  });

  it('approvers are signed as a set: order and repeats do not matter, and are normalised away', () => {
    const a = signGrant({ ...grant, approvers: ['U2', 'U1', 'U2'] }, KEY);
    const b = signGrant({ ...grant, approvers: ['U1', 'U2'] }, KEY);
    expect(a).toEqual(b);
    expect(a.grant.approvers).toEqual(['U1', 'U2']);
  });

  it('no field edit of any string verifies', () => {
    const signed = signGrant(grant, KEY);
    const fields = ['actionId', 'cluster', 'namespace', 'pod', 'container', 'requester', 'expiresAt'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 40 }), (field, value) => {
        fc.pre(value !== signed.grant[field]);
        const forged = { ...signed, grant: { ...signed.grant, [field]: value } };
        expect(verifyGrant(forged, KEY, now, 'prod').ok).toBe(false);
      }),
    );
  });
});

describe('signed debug-container grants', () => {
  const dc: Grant = {
    ...grant,
    actionId: 'AbCdEfGh12.e0',
    kind: 'ephemeral',
    profile: 'general',
    image: 'busybox:1.37-musl',
  };

  it('verify with their profile and image', () => {
    expect(verifyGrant(signGrant(dc, KEY), KEY, now, 'prod')).toEqual({ ok: true, grant: dc });
  });

  it.each([
    ['a raised profile', { profile: 'sysadmin' }],
    ['another image', { image: 'nicolaka/netshoot:v0.13' }],
    ['the profile removed', { profile: undefined }],
    ['another kind', { kind: 'clone' as const }],
  ])('%s breaks the signature', (_name, change) => {
    const signed = signGrant(dc, KEY);
    const forged = { ...signed, grant: { ...signed.grant, ...change } };
    expect(verifyGrant(forged, KEY, now, 'prod')).toEqual({ ok: false, problem: 'bad-signature' });
  });
});
