import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findControlPlaneBinaries,
  HOW_TO_BUILD_CONTROL_PLANE,
  readControlPlaneRelease,
} from './control-plane-release.js';
import { type AccessProbe, grantsAccess } from './grants-access.js';
import { requestUrl } from './request-url.js';
import { runKubectl } from './run-kubectl.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';
import { startVirtualNode } from './virtual-node/index.js';

// The binaries take 10 CPU-minutes to build, once per machine: without them this file is skipped, and its title says
// how to get them.
const missing =
  findControlPlaneBinaries() === undefined
    ? HOW_TO_BUILD_CONTROL_PLANE
    : spawnSync(process.env.KUBECTL ?? 'kubectl', ['version', '--client']).error
      ? 'kubectl is not on PATH (set KUBECTL to use another one).'
      : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);
const title = missing
  ? `a real control plane: skipped. ${missing}`
  : 'a real control plane (etcd, kube-apiserver, kube-scheduler, kube-controller-manager)';

const BOT = { namespace: 'debugdead-system', name: 'debugdead' };
const BOT_USER = `system:serviceaccount:${BOT.namespace}:${BOT.name}`;
const NODE = 'node-1';
// The complete install the README tells users to apply, where the repository has one; else the base.
const INSTALL = existsSync('deploy/overlays/example') ? 'deploy/overlays/example' : 'deploy/base';

