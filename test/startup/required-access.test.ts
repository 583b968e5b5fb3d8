import { describe, expect, it } from 'vitest';
import { describeMissingAccess, requiredAccess } from '../../src/startup/index.js';

const base = {
  alerts: { enabled: false } as never,
  namespaces: { allow: ['*'], deny: ['kube-system'] },
  nodeShell: { enabled: true, namespace: 'debugdead-nodeshell' } as never,
};

const writesIn = (needs: ReturnType<typeof requiredAccess>) =>
  [...new Set(needs.filter((n) => n.namespace).map((n) => n.namespace))].sort();

describe('requiredAccess: what the bot asks the API server about at start', () => {
  it.each([
    {
      name: 'a glob allows no one namespace: writes only in the node-shell namespace',
      allow: ['*'],
      want: ['debugdead-nodeshell'],
    },
    {
      name: 'literal namespaces each need pod writes',
      allow: ['demo', 'shop'],
      want: ['debugdead-nodeshell', 'demo', 'shop'],
    },
    { name: 'a denied namespace needs none', allow: ['demo', 'kube-system'], want: ['debugdead-nodeshell', 'demo'] },
    { name: 'globs and names mixed: only the names', allow: ['prod-*', 'demo'], want: ['debugdead-nodeshell', 'demo'] },
  ])('$name', ({ allow, want }) => {
    expect(writesIn(requiredAccess({ ...base, namespaces: { allow, deny: ['kube-system'] } }))).toEqual(want);
  });

  it('pod watch is asked for only when alerts are on', () => {
    const watch = (enabled: boolean) =>
      requiredAccess({ ...base, alerts: { enabled } as never }).some((n) => n.verb === 'watch');
    expect([watch(false), watch(true)]).toEqual([false, true]);
  });

  it('reads are fatal, writes are not', () => {
    for (const need of requiredAccess(base)) expect(need.fatal).toBe(need.namespace === undefined);
  });
});

describe('describeMissingAccess', () => {
  it('one sentence per resource and scope, its verbs together', () => {
    const needs = requiredAccess({
      ...base,
      namespaces: { allow: ['demo'], deny: [] },
      nodeShell: { enabled: false } as never,
    });
    const missing = needs.filter((n) => n.namespace === 'demo' || (n.resource === 'jobs' && n.group === 'batch'));
    expect(describeMissingAccess(missing)).toEqual([
      'Kubernetes RBAC: the bot may not get jobs at the cluster scope (diagnoses follow the pod owner). Add {apiGroups: ["batch"], resources: [jobs], verbs: [get]} to the ClusterRole debugdead-read (deploy/base/rbac.yaml).',
      'Kubernetes RBAC: the bot may not create, patch, delete pods in the namespace "demo" (debug clones are created, extended and deleted there). Bind the ClusterRole debugdead-pod-writer ({apiGroups: [""], resources: [pods], verbs: [create, patch, delete]}) there with a RoleBinding: `debugdead pod-writes` writes them from namespaces.allow (deploy/components/pod-writes).',
    ]);
  });
});
