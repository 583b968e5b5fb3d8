import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalPolicy,
  approvalPolicyFromConfig,
  type DecideInput,
  decide,
  formatApprovers,
  matchGlob,
  mayViewAudit,
  namespaceAllowed,
} from '../../src/approvals/index.js';

const policy: ApprovalPolicy = {
  approvers: { users: ['UALICE'], groups: ['SONCALL'] },
  nodeShellApprovers: { users: ['UROOT', 'UROOT2'], groups: ['SSRE'] },
  twoPersonRule: true,
  namespaces: { allow: ['shop', 'prod-*'], deny: ['prod-secret*', 'kube-system'] },
};
const click = (over: Partial<DecideInput>): DecideInput => ({
  policy,
  kind: 'clone',
  namespace: 'shop',
  clicker: 'UALICE',
  requester: 'UBOB',
  clickerGroups: [],
  ...over,
});
const cloneApprovers = '<@UALICE>, <!subteam^SONCALL>';
const shellApprovers = '<@UROOT>, <@UROOT2>, <!subteam^SSRE>';

describe('who may approve a debug pod', () => {
  it.each([
    ['a listed clone approver may approve a clone', click({}), { allowed: true }],
    [
      'a member of an approver group may approve a clone',
      click({ clicker: 'UCAROL', clickerGroups: ['SONCALL'] }),
      { allowed: true },
    ],
    [
      'the requester may approve their own clone when they are an approver',
      click({ requester: 'UALICE' }),
      { allowed: true },
    ],
    [
      'a node-shell approver may approve someone else’s node shell',
      click({ kind: 'node-shell', clicker: 'UROOT' }),
      { allowed: true },
    ],
    [
      'a member of the node-shell group may approve a node shell',
      click({ kind: 'node-shell', clicker: 'UDAVE', clickerGroups: ['SSRE'] }),
      { allowed: true },
    ],
    [
      'without the two-person rule a node-shell approver may approve their own',
      click({ kind: 'node-shell', clicker: 'UROOT', requester: 'UROOT', policy: { ...policy, twoPersonRule: false } }),
      { allowed: true },
    ],
    [
      'with no clone approvers configured, anyone may approve a clone',
      click({ clicker: 'UANY', policy: { ...policy, approvers: { users: [], groups: [] } } }),
      { allowed: true },
    ],
  ] as [string, DecideInput, unknown][])('%s', (_name, input, expected) => {
    expect(decide(input)).toEqual(expected);
  });

  it.each([
    [
      'someone outside the approvers is refused a clone, and told who may',
      click({ clicker: 'UEVE', clickerGroups: ['SOTHER'] }),
      'not-an-approver',
      `You are not an approver for a debug clone. Approvers: ${cloneApprovers}.`,
      policy.approvers,
    ],
    [
      'a clone approver is not thereby a node-shell approver',
      click({ kind: 'node-shell', clicker: 'UALICE', clickerGroups: ['SONCALL'] }),
      'not-an-approver',
      `You are not an approver for a node shell. Approvers: ${shellApprovers}.`,
      policy.nodeShellApprovers,
    ],
    [
      'the two-person rule refuses a node shell approved by its own requester',
      click({ kind: 'node-shell', clicker: 'UROOT', requester: 'UROOT' }),
      'two-person-rule',
      `A node shell needs a second person: an approver other than you must approve it (${shellApprovers}).`,
      policy.nodeShellApprovers,
    ],
    [
      'with no node-shell approvers configured nobody may approve a node shell',
      click({
        kind: 'node-shell',
        clicker: 'UROOT',
        policy: { ...policy, nodeShellApprovers: { users: [], groups: [] } },
      }),
      'not-an-approver',
      'Node shells are off: nodeShell.approvers lists nobody who may approve one. An admin can add users or groups.',
      { users: [], groups: [] },
    ],
    [
      'a denied namespace refuses even an approver',
      click({ namespace: 'kube-system' }),
      'namespace-denied',
      'Namespace `kube-system` is excluded by namespaces.deny (`kube-system`). The bot creates no debug pods for it.',
      policy.approvers,
    ],
    [
      'deny wins over a matching allow pattern',
      click({ namespace: 'prod-secrets', kind: 'node-shell', clicker: 'UROOT' }),
      'namespace-denied',
      'Namespace `prod-secrets` is excluded by namespaces.deny (`prod-secret*`). The bot creates no debug pods for it.',
      policy.nodeShellApprovers,
    ],
    [
      'a namespace outside the allow list is refused',
      click({ namespace: 'staging' }),
      'namespace-denied',
      'Namespace `staging` is not in namespaces.allow (`shop`, `prod-*`). The bot creates no debug pods for it.',
      policy.approvers,
    ],
  ] as [string, DecideInput, string, string, unknown][])('%s', (_name, input, reason, message, approvers) => {
    expect(decide(input)).toEqual({ allowed: false, reason, message, approvers });
  });
});

