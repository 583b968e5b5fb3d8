import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/config/index.js';
import {
  buildNodeShell,
  CLONE_DEFAULTS,
  DebugPodError,
  NODE_SHELL_DEFAULTS,
  type NodeShellRequest,
} from '../../src/debugpods/index.js';

const request: NodeShellRequest = {
  requestId: 'req-9',
  node: 'ip-10-0-3-17.eu-west-1.compute.internal',
  requestedBy: 'U01ALICE',
  approvedBy: 'U02BOB',
  ttlSeconds: 900,
  maxTtlSeconds: 3600,
  image: 'busybox:1.37-musl',
};
const ids = { suffix: 'p7q2m', now: new Date('2026-11-23T09:15:00Z') };
const NODE = 'ip-10-0-3-17.eu-west-1.compute.internal';

describe('buildNodeShell', () => {
  it('builds the privileged host-namespace pod of the rule book', () => {
    expect(buildNodeShell(NODE, { ...request, mountHostRoot: false }, ids)).toEqual({
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'node-shell-ip-10-0-3-17-eu-west-1-compute-internal-p7q2m',
          namespace: 'debugdead-nodeshell',
          labels: {
            'debugdead.io/managed': 'true',
            'debugdead.io/kind': 'node-shell',
            'debugdead.io/request-id': 'req-9',
            'sidecar.istio.io/inject': 'false',
          },
          annotations: {
            'debugdead.io/node': NODE,
            'debugdead.io/requested-by': 'U01ALICE',
            'debugdead.io/approved-by': 'U02BOB',
            'debugdead.io/request-id': 'req-9',
            'debugdead.io/expires-at': '2026-11-23T09:30:00.000Z',
          },
        },
        spec: {
          nodeName: NODE,
          hostPID: true,
          hostNetwork: true,
          hostIPC: true,
          tolerations: [{ operator: 'Exists' }],
          restartPolicy: 'Never',
          activeDeadlineSeconds: 3600,
          terminationGracePeriodSeconds: 0,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: 'shell',
              image: 'busybox:1.37-musl',
              imagePullPolicy: 'IfNotPresent',
              command: ['sleep', '3600'],
              securityContext: { privileged: true, runAsUser: 0 },
              resources: { requests: { cpu: '10m', memory: '32Mi' } },
            },
          ],
        },
      },
      notes: [
        'privileged pod in namespace debugdead-nodeshell: it must allow privileged pods (PodSecurity enforce=privileged)',
      ],
      execCommand:
        'kubectl exec -it -n debugdead-nodeshell node-shell-ip-10-0-3-17-eu-west-1-compute-internal-p7q2m -- nsenter --target 1 --mount --uts --ipc --net --pid -- sh -l',
    });
  });

  it('mounts the host root read-only at /host by default, as the config does', () => {
    const built = buildConfig({}, {});
    expect(built.ok && built.config.nodeShell.mountHostRoot).toBe(NODE_SHELL_DEFAULTS.mountHostRoot);
    expect(built.ok && built.config.debugClone.keepClaims).toBe(CLONE_DEFAULTS.keepClaims);
    const { pod, notes } = buildNodeShell(NODE, request, ids);
    expect(pod.spec!.volumes).toEqual([{ name: 'host-root', hostPath: { path: '/', type: 'Directory' } }]);
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([{ name: 'host-root', mountPath: '/host', readOnly: true }]);
    expect(notes).toContain("the node's root filesystem is mounted read-only at /host");
  });

  it('uses the configured namespace and priority class in the pod and the exec line', () => {
    const built = buildNodeShell(
      NODE,
      { ...request, namespace: 'ops-debug', priorityClassName: 'system-node-critical' },
      ids,
    );
    expect(built.pod.metadata!.namespace).toBe('ops-debug');
    expect(built.pod.spec!.priorityClassName).toBe('system-node-critical');
    expect(built.execCommand).toMatch(/^kubectl exec -it -n ops-debug node-shell-/);
  });

  it.each([
    ['a long node name', 'gke-production-cluster-eu-west1-default-pool-8f3c2a1b-9xk2.c.project-id.internal'],
    ['a node name ending in a dash after the cut', `${'a'.repeat(45)}-bbbbbbbbbbbbbbbbbbbb`],
    ['an upper-case node name', 'WORKER-01'],
  ])('keeps the pod name a DNS label of at most 63 characters for %s', (_what, node) => {
    const name = buildNodeShell(node, request, ids).pod.metadata!.name!;
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^node-shell-[a-z0-9]([a-z0-9-]*[a-z0-9])?-p7q2m$/);
  });

  it('places the shell on the node it was given, bypassing the scheduler', () => {
    expect(buildNodeShell('worker-7', request, ids).pod.spec!.nodeName).toBe('worker-7');
  });

  it.each([
    ['an empty node name', '', {}, /node name is empty/],
    ['a TTL above the maximum', NODE, { ttlSeconds: 7200 }, /exceeds maxTtlSeconds/],
    ['no image', NODE, { image: '' }, /image is empty/],
  ] as const)('refuses %s', (_what, node, overrides, message) => {
    expect(() => buildNodeShell(node, { ...request, ...overrides }, ids)).toThrow(DebugPodError);
    expect(() => buildNodeShell(node, { ...request, ...overrides }, ids)).toThrow(message);
  });
});