suite(title, () => {
  let plane: ControlPlane;
  const kubectl = (args: string[], input?: string) => runKubectl(plane.kubeconfig, args, input);
  const getJson = async (path: string) => {
    const res = await plane.get(path);
    expect(res.status, `GET ${path}: ${res.body}`).toBe(200);
    return JSON.parse(res.body);
  };
  const eventually = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    plane = await startControlPlane();
    console.info(`control plane ready in ${(plane.startupMs / 1000).toFixed(1)} s at ${plane.server}`);
    // No kubelet runs: a Node object with capacity and a Ready condition is what the scheduler needs. Status can be
    // written on create; the TaintNodesByCondition admission plugin adds node.kubernetes.io/not-ready:NoSchedule,
    // which the controller manager's node-lifecycle controller removes because the node reports Ready.
    const now = new Date().toISOString();
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE,
        labels: { 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'a Node object written by the test; no kubelet runs',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: NODE },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    };
    const created = await kubectl(['create', '-f', '-'], JSON.stringify(node));
    expect(created.code, created.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    if (!plane) return;
    await plane.stop();
    // Everything it started is gone, and so is its working directory.
    const alive = plane.processes.filter((p) => {
      try {
        process.kill(p.pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive.map((p) => p.name)).toEqual([]);
    expect(existsSync(plane.dir)).toBe(false);
  }, 60_000);

  it('answers as the pinned Kubernetes release', async () => {
    const version = await kubectl(['version', '-o', 'json']);
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe(readControlPlaneRelease().kubernetes);
  });

  it('kubectl creates a namespace', async () => {
    const res = await kubectl(['create', 'namespace', 'shop']);
    expect(res).toMatchObject({ code: 0, stdout: 'namespace/shop created\n' });
  });

  it('a Deployment gets a ReplicaSet whose Pods the scheduler binds to the Node', async () => {
    await eventually('the default ServiceAccount in shop', async () =>
      (await plane.get('/api/v1/namespaces/shop/serviceaccounts/default')).status === 200 ? true : undefined,
    );
    const res = await kubectl([
      'create',
      'deployment',
      'web',
      '--image=registry.k8s.io/pause:3.10',
      '--replicas=2',
      '-n',
      'shop',
    ]);
    expect(res).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' });

    const replicaSet = await eventually('a ReplicaSet owned by the Deployment', async () => {
      const list = await getJson('/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dweb');
      return list.items.find((rs: any) => rs.metadata.ownerReferences?.[0]?.name === 'web');
    });
    const pods = await eventually('two Pods of the ReplicaSet bound to the Node', async () => {
      const list = await getJson('/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb');
      const bound = list.items.filter((p: any) => p.spec.nodeName === NODE);
      return bound.length === 2 ? bound : undefined;
    });
    for (const pod of pods) {
      expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: replicaSet.metadata.name });
      // Admission ran: the ServiceAccount plugin mounted the projected token; DefaultTolerationSeconds added
      // the not-ready/unreachable tolerations.
      expect(pod.spec.serviceAccountName).toBe('default');
      expect(pod.spec.volumes.some((v: any) => v.name.startsWith('kube-api-access-'))).toBe(true);
      expect(pod.spec.tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/not-ready');
      // Nothing runs it: without a kubelet the Pod stays Pending, scheduled.
      expect(pod.status.phase).toBe('Pending');
      expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
    }
  }, 60_000);

  it("the shipped RBAC lets the bot's ServiceAccount do what deploy/ grants, and nothing else", async () => {
    const rendered = await kubectl(['kustomize', INSTALL]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const manifests = (yaml.loadAll(rendered.stdout) as Parameters<typeof grantsAccess>[0]).filter(Boolean);
    // Namespaces the install refers to but does not create (those its RoleBindings grant in) must exist first.
    const defined = new Set(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name));
    const referenced = new Set(manifests.map((m) => m.metadata?.namespace).filter((n): n is string => !!n));
    for (const ns of [...referenced].filter((n) => !defined.has(n))) {
      await kubectl(['create', 'namespace', ns]);
    }
    const applied = await kubectl(['apply', '-f', '-'], rendered.stdout);
    expect(applied.code, applied.stderr).toBe(0);

    // A token the API server signs for the ServiceAccount authenticates as it (TokenRequest, service-account keys).
    const token = await kubectl(['create', 'token', BOT.name, '-n', BOT.namespace]);
    expect(token.code, token.stderr).toBe(0);
    // Only the token: with the admin's client certificate also presented, the API server would authenticate that.
    const whoami = await runKubectl('/dev/null', [
      `--server=${plane.server}`,
      `--certificate-authority=${plane.certificates.ca.cert}`,
      `--token=${token.stdout.trim()}`,
      ...['auth', 'whoami', '-o', 'json'],
    ]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout).status.userInfo.username).toBe(BOT_USER);

    // Every verb the shipped roles name, in an ordinary namespace and in each one a RoleBinding grants in, plus what
    // a least-privilege bot must never hold.
    const bound = [
      ...new Set(manifests.filter((m) => m.kind === 'RoleBinding').map((m) => m.metadata?.namespace ?? '')),
    ];
    const namespaces = ['shop', ...bound.filter((n) => n && n !== 'shop')];
    const shipped: AccessProbe[] = manifests
      .filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role')
      .flatMap((m) => m.rules ?? [])
      .flatMap((rule) =>
        (rule.apiGroups ?? []).flatMap((group) =>
          (rule.resources ?? []).flatMap((resource) =>
            (rule.verbs ?? []).flatMap((verb) => {
              const [plural = resource, subresource] = resource.split('/');
              return namespaces.map((namespace) => ({
                verb,
                resource: plural,
                group,
                namespace,
                ...(subresource ? { subresource } : {}),
              }));
            }),
          ),
        ),
      );
    const forbidden: AccessProbe[] = [
      { verb: 'get', resource: 'secrets', group: '', namespace: 'shop' },
      { verb: 'list', resource: 'secrets', group: '', namespace: BOT.namespace },
      { verb: 'create', resource: 'pods', subresource: 'exec', group: '', namespace: 'shop' },
      { verb: 'create', resource: 'pods', subresource: 'attach', group: '', namespace: 'shop' },
      { verb: 'get', resource: 'nodes', subresource: 'proxy', group: '' },
      { verb: 'create', resource: 'serviceaccounts', subresource: 'token', group: '', namespace: BOT.namespace },
      { verb: 'create', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' },
      { verb: 'impersonate', resource: 'users', group: '' },
    ];
    const others: AccessProbe[] = [
      ...namespaces.flatMap((namespace) => [
        { verb: 'patch', resource: 'pods', group: '', namespace },
        { verb: 'update', resource: 'pods', group: '', namespace },
        { verb: 'create', resource: 'pods', subresource: 'ephemeralcontainers', group: '', namespace },
        { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', group: '', namespace },
      ]),
      { verb: 'list', resource: 'nodes', group: '' },
      { verb: 'delete', resource: 'deployments', group: 'apps', namespace: 'shop' },
      { verb: 'create', resource: 'namespaces', group: '' },
    ];

    // Cluster-scoped resources are asked about without a namespace, as the API server decides them.
    const clusterScoped = new Set(
      (await kubectl(['api-resources', '--namespaced=false', '-o', 'name'])).stdout.trim().split('\n'),
    );
    const probes = new Map<string, { probe: AccessProbe; args: string[] }>();
    for (const asked of [...shipped, ...forbidden, ...others]) {
      const resource = `${asked.resource}${asked.group ? `.${asked.group}` : ''}`;
      const { namespace: _namespace, ...clusterWide } = asked;
      const probe: AccessProbe = clusterScoped.has(resource) ? clusterWide : asked;
      const args = ['auth', 'can-i', probe.verb, resource, `--as=${BOT_USER}`];
      if (probe.subresource) args.push(`--subresource=${probe.subresource}`);
      if (probe.namespace) args.push('-n', probe.namespace);
      probes.set(args.slice(2).join(' '), { probe, args });
    }
    const asked = [...probes.entries()];
    const rows: { request: string; expected: string; apiServer: string }[] = new Array(asked.length);
    // Four kubectl processes at a time.
    const next = { index: 0 };
    const worker = async () => {
      for (let i = next.index++; i < asked.length; i = next.index++) {
        const [request, { probe, args }] = asked[i]!;
        const answer = (await kubectl(args)).stdout.trim();
        rows[i] = {
          request: request.replace(` --as=${BOT_USER}`, ''),
          expected: grantsAccess(manifests, BOT, probe) ? 'yes' : 'no',
          apiServer: answer,
        };
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    console.info(`what ${BOT_USER} may do (kube-apiserver's RBAC authorizer):`);
    console.table(rows);
    for (const row of rows) expect(row.apiServer, row.request).toBe(row.expected);
    for (const probe of forbidden) expect(grantsAccess(manifests, BOT, probe), JSON.stringify(probe)).toBe(false);
    expect(rows.filter((r) => r.apiServer === 'yes').length).toBeGreaterThan(0);
  }, 60_000);

  it('PodSecurity admission refuses a privileged pod in a restricted namespace, and admits a restricted one', async () => {
    expect((await kubectl(['create', 'namespace', 'locked'])).code).toBe(0);
    const label = await kubectl(['label', 'namespace', 'locked', 'pod-security.kubernetes.io/enforce=restricted']);
    expect(label.code, label.stderr).toBe(0);
    const pod = (name: string, container: Record<string, unknown>) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'locked' },
        spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', ...container }] },
      });

    const privileged = await kubectl(
      ['create', '-f', '-'],
      pod('root-shell', { securityContext: { privileged: true } }),
    );
    expect(privileged.code).not.toBe(0);
    expect(privileged.stderr).toContain('violates PodSecurity "restricted:latest"');
    expect(privileged.stderr).toContain('privileged (container "main" must not set securityContext.privileged=true)');

    const restricted = await kubectl(
      ['create', '-f', '-'],
      pod('locked-down', {
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 65532,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      }),
    );
    expect(restricted).toMatchObject({ code: 0, stdout: 'pod/locked-down created\n' });
  }, 60_000);

  it('a virtual node registers as system:node:<name>, renews its Lease, is found Ready, and may not touch other nodes', async () => {
    const vnode = await startVirtualNode(plane, { name: 'vnode-1', renewIntervalMs: 1_000 });
    try {
      const first = await getJson('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/vnode-1');
      const node = await getJson('/api/v1/nodes/vnode-1');
      expect(first.spec.holderIdentity).toBe('vnode-1');
      expect(first.metadata.ownerReferences[0]).toMatchObject({ kind: 'Node', uid: node.metadata.uid });
      const renewed = await eventually('a later renewTime', async () => {
        const lease = await getJson('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/vnode-1');
        return lease.spec.renewTime > first.spec.renewTime ? lease : undefined;
      });
      expect(renewed.spec.holderIdentity).toBe('vnode-1');
      // The node-lifecycle controller takes the not-ready taint (added at registration) off a Ready node.
      await eventually('vnode-1 untainted', async () => {
        const n = await getJson('/api/v1/nodes/vnode-1');
        return (n.spec.taints ?? []).length === 0 ? true : undefined;
      });
      // The Node authorizer lets a node write only its own objects.
      const other = await requestUrl('PATCH', `${plane.server}/api/v1/nodes/${NODE}/status`, {
        tls: vnode.tls,
        body: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
        contentType: 'application/strategic-merge-patch+json',
      });
      expect(other.status, other.body).toBe(403);
      expect(vnode.renewals()).toBeGreaterThanOrEqual(2);
    } finally {
      await vnode.stop();
    }
  }, 60_000);
});