describe('namespace policy', () => {
  it.each([
    ['shop', { allow: [], deny: [] }, true],
    ['anything', { allow: [], deny: ['kube-system'] }, true],
    ['kube-system', { allow: [], deny: ['kube-system'] }, false],
    ['kube-public', { allow: ['*'], deny: ['kube-*'] }, false],
    ['prod-eu', { allow: ['prod-*'], deny: [] }, true],
    ['prod', { allow: ['prod-*'], deny: [] }, false],
    ['team-a1', { allow: ['team-?1'], deny: [] }, true],
    ['team-ab1', { allow: ['team-?1'], deny: [] }, false],
  ])('%s with allow %j is allowed: %s', (ns, namespaces, ok) => {
    expect(namespaceAllowed({ namespaces }, ns).ok).toBe(ok);
  });
});

describe('glob patterns', () => {
  it.each([
    ['prod-*', 'prod-', true],
    ['*', '', true],
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['*-db', 'orders-db', true],
    ['*-db', 'orders-db-2', false],
  ])('%s matches %s: %s', (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected);
  });
});

describe('policy from the configuration', () => {
  it('takes the node-shell approvers, two-person rule and namespaces from their config keys', () => {
    const config = {
      approvers: { users: ['U1'], groups: [] },
      namespaces: { allow: ['*'], deny: ['kube-system'] },
      nodeShell: { approvers: { users: [], groups: ['S1'] }, twoPersonRule: false },
    } as unknown as Parameters<typeof approvalPolicyFromConfig>[0];
    expect(approvalPolicyFromConfig(config)).toEqual({
      approvers: { users: ['U1'], groups: [] },
      nodeShellApprovers: { users: [], groups: ['S1'] },
      twoPersonRule: false,
      namespaces: { allow: ['*'], deny: ['kube-system'] },
    });
  });

  it('mentions approvers the way Slack renders them', () => {
    expect(formatApprovers({ users: ['U1', 'U2'], groups: ['S1'] })).toBe('<@U1>, <@U2>, <!subteam^S1>');
  });
});

describe('authorisation, whatever the policy and the click', () => {
  const user = fc.constantFrom('U1', 'U2', 'U3', 'U4');
  const group = fc.constantFrom('S1', 'S2', 'S3');
  const set = fc.record({ users: fc.uniqueArray(user), groups: fc.uniqueArray(group) });
  const glob = fc.constantFrom('*', 'prod-*', 'shop', 'kube-*', 'team-?');
  const inputArb: fc.Arbitrary<DecideInput> = fc.record({
    policy: fc.record({
      approvers: set,
      nodeShellApprovers: set,
      twoPersonRule: fc.boolean(),
      namespaces: fc.record({ allow: fc.uniqueArray(glob), deny: fc.uniqueArray(glob) }),
    }),
    kind: fc.constantFrom('clone' as const, 'node-shell' as const),
    namespace: fc.constantFrom('prod-eu', 'shop', 'kube-system', 'team-a', 'other'),
    clicker: user,
    requester: user,
    clickerGroups: fc.uniqueArray(group),
  });

  it('a node shell is allowed only to a listed node-shell approver, and never to its requester under the two-person rule', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(input.kind === 'node-shell' && decide(input).allowed);
        const set = input.policy.nodeShellApprovers;
        expect(set.users.includes(input.clicker) || set.groups.some((g) => input.clickerGroups.includes(g))).toBe(true);
        expect(input.policy.twoPersonRule && input.clicker === input.requester).toBe(false);
      }),
    );
  });

  it('nothing is allowed in a namespace a deny pattern matches', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        fc.pre(input.policy.namespaces.deny.some((p) => matchGlob(p, input.namespace)));
        expect(decide(input)).toMatchObject({ allowed: false, reason: 'namespace-denied' });
      }),
    );
  });

  it('every refusal carries a sentence and the approvers to ask', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decide(input);
        if (decision.allowed) return;
        expect(decision.message.length).toBeGreaterThan(20);
        const expected = input.kind === 'clone' ? input.policy.approvers : input.policy.nodeShellApprovers;
        expect(decision.approvers).toEqual(expected);
      }),
    );
  });
});

describe('who may read the audit trail', () => {
  it.each([
    ['a clone approver', 'UALICE', [], true],
    ['a node-shell approver', 'UROOT', [], true],
    ['a member of an approver group', 'UX', ['SSRE'], true],
    ['anyone else', 'UEVE', ['SOTHER'], false],
  ])('%s: %s', (_name, user, groups, expected) => {
    expect(mayViewAudit(policy, user, groups)).toBe(expected);
  });

  it('anyone, when no clone approvers are configured', () => {
    expect(mayViewAudit({ ...policy, approvers: { users: [], groups: [] } }, 'UEVE', [])).toBe(true);
  });
});
