import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;
let authz: k8s.AuthorizationV1Api;

async function statusOf(
  p: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the call to fail');
}

const USER = 'system:serviceaccount:debugdead:debugdead';

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ManualClock() });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  authz = kc.makeApiClient(k8s.AuthorizationV1Api);
  for (const [name, level] of [
    ['open', undefined],
    ['base', 'baseline'],
    ['strict', 'restricted'],
  ] as const)
    await core.createNamespace({
      body: { metadata: { name, labels: level ? { 'pod-security.kubernetes.io/enforce': level } : {} } },
    });
  await new Promise((r) => setImmediate(r));
});

afterEach(() => {
  sim.rbac.clear();
});

afterAll(async () => {
  await sim?.close();
});

const nodeShell = (name: string): k8s.V1Pod => ({
  metadata: { name },
  spec: {
    hostPID: true,
    hostNetwork: true,
    volumes: [{ name: 'host', hostPath: { path: '/' } }],
    containers: [
      {
        name: 'debugger',
        image: 'busybox:1.36',
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host', mountPath: '/host' }],
      },
    ],
  },
});

const plain = (name: string): k8s.V1Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

describe('PodSecurity admission', () => {
  it('a privileged node-shell pod is admitted where no level is enforced', async () => {
    const p = await core.createNamespacedPod({ namespace: 'open', body: nodeShell('shell') });
    expect(p.spec?.hostPID).toBe(true);
  });

  it('baseline refuses privileged, host namespaces and hostPath with the real message', async () => {
    const s = await statusOf(core.createNamespacedPod({ namespace: 'base', body: nodeShell('shell') }));
    expect(s).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'pods "shell" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "host"), privileged (container "debugger" must not set securityContext.privileged=true)',
    });
  });

  it('baseline admits an ordinary pod', async () => {
    await expect(core.createNamespacedPod({ namespace: 'base', body: plain('ok') })).resolves.toBeDefined();
  });

  it('restricted refuses an ordinary pod, naming every missing setting', async () => {
    const s = await statusOf(core.createNamespacedPod({ namespace: 'strict', body: plain('web') }));
    expect(s.message).toBe(
      'pods "web" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('restricted admits a pod that sets everything it asks for', async () => {
    const body: k8s.V1Pod = {
      metadata: { name: 'hardened' },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    };
    await expect(core.createNamespacedPod({ namespace: 'strict', body })).resolves.toBeDefined();
  });

  it('an ephemeral debug container is checked against the namespace level too', async () => {
    await core.createNamespacedPod({ namespace: 'base', body: plain('target') });
    const s = await statusOf(
      core.patchNamespacedPodEphemeralcontainers(
        {
          namespace: 'base',
          name: 'target',
          body: {
            spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', securityContext: { privileged: true } }] },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(s.message).toBe(
      'pods "target" is forbidden: violates PodSecurity "baseline:latest": privileged (container "dbg" must not set securityContext.privileged=true)',
    );
  });
});

describe('RBAC denials', () => {
  it('a denied pods/log read answers the authorizer’s 403 text', async () => {
    await core.createNamespacedPod({ namespace: 'open', body: plain('logged') });
    sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'open' });
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'open', name: 'logged' }));
    expect(s).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods "logged" is forbidden: User "${USER}" cannot get resource "pods/log" in API group "" in the namespace "open"`,
      reason: 'Forbidden',
      details: { name: 'logged', kind: 'pods' },
      code: 403,
    });
    // The rule is about the subresource: the pod itself is still readable.
    await expect(core.readNamespacedPod({ namespace: 'open', name: 'logged' })).resolves.toBeDefined();
  });

  it('a denial is scoped to its namespace', async () => {
    sim.rbac.deny({ verb: 'create', resource: 'pods', namespace: 'open' });
    const s = await statusOf(core.createNamespacedPod({ namespace: 'open', body: plain('nope') }));
    // A create has no name in its URL, so the authorizer's message names none.
    expect(s.message).toBe(
      `pods is forbidden: User "${USER}" cannot create resource "pods" in API group "" in the namespace "open"`,
    );
    await expect(core.createNamespacedPod({ namespace: 'base', body: plain('yes') })).resolves.toBeDefined();
  });

  it('a cluster-wide list says “at the cluster scope”', async () => {
    sim.rbac.deny({ verb: 'list', resource: 'nodes' });
    const s = await statusOf(core.listNode());
    expect(s.message).toBe(
      `nodes is forbidden: User "${USER}" cannot list resource "nodes" in API group "" at the cluster scope`,
    );
  });

  it('a denied watch is refused before it streams', async () => {
    sim.rbac.deny({ verb: 'watch', resource: 'pods' });
    const s = await statusOf(core.listNamespacedPod({ namespace: 'open', watch: true }));
    expect(s.code).toBe(403);
    expect(s.message).toContain('cannot watch resource "pods"');
  });

  it('SelfSubjectAccessReview reflects the rules', async () => {
    sim.rbac.deny({ verb: 'delete', resource: 'pods', namespace: 'open' });
    const review = (namespace: string) =>
      authz.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { namespace, verb: 'delete', resource: 'pods' } } },
      });
    expect((await review('open')).status?.allowed).toBe(false);
    expect((await review('base')).status?.allowed).toBe(true);
  });

  it('an unknown bearer token is a 401', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });
});
