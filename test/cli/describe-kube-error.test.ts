import { describe, expect, it } from 'vitest';
import { checkNames } from '../../src/cli/check-names.js';
import { describeKubeError } from '../../src/cli/describe-kube-error.js';
import type { KubeErrorKind } from '../../src/kube/index.js';

const pod = { resource: 'pod', name: 'web-1', namespace: 'prod' } as const;
const denied =
  'pods "web-1" is forbidden: User "system:serviceaccount:ops:alice" cannot get resource "pods" in API group "" in the namespace "prod"';

describe('describeKubeError', () => {
  it.each([
    {
      name: 'a missing pod with nothing close',
      kind: 'NotFound',
      message: 'pods "web-1" not found',
      context: {},
      want: 'There is no pod "web-1" in namespace "prod".',
    },
    {
      name: 'a missing pod with close names',
      kind: 'NotFound',
      message: 'pods "web-1" not found',
      context: { suggestions: { similarNames: ['web-5d8f7-x2kq4', 'web-2'], namespacesWithName: [] } },
      want: 'There is no pod "web-1" in namespace "prod".\nDid you mean: web-5d8f7-x2kq4, web-2?',
    },
    {
      name: 'a pod of that name in other namespaces',
      kind: 'NotFound',
      message: 'pods "web-1" not found',
      context: { suggestions: { similarNames: [], namespacesWithName: ['staging', 'dev'] } },
      want: 'There is no pod "web-1" in namespace "prod".\nA pod of that name exists in namespaces staging, dev (-n staging or -n dev).',
    },
    {
      name: 'a 403 from RBAC names the rule to grant',
      kind: 'Forbidden',
      message: denied,
      context: {},
      want:
        'system:serviceaccount:ops:alice may not get pods in namespace "prod".\n' +
        'Grant verb "get" on resource "pods" through a Role in namespace "prod" and its binding (deploy/ has the bot\'s RBAC).',
    },
    {
      name: 'a 403 from another authorizer keeps its words',
      kind: 'Forbidden',
      message: 'admission webhook denied the request',
      context: {},
      want: 'Kubernetes refused to let you read the pod "web-1" in namespace "prod": admission webhook denied the request',
    },
    {
      name: 'a timeout names the setting',
      kind: 'Timeout',
      message: 'reading pod prod/web-1: no answer from the Kubernetes API at https://k8s:6443 within 10000 ms',
      context: { timeoutSeconds: 10 },
      want:
        'Gave up waiting for the Kubernetes API: reading pod prod/web-1: no answer from the Kubernetes API at ' +
        'https://k8s:6443 within 10000 ms. Each call may take 10s (kubernetes.requestTimeout in debugdead.yaml).',
    },
    {
      name: 'an unreachable API keeps src/kube sentence',
      kind: 'Unavailable',
      message: 'reading pod prod/web-1: cannot reach the Kubernetes API at https://k8s:6443 (connection refused)',
      context: {},
      want: 'reading pod prod/web-1: cannot reach the Kubernetes API at https://k8s:6443 (connection refused)',
    },
  ] as { name: string; kind: KubeErrorKind; message: string; context: object; want: string }[])(
    '$name',
    ({ kind, message, context, want }) => {
      expect(describeKubeError({ kind, message }, pod, context)).toBe(want);
    },
  );

  it('a denied cluster-wide read asks for a ClusterRole', () => {
    const text = describeKubeError(
      {
        kind: 'Forbidden',
        message: 'nodes "n1" is forbidden: User "bob" cannot get resource "nodes" in API group "" at the cluster scope',
      },
      { resource: 'node', name: 'n1' },
    );
    expect(text).toBe(
      'bob may not get nodes at the cluster scope.\n' +
        'Grant verb "get" on resource "nodes" through a ClusterRole and its binding (deploy/ has the bot\'s RBAC).',
    );
  });
});

describe('checkNames', () => {
  it.each([
    [{ pod: 'web-5d8f7.x', namespace: 'prod', container: 'app' }, undefined],
    [{ node: 'ip-10-0-0-1.ec2.internal' }, undefined],
    [{ pod: 'Web' }, /"Web" is not a valid pod name: Kubernetes names are lowercase/],
    [{ pod: 'web', namespace: 'my.ns' }, /"my\.ns" is not a valid namespace/],
    [{ pod: 'web', container: 'a'.repeat(64) }, /too long: at most 63 characters/],
    [{ node: '-node' }, /not a valid node name/],
  ])('%o → %s', (names, want) => {
    const problem = checkNames(names);
    if (want === undefined) expect(problem).toBeUndefined();
    else {
      expect(problem).toMatch(want);
      expect(problem).not.toContain('`');
    }
  });
});
