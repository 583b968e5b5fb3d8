import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Grant } from '../../src/actions/index.js';
import {
  type AuthorizeInput,
  authorize,
  formatApprovers,
  matchGlob,
  mayViewAudit,
  namespaceAllowed,
  type PolicyConfig,
  recheckGrant,
} from '../../src/approvals/index.js';
import type { Config } from '../../src/config/index.js';

const config: PolicyConfig = {
  approvers: { users: ['UALICE'], groups: ['SONCALL'] },
  nodeShell: {
    enabled: true,
    approvers: { users: ['UROOT', 'UROOT2'], groups: ['SSRE'] },
    twoPersonRule: true,
  } as Config['nodeShell'],
  namespaces: { allow: ['shop', 'prod-*'], deny: ['prod-secret*', 'kube-system'] },
};
const input = (over: Partial<AuthorizeInput>): AuthorizeInput => ({
  kind: 'clone',
  privilege: 'standard',
  namespace: 'shop',
  user: 'UALICE',
  userGroups: [],
  ...over,
});
const nobody = { users: [], groups: [] };

describe('who counts as an approver of an action', () => {
  it.each([
    ['a listed clone approver, for a standard clone', input({}), true, 1],
    ['a member of a clone approver group', input({ user: 'UCAROL', userGroups: ['SONCALL'] }), true, 1],
    ['someone outside the clone approvers', input({ user: 'UEVE', userGroups: ['SOTHER'] }), false, 1],
    ['a clone approver, for a node shell', input({ kind: 'node-shell', privilege: 'privileged' }), false, 2],
    [
      'a clone approver, for a privileged clone (node-shell class)',
      input({ privilege: 'privileged', userGroups: ['SONCALL'] }),
      false,
      2,
    ],
    ['a node-shell approver, for a privileged clone', input({ privilege: 'privileged', user: 'UROOT' }), true, 2],
    [
      'a member of the node-shell group, for a node shell',
      input({ kind: 'node-shell', privilege: 'privileged', user: 'UD', userGroups: ['SSRE'] }),
      true,
      2,
    ],
  ])('%s: approver %s, %s people needed', (_name, click, approver, required) => {
    expect(authorize(config, click)).toMatchObject({ ok: true, isApprover: approver, rule: { required } });
  });

  it('without the two-person rule one node-shell approver suffices', () => {
    const relaxed = { ...config, nodeShell: { ...config.nodeShell, twoPersonRule: false } };
    expect(authorize(relaxed, input({ kind: 'node-shell', privilege: 'privileged', user: 'UROOT' }))).toMatchObject({
      ok: true,
      rule: { required: 1 },
    });
  });

  it.each([
    [
      'no clone approvers configured: nobody may approve a clone',
      { ...config, approvers: nobody },
      input({}),
      'nobody-may-approve',
      /`approvers` lists nobody/,
    ],
    [
      'no node-shell approvers: nobody may approve a node shell',
      { ...config, nodeShell: { ...config.nodeShell, approvers: nobody } },
      input({ kind: 'node-shell', privilege: 'privileged', user: 'UROOT' }),
      'nobody-may-approve',
      /`nodeShell.approvers` lists nobody/,
    ],
    [
      'no node-shell approvers: nobody may approve a privileged clone either',
      { ...config, nodeShell: { ...config.nodeShell, approvers: nobody } },
      input({ privilege: 'privileged' }),
      'nobody-may-approve',
      /privileged debug clone/,
    ],
    [
      'a denied namespace refuses even an approver',
      config,
      input({ namespace: 'kube-system' }),
      'namespace-denied',
      /namespaces.deny/,
    ],
    ['deny wins over allow', config, input({ namespace: 'prod-secrets' }), 'namespace-denied', /prod-secret\*/],
    ['outside the allow list', config, input({ namespace: 'staging' }), 'namespace-denied', /namespaces.allow/],
    [
      'node shells switched off',
      { ...config, nodeShell: { ...config.nodeShell, enabled: false } },
      input({ kind: 'node-shell', privilege: 'privileged', user: 'UROOT' }),
      'kind-disabled',
      /nodeShell.enabled/,
    ],
  ])('%s', (_name, policy, click, reason, message) => {
    const verdict = authorize(policy, click);
    expect(verdict).toMatchObject({ ok: false, reason });
    expect(verdict.ok ? '' : verdict.message).toMatch(message);
  });

  it('`anyone: true` opens a set explicitly (sandboxes)', () => {
    const open = { ...config, approvers: { users: [], groups: [], anyone: true } };
    expect(authorize(open, input({ user: 'UEVE' }))).toMatchObject({ ok: true, isApprover: true });
  });

  it('mentions approvers the way Slack renders them', () => {
    expect(formatApprovers({ users: ['U1', 'U2'], groups: ['S1'] })).toBe('<@U1>, <@U2>, <!subteam^S1>');
  });
});

