import { describe, expect, it } from 'vitest';
import { forbiddenRule, KubeError } from '../../src/kube/index.js';

const SA = 'system:serviceaccount:debugdead-system:debugdead';

describe('forbiddenRule reads the missing permission out of a 403', () => {
  it.each([
    {
      name: 'pods/log in a namespace',
      message: `pods "web-1" is forbidden: User "${SA}" cannot get resource "pods/log" in API group "" in the namespace "prod"`,
      rule: { user: SA, verb: 'get', resource: 'pods/log', apiGroup: '', namespace: 'prod', clusterScope: false },
    },
    {
      name: 'a cluster-wide pod list',
      message: `pods is forbidden: User "${SA}" cannot list resource "pods" in API group "" at the cluster scope`,
      rule: { user: SA, verb: 'list', resource: 'pods', apiGroup: '', clusterScope: true },
    },
    {
      name: 'a ReplicaSet in the apps group',
      message: `replicasets.apps "web-5d8f" is forbidden: User "${SA}" cannot get resource "replicasets" in API group "apps" in the namespace "demo"`,
      rule: {
        user: SA,
        verb: 'get',
        resource: 'replicasets',
        apiGroup: 'apps',
        namespace: 'demo',
        clusterScope: false,
      },
    },
    {
      name: 'a create with an RBAC note appended',
      message: `pods is forbidden: User "${SA}" cannot create resource "pods" in API group "" in the namespace "demo": RBAC: role.rbac.authorization.k8s.io "debugdead" not found`,
      rule: { user: SA, verb: 'create', resource: 'pods', apiGroup: '', namespace: 'demo', clusterScope: false },
    },
  ])('$name', ({ message, rule }) => {
    expect(forbiddenRule(message)).toEqual(rule);
    expect(forbiddenRule(new KubeError('Forbidden', 403, message))).toEqual(rule);
  });

  it.each([
    'Unauthorized',
    'admission webhook "policy.example.com" denied the request: no debug pods on Fridays',
    'pods "x" not found',
  ])('is undefined for text that is not an RBAC denial: %s', (message) => {
    expect(forbiddenRule(message)).toBeUndefined();
  });
});
