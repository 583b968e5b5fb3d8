import { describe, expect, it } from 'vitest';
import { type Grant, planDebugPod } from '../../src/actions/index.js';
import { buildConfig } from '../../src/config/index.js';
import type { Pod } from '../../src/kube/types.js';
import { plainDeploymentPod } from '../debugpods/pod-shapes.js';

const built = buildConfig({}, {});
if (!built.ok) throw new Error('defaults');
const config = { ...built.config, debugClone: { ...built.config.debugClone, sensitiveServiceAccounts: ['*/admin'] } };
const now = new Date('2026-12-01T10:00:00Z');
const source = plainDeploymentPod();
const container = source.spec!.containers[0]!.name;
const cloneGrant = (over: Partial<Grant> = {}): Grant => ({
  actionId: 'AbCdEfGh12.c0',
  kind: 'clone',
  privilege: 'standard',
  cluster: 'default',
  namespace: source.metadata!.namespace!,
  pod: source.metadata!.name!,
  container,
  requester: 'U1',
  approvers: ['U1'],
  expiresAt: '2026-12-01T10:10:00Z',
  ...over,
});
const withSpec = (change: (spec: NonNullable<Pod['spec']>) => void): Pod => {
  const pod = structuredClone(source);
  change(pod.spec!);
  return pod;
};

describe('the pod a grant allows', () => {
  it.each([
    ['hostPID', withSpec((s) => Object.assign(s, { hostPID: true }))],
    ['a hostPath volume', withSpec((s) => Object.assign(s, { volumes: [{ name: 'root', hostPath: { path: '/' } }] }))],
    [
      'a privileged container',
      withSpec((s) => Object.assign(s.containers[0]!, { securityContext: { privileged: true } })),
    ],
    [
      'SYS_ADMIN',
      withSpec((s) => Object.assign(s.containers[0]!, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })),
    ],
    ['a sensitive ServiceAccount', withSpec((s) => Object.assign(s, { serviceAccountName: 'admin' }))],
  ])('a clone of a pod with %s granted as standard is refused; granted as privileged it is built', (_name, pod) => {
    const refused = planDebugPod(cloneGrant(), pod, config, now);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/would be privileged/) });
    const allowed = planDebugPod(cloneGrant({ privilege: 'privileged' }), pod, config, now);
    expect(allowed.ok).toBe(true);
  });

  it('a plain clone is built in the source namespace, named from the action id, requester and approvers marked', () => {
    const plan = planDebugPod(cloneGrant({ approvers: ['U1', 'U2'] }), source, config, now);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.namespace).toBe(source.metadata!.namespace);
    expect(plan.built.pod.metadata!.annotations!['debugdead.io/request-id']).toBe('AbCdEfGh12.c0');
    expect(plan.built.pod.metadata!.annotations!['debugdead.io/requested-by']).toBe('U1');
    expect(plan.built.pod.metadata!.annotations!['debugdead.io/approved-by']).toBe('U2');
    expect(planDebugPod(cloneGrant({ approvers: ['U1', 'U2'] }), source, config, now)).toEqual(plan);
  });

  it('a node shell is built on the granted node, in nodeShell.namespace, whatever the source namespace', () => {
    const plan = planDebugPod(
      {
        ...cloneGrant({ kind: 'node-shell', privilege: 'privileged', node: 'node-7' }),
        pod: undefined,
        container: undefined,
        actionId: 'AbCdEfGh12.n',
      },
      undefined,
      config,
      now,
    );
    expect(plan).toMatchObject({ ok: true, namespace: config.nodeShell.namespace });
    if (plan.ok) expect(plan.built.pod.spec!.nodeName).toBe('node-7');
  });
});