describe("the worker's re-check of a verified grant", () => {
  const grant = (over: Partial<Grant>): Grant => ({
    actionId: 'AbCdEfGh12.n',
    kind: 'node-shell',
    privilege: 'privileged',
    cluster: 'c',
    namespace: 'shop',
    node: 'node-1',
    requester: 'UROOT',
    approvers: ['UROOT', 'UROOT2'],
    expiresAt: '2030-01-01T00:00:00Z',
    ...over,
  });
  it.each([
    ['two node-shell approvers', grant({}), {}, true],
    ['a group member counts when still in the group', grant({ approvers: ['UROOT', 'UG'] }), { UG: ['SSRE'] }, true],
    ['one approver twice is one person', grant({ approvers: ['UROOT', 'UROOT'] }), {}, false],
    ['an approver removed from the set no longer counts', grant({ approvers: ['UROOT', 'UGONE'] }), {}, false],
    ['clone approvers cannot make a node shell', grant({ approvers: ['UALICE', 'UROOT'] }), {}, false],
    ['a node shell granted as standard', grant({ privilege: 'standard', approvers: ['UALICE'] }), {}, false],
    ['a denied namespace', grant({ namespace: 'kube-system' }), {}, false],
    [
      'a standard clone with one clone approver',
      grant({
        kind: 'clone',
        privilege: 'standard',
        pod: 'web',
        container: 'app',
        node: undefined,
        approvers: ['UALICE'],
      }),
      {},
      true,
    ],
    [
      'a privileged clone approved by clone approvers only',
      grant({ kind: 'clone', privilege: 'privileged', pod: 'web', container: 'app', approvers: ['UALICE', 'UX'] }),
      { UX: ['SONCALL'] },
      false,
    ],
  ])('%s: accepted %s', (_name, g, groups, ok) => {
    expect(recheckGrant(config, g, groups).ok).toBe(ok);
  });

  it('accepts a grant only with the required number of distinct approvers of its class, whatever the list', () => {
    const user = fc.constantFrom('UALICE', 'UROOT', 'UROOT2', 'UEVE', 'UG');
    fc.assert(
      fc.property(fc.array(user, { maxLength: 5 }), fc.boolean(), (approvers, twoPerson) => {
        const policy = { ...config, nodeShell: { ...config.nodeShell, twoPersonRule: twoPerson } };
        const verdict = recheckGrant(policy, grant({ approvers }), { UG: ['SSRE'] });
        const distinct = new Set(approvers.filter((u) => ['UROOT', 'UROOT2', 'UG'].includes(u)));
        expect(verdict.ok).toBe(distinct.size >= (twoPerson ? 2 : 1));
      }),
    );
  });
});

describe('namespace policy', () => {
  it.each([
    ['shop', { allow: [], deny: [] }, true],
    ['kube-system', { allow: [], deny: ['kube-system'] }, false],
    ['kube-public', { allow: ['*'], deny: ['kube-*'] }, false],
    ['prod-eu', { allow: ['prod-*'], deny: [] }, true],
    ['prod', { allow: ['prod-*'], deny: [] }, false],
    ['team-a1', { allow: ['team-?1'], deny: [] }, true],
  ])('%s with %j is allowed: %s', (ns, namespaces, ok) => {
    expect(namespaceAllowed({ namespaces }, ns).ok).toBe(ok);
  });

  it.each([
    ['prod-*', 'prod-', true],
    ['a.b', 'axb', false],
    ['*-db', 'orders-db-2', false],
  ])('glob %s matches %s: %s', (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected);
  });
});

describe('who may read the audit trail', () => {
  const base = { approvers: config.approvers, nodeShell: config.nodeShell, audit: {} } as Parameters<
    typeof mayViewAudit
  >[0];
  it.each([
    ['a clone approver', base, 'UALICE', [], true],
    ['a node-shell approver', base, 'UROOT', [], true],
    ['a member of an approver group', base, 'UX', ['SSRE'], true],
    ['anyone else', base, 'UEVE', ['SOTHER'], false],
    [
      'nobody, when no approvers are configured',
      { ...base, approvers: nobody, nodeShell: { ...config.nodeShell, approvers: nobody } },
      'UEVE',
      [],
      false,
    ],
    ['a configured viewer', { ...base, audit: { viewers: { users: ['UAUDIT'], groups: [] } } }, 'UAUDIT', [], true],
    [
      'an approver, once viewers are configured',
      { ...base, audit: { viewers: { users: ['UAUDIT'], groups: [] } } },
      'UALICE',
      [],
      false,
    ],
  ] as const)('%s', (_name, cfg, user, groups, expected) => {
    expect(mayViewAudit(cfg as Parameters<typeof mayViewAudit>[0], user, groups)).toBe(expected);
  });
});
