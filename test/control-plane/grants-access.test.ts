import { describe, expect, it } from 'vitest';
import { type AccessProbe, grantsAccess } from './grants-access.js';

const SA = { namespace: 'ops', name: 'bot' };
const subject = [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ops' }];
const manifests = [
  {
    kind: 'ClusterRole',
    metadata: { name: 'reader' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['one'] },
    ],
  },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'reader' },
    roleRef: { kind: 'ClusterRole', name: 'reader' },
    subjects: subject,
  },
  {
    kind: 'Role',
    metadata: { name: 'writer', namespace: 'team' },
    rules: [{ apiGroups: [''], resources: ['pods/*'], verbs: ['*'] }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'writer', namespace: 'team' },
    roleRef: { kind: 'Role', name: 'writer' },
    subjects: subject,
  },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'someone-else' },
    roleRef: { kind: 'ClusterRole', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'elsewhere' }],
  },
];

const cases: { name: string; probe: AccessProbe; serviceAccount?: typeof SA; expected: boolean }[] = [
  {
    name: 'a listed verb on a listed resource',
    probe: { verb: 'get', resource: 'pods', group: '', namespace: 'a' },
    expected: true,
  },
  { name: 'an unlisted verb', probe: { verb: 'delete', resource: 'pods', group: '', namespace: 'a' }, expected: false },
  {
    name: 'a listed subresource',
    probe: { verb: 'get', resource: 'pods', subresource: 'log', group: '', namespace: 'a' },
    expected: true,
  },
  {
    name: 'an unlisted subresource',
    probe: { verb: 'get', resource: 'pods', subresource: 'exec', group: '', namespace: 'a' },
    expected: false,
  },
  {
    name: 'a resource wildcard within its group',
    probe: { verb: 'get', resource: 'deployments', group: 'apps', namespace: 'a' },
    expected: true,
  },
  {
    name: 'the same resource in another group',
    probe: { verb: 'get', resource: 'deployments', group: 'extensions', namespace: 'a' },
    expected: false,
  },
  {
    name: 'a rule limited to resourceNames, asked without a name',
    probe: { verb: 'get', resource: 'configmaps', group: '', namespace: 'a' },
    expected: false,
  },
  {
    name: 'a RoleBinding in its namespace',
    probe: { verb: 'create', resource: 'pods', subresource: 'exec', group: '', namespace: 'team' },
    expected: true,
  },
  {
    name: 'a RoleBinding outside its namespace',
    probe: { verb: 'create', resource: 'pods', subresource: 'exec', group: '', namespace: 'a' },
    expected: false,
  },
  {
    name: 'a RoleBinding for a cluster-scoped request',
    probe: { verb: 'create', resource: 'pods', subresource: 'exec', group: '' },
    expected: false,
  },
  {
    name: 'a ServiceAccount of the same name in another namespace',
    probe: { verb: 'delete', resource: 'pods', subresource: 'exec', group: '', namespace: 'team' },
    serviceAccount: { namespace: 'elsewhere', name: 'bot' },
    expected: false,
  },
];

describe('grantsAccess reads RBAC as the API server does', () => {
  it.each(cases)('$name: $expected', ({ probe, serviceAccount, expected }) => {
    expect(grantsAccess(manifests, serviceAccount ?? SA, probe)).toBe(expected);
  });
});
