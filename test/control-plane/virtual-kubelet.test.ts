import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, isKubeError, loadKubeConfig } from '../../src/kube/index.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { requestUrl } from './request-url.js';
import { runKubectl } from './run-kubectl.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';
import { startVirtualKubelet, type VirtualKubelet } from './virtual-kubelet/index.js';

// The binaries take 10 CPU-minutes to build, once per machine: without them this file is skipped, and its title says
// how to get them.
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const missing =
  findControlPlaneBinaries() === undefined
    ? HOW_TO_BUILD_CONTROL_PLANE
    : spawnSync(KUBECTL, ['version', '--client']).error
      ? 'kubectl is not on PATH (set KUBECTL to use another one).'
      : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);
const title = missing
  ? `the virtual kubelet on a real control plane: skipped. ${missing}`
  : 'the virtual kubelet on a real control plane, seen through real kubectl';

const CRASHING = 'ghcr.io/acme/api:1.0.3';

suite(title, () => {
  let plane: ControlPlane;
  let vk: VirtualKubelet;
  const refused: string[] = [];
  const kubectl = (...args: string[]) => runKubectl(plane.kubeconfig, args);
  const json = async (...args: string[]) => {
    const res = await kubectl(...args, '-o', 'json');
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout);
  };
  const eventually = async <T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const podStatus = async (name: string, ns = 'default') => {
    const res = await kubectl('get', 'pod', name, '-n', ns, '-o', 'json');
    return res.code === 0 ? JSON.parse(res.stdout) : undefined;
  };
  /** The first container status once `test` holds for it. */
  const containerWhen = (name: string, test: (cs: any) => boolean, ns = 'default') =>
    eventually(`pod ${ns}/${name} to match`, async () => {
      const cs = (await podStatus(name, ns))?.status?.containerStatuses?.[0];
      return cs && test(cs) ? cs : undefined;
    });

  beforeAll(async () => {
    plane = await startControlPlane();
    vk = await startVirtualKubelet({
      plane,
      nodeNames: ['node-1', 'node-2'],
      rules: [
        {
          image: 'ghcr.io/acme/api',
          behaviour: {
            kind: 'exit',
            exitCode: 1,
            afterSeconds: 1,
            logs: ['api starting (restart {{restart}}) on {{pod}}', 'connecting to db', 'fatal: db unreachable'],
          },
        },
      ],
      log: (line) => refused.push(line),
    });
    console.info(`control plane ready in ${(plane.startupMs / 1000).toFixed(1)} s, virtual kubelet on :${vk.port}`);
  }, 180_000);

  afterAll(async () => {
    await vk?.stop();
    await plane?.stop();
  });

  it('registers Nodes that are Ready, with their capacity, an InternalIP of 127.0.0.1 and the kubelet port', async () => {
    const nodes = await json('get', 'nodes');
    const byName = new Map(nodes.items.map((n: any) => [n.metadata.name, n]));
    for (const name of ['node-1', 'node-2']) {
      const n: any = byName.get(name);
      expect(n.status.conditions.find((c: any) => c.type === 'Ready').status).toBe('True');
      expect(n.status.allocatable).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
      expect(n.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
      expect(n.status.daemonEndpoints.kubeletEndpoint.Port).toBe(vk.port);
    }
    const table = await kubectl('get', 'nodes');
    expect(table.stdout).toMatch(/^node-1\s+Ready\s+<none>\s+\d+s\s+v1\.37\.\d+$/m);
    const lease = await json('get', 'lease', 'node-1', '-n', 'kube-node-lease');
    expect(lease.spec.holderIdentity).toBe('node-1');
  });

  it('runs `kubectl run` of a crashing image into CrashLoopBackOff, as `kubectl get pods -w` shows', async () => {
    const watch = spawn(KUBECTL, ['get', 'pods', '-w'], { env: { ...process.env, KUBECONFIG: plane.kubeconfig } });
    let seen = '';
    watch.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
    });
    try {
      const run = await kubectl('run', 'crash', `--image=${CRASHING}`);
      expect(run.stdout).toBe('pod/crash created\n');
      await eventually('a restart in CrashLoopBackOff in the watch', async () =>
        /crash\s+0\/1\s+CrashLoopBackOff\s+1 \(\d+s ago\)/.test(seen) ? true : undefined,
      );
    } finally {
      watch.kill();
    }
    const statuses = seen
      .split('\n')
      .filter((l) => l.startsWith('crash '))
      .map((l) => l.split(/\s+/)[2]);
    // A real cluster's sequence: scheduled and pulling, the first exit, back-off, and again.
    expect(statuses[0]).toMatch(/^(Pending|ContainerCreating)$/);
    expect(statuses).toContain('Error');
    expect(statuses.indexOf('CrashLoopBackOff')).toBeGreaterThan(statuses.indexOf('Error'));
    expect(seen.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  });

  it('writes the status a kubelet writes: waiting CrashLoopBackOff, the last exit, restarts, conditions, IPs', async () => {
    const cs = await containerWhen(
      'crash',
      (c) => c.restartCount >= 1 && c.state.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=crash pod=crash_default\(/);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    const pod = await json('get', 'pod', 'crash', '--show-managed-fields');
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.hostIP).toBe('127.0.0.1');
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    // Set by the API server at creation; the kubelet leaves it.
    expect(pod.status.qosClass).toBe('BestEffort');
    expect(pod.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(
      expect.arrayContaining(['PodScheduled=True', 'Initialized=True', 'Ready=False', 'ContainersReady=False']),
    );
    // The status was written by the kubelet (its field manager) through the status subresource.
    expect(pod.metadata.managedFields).toContainEqual(
      expect.objectContaining({ manager: 'kubelet', subresource: 'status' }),
    );
  });

  it('records the Events a kubelet records, which `kubectl describe pod` lists', async () => {
    const described = await eventually('BackOff in describe', async () => {
      const d = await kubectl('describe', 'pod', 'crash');
      return d.stdout.includes('BackOff') ? d.stdout : undefined;
    });
    expect(described).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(described).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(described).toMatch(/Restart Count:\s+[1-9]/);
    expect(described).toMatch(
      /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/crash to node-/,
    );
    // startVirtualKubelet returned once its nodes had lost their not-ready taint: scheduled at the first try.
    expect(described).not.toContain('FailedScheduling');
    for (const line of [
      /Normal\s+Pulling\s+.*kubelet\s+Pulling image "ghcr\.io\/acme\/api:1\.0\.3"/,
      /Normal\s+Pulled\s+.*kubelet\s+Successfully pulled image "ghcr\.io\/acme\/api:1\.0\.3" in /,
      /Normal\s+Created\s+.*kubelet\s+Created container: crash/,
      /Normal\s+Started\s+.*kubelet\s+Started container crash/,
      /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container crash in pod crash_default\(/,
    ]) {
      expect(described).toMatch(line);
    }
    const events = await json('get', 'events', '--field-selector', 'involvedObject.name=crash,reason=BackOff');
    expect(events.items[0].source).toEqual({ component: 'kubelet', host: expect.stringMatching(/^node-[12]$/) });
    expect(events.items[0].involvedObject.fieldPath).toBe('spec.containers{crash}');
  });

  it('serves `kubectl logs` and `logs -p` through the API server, with --tail, --limit-bytes and --timestamps', async () => {
    const cs = await containerWhen('crash', (c) => c.restartCount >= 1 && !!c.lastState.terminated);
    const previous = await kubectl('logs', '-p', 'crash');
    expect(previous.code, previous.stderr).toBe(0);
    expect(previous.stdout).toMatch(
      /^api starting \(restart \d+\) on crash\nconnecting to db\nfatal: db unreachable\n$/,
    );
    const current = await kubectl('logs', 'crash');
    expect(current.stdout).toContain('fatal: db unreachable');
    expect((await kubectl('logs', 'crash', '--tail=1')).stdout).toBe('fatal: db unreachable\n');
    expect((await kubectl('logs', '-p', 'crash', '--limit-bytes=11')).stdout).toBe('api startin');
    const stamped = (await kubectl('logs', '-p', 'crash', '--timestamps')).stdout.split('\n')[0] ?? '';
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z api starting/);
    expect(Date.parse(stamped.slice(0, 23))).toBeGreaterThanOrEqual(Date.parse(cs.lastState.terminated.startedAt));
    expect((await kubectl('logs', '-p', 'crash', '--since=1h')).stdout).toContain('api starting');
    // Following a container waiting in back-off prints its last instance and ends, as on a real node.
    const followed = await kubectl('logs', '-f', 'crash');
    expect(followed.stdout).toMatch(
      /^api starting \(restart \d+\) on crash\nconnecting to db\nfatal: db unreachable\n$/,
    );
  });

  it('answers client-node log reads through the API server, and refuses a missing previous instance as BadRequest', async () => {
    const kube = createKubeClient(loadKubeConfig({ kubeconfigPath: plane.kubeconfig }), { timeoutMs: 10_000 });
    const text = await kube.readLog('default', 'crash', { container: 'crash', previous: true, tailLines: 2 });
    expect(text).toBe('connecting to db\nfatal: db unreachable\n');

    await kubectl('run', 'calm', '--image=busybox:1.36', '--', 'sleep', '3600');
    await containerWhen('calm', (c) => !!c.state.running);
    const err = await kube.readLog('default', 'calm', { container: 'calm', previous: true }).catch((e) => e);
    expect(isKubeError(err)).toBe(true);
    expect(err.message).toBe('previous terminated container "calm" in pod "calm" not found');
    const cli = await kubectl('logs', '-p', 'calm');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toBe(
      'Error from server (BadRequest): previous terminated container "calm" in pod "calm" not found\n',
    );
  });

  it('runs a Deployment through the real controllers: healthy replicas Running, crashing ones in CrashLoopBackOff', async () => {
    expect((await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2')).code).toBe(0);
    expect((await kubectl('create', 'deployment', 'api', `--image=${CRASHING}`)).code).toBe(0);
    await eventually('web 2/2 available', async () => {
      const d = await json('get', 'deployment', 'web');
      return d.status.availableReplicas === 2 ? true : undefined;
    });
    const pods = await eventually('the api pod in CrashLoopBackOff', async () => {
      const list = await json('get', 'pods', '-l', 'app=api');
      const p = list.items[0];
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? list : undefined;
    });
    expect(pods.items[0].metadata.ownerReferences[0].kind).toBe('ReplicaSet');
    const table = await kubectl('get', 'pods', '-l', 'app=web');
    expect(table.stdout).toMatch(/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+/);
  });

  it('completes graceful deletion: Killing, the pod gone, its ReplicaSet replacing it, a namespace emptied', async () => {
    const before = await json('get', 'pods', '-l', 'app=web');
    const victim = before.items[0].metadata.name;
    const started = Date.now();
    const del = await kubectl('delete', 'pod', victim);
    expect(del.stdout).toBe(`pod "${victim}" deleted\n`);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await kubectl('get', 'pod', victim)).stderr).toContain('NotFound');
    const killing = await json('get', 'events', '--field-selector', `involvedObject.name=${victim},reason=Killing`);
    expect(killing.items[0].message).toBe('Stopping container nginx');
    await eventually('a replacement web pod Running', async () => {
      const d = await json('get', 'deployment', 'web');
      return d.status.availableReplicas === 2 ? true : undefined;
    });

    await kubectl('create', 'namespace', 'doomed');
    await eventually('the default ServiceAccount of doomed', async () =>
      (await kubectl('get', 'serviceaccount', 'default', '-n', 'doomed')).code === 0 ? true : undefined,
    );
    await kubectl('run', 'tenant', '-n', 'doomed', '--image=busybox:1.36', '--', 'sleep', '3600');
    await containerWhen('tenant', (c) => !!c.state.running, 'doomed');
    const gone = await kubectl('delete', 'namespace', 'doomed', '--timeout=25s');
    expect(gone.stdout, gone.stderr).toBe('namespace "doomed" deleted\n');
  });

  it('runs the copy `kubectl debug --copy-to` makes of a crashing pod, with the command it was given', async () => {
    const debug = await kubectl('debug', 'crash', '--copy-to=crash-debug', '--container=crash', '--', 'sleep', '3600');
    expect(debug.code, debug.stderr).toBe(0);
    const cs = await containerWhen('crash-debug', (c) => !!c.state.running);
    expect(cs.ready).toBe(true);
    const copy = await podStatus('crash-debug');
    expect(copy.spec.containers[0].command).toEqual(['sleep', '3600']);
    expect(copy.spec.nodeName).toMatch(/^node-[12]$/);
    expect(copy.status.phase).toBe('Running');
  });

  it('runs the ephemeral container `kubectl debug --target` adds to a running pod', async () => {
    await containerWhen('crash-debug', (c) => !!c.state.running);
    const debug = await kubectl(
      'debug',
      'crash-debug',
      '--image=busybox:1.36',
      '--target=crash',
      '--container=debugger',
      '--attach=false',
      '--',
      'sleep',
      '3600',
    );
    expect(debug.code, debug.stderr).toBe(0);
    const status = await eventually('the ephemeral container to run', async () => {
      const pod = await podStatus('crash-debug');
      const found = pod?.status?.ephemeralContainerStatuses?.find((c: any) => c.name === 'debugger');
      return found?.state?.running ? found : undefined;
    });
    expect(status.image).toBe('docker.io/library/busybox:1.36'); // normalised, as a kubelet reports it
    const pod = await podStatus('crash-debug');
    expect(pod.spec.ephemeralContainers[0]).toMatchObject({ name: 'debugger', targetContainerName: 'crash' });
  });

  it('runs the node debugging pod `kubectl debug node/` creates, on that node', async () => {
    const debug = await kubectl('debug', 'node/node-1', '--image=busybox:1.36', '--', 'sleep', '3600');
    expect(debug.code, debug.stderr).toBe(0);
    const name = /Creating debugging pod (\S+) with container/.exec(debug.stdout)?.[1];
    expect(name, debug.stdout).toBeDefined();
    const cs = await containerWhen(name!, (c) => !!c.state.running);
    expect(cs.name).toBe('debugger');
    const pod = await podStatus(name!);
    expect(pod.spec.nodeName).toBe('node-1');
    expect(pod.spec.hostPID).toBe(true);
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.volumes.some((v: any) => v.hostPath?.path === '/')).toBe(true);
  });

  it('fails a pod that outlives its activeDeadlineSeconds, which bounds debug clones', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bounded' },
      spec: {
        activeDeadlineSeconds: 2,
        containers: [{ name: 'sleeper', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      },
    };
    expect((await runKubectl(plane.kubeconfig, ['create', '-f', '-'], JSON.stringify(pod))).code).toBe(0);
    const failed = await eventually('the pod Failed', async () => {
      const p = await podStatus('bounded');
      return p?.status?.phase === 'Failed' ? p : undefined;
    });
    expect(failed.status.reason).toBe('DeadlineExceeded');
    expect(failed.status.message).toBe('Pod was active on the node longer than the specified deadline');
    // Its container was stopped; kubectl's STATUS column then shows the container's reason, not the pod's.
    expect(failed.status.containerStatuses[0].state.terminated).toBeDefined();
  });

  it('writes as the nodes themselves, which the Node authorizer confines, and was refused nothing', async () => {
    await vk.idle();
    expect(refused).toEqual([]);
    // The credentials the kubelet writes with are a node's: node-1's cannot read a pod bound to node-2, nor write it.
    const pin = await kubectl(
      'run',
      'pinned',
      '--image=busybox:1.36',
      '--overrides={"spec":{"nodeName":"node-2"}}',
      '--',
      'sleep',
      '3600',
    );
    expect(pin.code, pin.stderr).toBe(0);
    await containerWhen('pinned', (c) => !!c.state.running);
    const node1 = vk.nodes.find((n) => n.name === 'node-1')!;
    const path = `${plane.server}/api/v1/namespaces/default/pods/pinned`;
    const read = await requestUrl('GET', path, { tls: node1.tls });
    expect(read.status).toBe(403);
    expect(JSON.parse(read.body).message).toContain('User "system:node:node-1" cannot get resource "pods"');
    const write = await requestUrl('PATCH', `${path}/status`, {
      tls: node1.tls,
      body: { status: { phase: 'Failed' } },
      contentType: 'application/merge-patch+json',
    });
    expect(write.status).toBe(403);
  });
});
