import { describe, expect, it } from 'vitest';
import type { LabelSelector, Pod } from '../../src/kube/index.js';
import {
  isPodOf,
  type PodStanding,
  renderWorkloadPods,
  SIBLINGS_SHOWN,
  toLabelSelector,
} from '../../src/workloads/index.js';

describe('toLabelSelector writes a workload selector as a list query', () => {
  it.each([
    { selector: { matchLabels: { app: 'checkout' } }, want: 'app=checkout' },
    { selector: { matchLabels: { app: 'a', tier: 'web' } }, want: 'app=a,tier=web' },
    {
      selector: {
        matchLabels: { app: 'a' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'eu'] },
          { key: 'canary', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      want: 'app=a,env in (prod,eu),canary notin (true),team,!legacy',
    },
    { selector: {}, want: undefined },
    { selector: undefined, want: undefined },
    { selector: { matchExpressions: [{ key: 'x', operator: 'Gt', values: ['1'] }] }, want: undefined },
  ] as { selector: LabelSelector | undefined; want: string | undefined }[])('$want', ({ selector, want }) => {
    expect(toLabelSelector(selector)).toBe(want);
  });
});

const owned = (
  name: string,
  owner: { kind: string; name: string; uid?: string },
  labels: Record<string, string> = {},
) =>
  ({
    metadata: {
      name,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', controller: true, uid: owner.uid ?? 'u', ...owner }],
    },
  }) as Pod;

describe('isPodOf keeps the pods the workload controls, not every pod its selector matches', () => {
  it.each([
    {
      name: 'a Deployment pod, through its ReplicaSet',
      pod: owned('checkout-7d9f-x', { kind: 'ReplicaSet', name: 'checkout-7d9f' }, { 'pod-template-hash': '7d9f' }),
      workload: { kind: 'Deployment', name: 'checkout' },
      want: true,
    },
    {
      name: "another Deployment's pod whose name starts the same",
      pod: owned(
        'checkout-api-7d9f-x',
        { kind: 'ReplicaSet', name: 'checkout-api-7d9f' },
        { 'pod-template-hash': '7d9f' },
      ),
      workload: { kind: 'Deployment', name: 'checkout' },
      want: false,
    },
    {
      name: 'a bare ReplicaSet pod is no Deployment pod',
      pod: owned('web-x', { kind: 'ReplicaSet', name: 'web' }),
      workload: { kind: 'Deployment', name: 'web' },
      want: false,
    },
    {
      name: 'a StatefulSet pod, by uid',
      pod: owned('db-0', { kind: 'StatefulSet', name: 'db', uid: 'u1' }),
      workload: { kind: 'StatefulSet', name: 'db', uid: 'u1' },
      want: true,
    },
    {
      name: 'a pod of an earlier StatefulSet of the same name',
      pod: owned('db-0', { kind: 'StatefulSet', name: 'db', uid: 'old' }),
      workload: { kind: 'StatefulSet', name: 'db', uid: 'u1' },
      want: false,
    },
    {
      name: 'a DaemonSet pod asked for as a Job',
      pod: owned('x', { kind: 'DaemonSet', name: 'x' }),
      workload: { kind: 'Job', name: 'x' },
      want: false,
    },
    {
      name: 'a pod without owner',
      pod: { metadata: { name: 'x' } } as Pod,
      workload: { kind: 'Job', name: 'x' },
      want: false,
    },
  ] as const)('$name', ({ pod, workload, want }) => {
    expect(isPodOf(pod, workload)).toBe(want);
  });
});

describe('renderWorkloadPods names the diagnosed pod and its siblings', () => {
  const w = { kind: 'Deployment', name: 'checkout' } as const;
  it('one pod', () => {
    expect(
      renderWorkloadPods(w, 'prod', [{ name: 'a', health: 'failing', state: 'CrashLoopBackOff', restarts: 1 }]),
    ).toBe(':package: Deployment `prod/checkout` has 1 pod. Diagnosing the worst, `a` (CrashLoopBackOff, 1 restart).');
  });
  it('siblings worst first, the rest counted', () => {
    const standings = [
      { name: 'a', health: 'failing', state: 'CrashLoopBackOff', restarts: 7 },
      { name: 'b', health: 'pending', state: 'Pending', restarts: 0 },
      ...Array.from({ length: SIBLINGS_SHOWN + 2 }, (_, i) => ({
        name: `r${i}`,
        health: 'ready',
        state: 'Ready',
        restarts: 0,
      })),
    ] as PodStanding[];
    const line = renderWorkloadPods(w, 'prod', standings);
    expect(line).toMatch(
      /^:package: Deployment `prod\/checkout` has 14 pods\. Diagnosing the worst, `a` \(CrashLoopBackOff, 7 restarts\)\. Siblings: `b` Pending · `r0` Ready/,
    );
    expect(line).toMatch(/ and 3 more\.$/);
  });
  it('a state from the cluster cannot break the line or ping anyone', () => {
    const line = renderWorkloadPods(w, 'prod', [
      { name: 'a', health: 'failing', state: '<!channel> `x`\u202e', restarts: 0 },
    ]);
    expect(line).not.toMatch(/<!channel>|\u202e/);
  });
});
