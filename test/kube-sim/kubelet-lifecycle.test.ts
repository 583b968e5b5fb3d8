import { describe, expect, it } from 'vitest';
import { buildDebugClone, buildNodeShell } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { ManualClock } from '../sim/kube/clock.js';
import { type ContainerRule, Kubelet } from '../sim/kube/kubelet/index.js';
import { buildNode, defaultPodSpec } from '../sim/kube/scenarios/index.js';
import { MemoryStore } from '../sim/kube/store.js';

const NS = 't';

/** A store with nodes, a started kubelet and a ManualClock; `advance` moves time and lets the kubelet react. */
function cluster(rules: ContainerRule[] = [], nodes = 3) {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  for (let i = 1; i <= nodes; i++) store.create('nodes', buildNode(`node-${i}`, { index: i }));
  const kubelet = new Kubelet(store, clock, { rules });
  kubelet.start();
  const c = {
    clock,
    store,
    kubelet,
    run(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) {
      store.create('pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: NS, ...metadata },
        spec: defaultPodSpec(spec),
        status: { phase: 'Pending' },
      });
      kubelet.flush();
    },
    advance(ms: number) {
      kubelet.flush();
      clock.advance(ms);
      kubelet.flush();
    },
    pod: (name: string) => store.get('pods', NS, name),
    status: (name: string, container = 'app') =>
      [...(c.pod(name)?.status?.containerStatuses ?? []), ...(c.pod(name)?.status?.initContainerStatuses ?? [])].find(
        (s: { name: string }) => s.name === container,
      ),
    events: (name: string, reason?: string) =>
      store.list('events', NS).filter((e) => e.involvedObject.name === name && (!reason || e.reason === reason)),
    log: (name: string, params: Record<string, unknown> = {}) =>
      kubelet.readLog(NS, name, { container: 'app', ...params }),
    /** Advances in steps until `pred` holds (at most `limitMs`); returns the elapsed time. */
    until(pred: () => boolean, limitMs = 600_000, step = 250): number {
      let t = 0;
      while (!pred()) {
        if (t >= limitMs) throw new Error(`condition not met within ${limitMs} ms`);
        c.advance(step);
        t += step;
      }
      return t;
    },
  };
  return c;
}

const app = (image: string, extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', image, ...extra }],
});

const crashRule: ContainerRule = {
  image: 'acme/crasher',
  behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 1, logs: ['starting instance {{restart}}', 'fatal: boom'] },
};

describe('crash loop', () => {
  it('restarts at once the first time, then waits 10s, 20s, 40s ... capped at 5m0s', () => {
    const c = cluster([crashRule]);
    c.run('web-1', app('acme/crasher:1.0'));
    const messages: string[] = [];
    for (let i = 0; i < 8; i++) {
      c.until(() => {
        const w = c.status('web-1')?.state?.waiting;
        return w?.reason === 'CrashLoopBackOff' && !messages.includes(`${c.status('web-1').restartCount}:${w.message}`);
      });
      const s = c.status('web-1');
      messages.push(`${s.restartCount}:${s.state.waiting.message}`);
    }
    const uid = c.pod('web-1')?.metadata.uid;
    expect(messages.map((m) => m.replace(` pod=web-1_t(${uid})`, ''))).toEqual([
      '1:back-off 10s restarting failed container=app',
      '2:back-off 20s restarting failed container=app',
      '3:back-off 40s restarting failed container=app',
      '4:back-off 1m20s restarting failed container=app',
      '5:back-off 2m40s restarting failed container=app',
      '6:back-off 5m0s restarting failed container=app',
      '7:back-off 5m0s restarting failed container=app',
      '8:back-off 5m0s restarting failed container=app',
    ]);
  });

  it('keeps the last termination with exit code, reason, times and containerID', () => {
    const c = cluster([crashRule]);
    c.run('web-1', app('acme/crasher:1.0'));
    c.until(() => c.status('web-1')?.state?.waiting?.reason === 'CrashLoopBackOff');
    const s = c.status('web-1');
    expect(s.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(s.lastState.terminated.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(Date.parse(s.lastState.terminated.finishedAt) - Date.parse(s.lastState.terminated.startedAt)).toBe(1000);
    expect(s).toMatchObject({
      ready: false,
      started: false,
      restartCount: 1,
      containerID: s.lastState.terminated.containerID,
    });
    expect(c.pod('web-1')?.status.phase).toBe('Running');
    expect(c.pod('web-1')?.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }),
    );
  });

  it('updates one BackOff event per container, counting and moving lastTimestamp', () => {
    const c = cluster([crashRule]);
    c.run('web-1', app('acme/crasher:1.0'));
    c.until(
      () => c.status('web-1')?.restartCount === 4 && c.status('web-1').state.waiting?.reason === 'CrashLoopBackOff',
    );
    const backoffs = c.events('web-1', 'BackOff');
    expect(backoffs).toHaveLength(1);
    const uid = c.pod('web-1')?.metadata.uid;
    // Re-emitted every 10 s while waiting: 1 (10 s wait) + 2 (20 s) + 4 (40 s) + 1 (the 80 s wait just begun).
    expect(backoffs[0]).toMatchObject({
      type: 'Warning',
      count: 8,
      message: `Back-off restarting failed container app in pod web-1_t(${uid})`,
      source: { component: 'kubelet', host: c.pod('web-1')?.spec.nodeName },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: NS, uid, fieldPath: 'spec.containers{app}' },
    });
    expect(Date.parse(backoffs[0]?.lastTimestamp)).toBeGreaterThan(Date.parse(backoffs[0]?.firstTimestamp));
    expect(c.events('web-1').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'BackOff']),
    );
    expect(c.events('web-1', 'Scheduled')[0]).toMatchObject({
      source: { component: 'default-scheduler' },
      message: `Successfully assigned t/web-1 to ${c.pod('web-1')?.spec.nodeName}`,
    });
    expect(c.events('web-1', 'Created')[0]?.count).toBe(5);
  });

  it('forgets the back-off when the container ran for more than ten minutes', () => {
    const c = cluster([{ image: 'acme/slow', behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 700 } }]);
    c.run('slow', app('acme/slow:1'));
    c.until(() => c.status('slow')?.restartCount === 3, 3_000_000, 5_000);
    expect(c.events('slow', 'BackOff')).toHaveLength(0);
  });
});

describe('logs per container instance', () => {
  it('current and previous instances differ; a waiting container answers with its last crash', () => {
    const c = cluster([crashRule]);
    c.run('web-1', app('acme/crasher:1.0'));
    expect(c.log('web-1', { previous: true })).toEqual({
      status: 400,
      message: 'previous terminated container "app" in pod "web-1" not found',
    });
    c.until(() => c.status('web-1')?.restartCount === 2 && !!c.status('web-1').state.running);
    c.advance(1500);
    expect(c.log('web-1')).toEqual({ status: 200, body: 'starting instance 2\nfatal: boom\n' });
    expect(c.log('web-1', { previous: true })).toEqual({ status: 200, body: 'starting instance 1\nfatal: boom\n' });
    c.until(() => c.status('web-1').state.waiting?.reason === 'CrashLoopBackOff');
    expect(c.log('web-1')).toEqual({ status: 200, body: 'starting instance 2\nfatal: boom\n' });
    const stamped = c.log('web-1', { timestamps: true, tailLines: 1 });
    expect(stamped.status === 200 && stamped.body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z fatal: boom\n$/);
    expect(c.log('web-1', { limitBytes: 5 })).toEqual({ status: 200, body: 'start' });
  });

  it('a pod not yet on a node answers with an empty body', () => {
    const c = cluster([], 0);
    c.run('nowhere', app('nginx:1.27'));
    expect(c.log('nowhere')).toEqual({ status: 200, body: '' });
  });

  it('a container not started yet is waiting to start', () => {
    const c = cluster();
    c.run('fresh', app('nginx:1.27'));
    expect(c.log('fresh')).toEqual({
      status: 400,
      message: 'container "app" in pod "fresh" is waiting to start: ContainerCreating',
    });
  });
});

describe('failure kinds', () => {
  it('OOMKilled: exit 137 with reason OOMKilled', () => {
    const c = cluster([{ image: 'acme/java', behaviour: { kind: 'oom', afterSeconds: 2 } }]);
    c.run('oom', app('acme/java:21', { resources: { limits: { memory: '512Mi' } } }));
    c.until(() => c.status('oom')?.lastState?.terminated !== undefined);
    expect(c.status('oom').lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('a failing liveness probe gives Unhealthy then Killing events and a restart', () => {
    const c = cluster([{ image: 'acme/api', behaviour: { kind: 'failLiveness' } }]);
    const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 };
    c.run('live', app('acme/api:1', { livenessProbe: probe }));
    c.run('noprobe', app('acme/api:1'));
    c.until(() => c.status('live')?.restartCount === 1, 120_000);
    expect(c.events('live', 'Unhealthy')[0]).toMatchObject({
      type: 'Warning',
      count: 3,
      message: 'Liveness probe failed: HTTP probe failed with statuscode: 503',
    });
    expect(c.events('live', 'Killing')[0]?.message).toBe('Container app failed liveness probe, will be restarted');
    expect(c.status('live').lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(c.status('noprobe')).toMatchObject({ restartCount: 0, ready: true, state: { running: expect.anything() } });
  });

  it('a failing readiness probe keeps the container unready with a counting Unhealthy event', () => {
    const c = cluster([{ image: 'acme/api', behaviour: { kind: 'failReadiness' } }]);
    const probe = { tcpSocket: { port: 8080 }, periodSeconds: 5 };
    c.run('unready', app('acme/api:1', { readinessProbe: probe }));
    c.advance(60_000);
    expect(c.pod('unready')?.status.phase).toBe('Running');
    expect(c.status('unready')).toMatchObject({ ready: false, started: true, restartCount: 0 });
    const ev = c.events('unready', 'Unhealthy');
    expect(ev).toHaveLength(1);
    expect(ev[0]?.message).toBe(
      `Readiness probe failed: dial tcp ${c.pod('unready')?.status.podIP}:8080: connect: connection refused`,
    );
    expect(ev[0]?.count).toBeGreaterThan(8);
    const rv = c.pod('unready')?.metadata.resourceVersion;
    c.advance(30_000);
    expect(c.pod('unready')?.metadata.resourceVersion).toBe(rv);
  });

  it('an image that cannot be pulled: ErrImagePull, then ImagePullBackOff, with the real messages', () => {
    const c = cluster();
    const image = 'ghcr.io/acme/api:does-not-exist';
    c.run('pull', app(image));
    c.until(() => c.status('pull')?.state?.waiting?.reason === 'ErrImagePull');
    expect(c.status('pull').state.waiting.message).toBe(
      `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
    );
    expect(c.log('pull')).toEqual({
      status: 400,
      message: 'container "app" in pod "pull" is waiting to start: image can\'t be pulled',
    });
    c.until(() => c.status('pull')?.state?.waiting?.reason === 'ImagePullBackOff');
    expect(c.status('pull').state.waiting.message).toBe(`Back-off pulling image "${image}"`);
    expect(c.log('pull')).toMatchObject({
      status: 400,
      message: expect.stringContaining('trying and failing to pull image'),
    });
    const notFound = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
    expect(c.events('pull').map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual(
      expect.arrayContaining([
        `Normal Pulling Pulling image "${image}"`,
        `Warning Failed Failed to pull image "${image}": ${notFound}`,
        'Warning Failed Error: ErrImagePull',
        `Normal BackOff Back-off pulling image "${image}"`,
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    expect(c.pod('pull')?.status.phase).toBe('Pending');
  });

  it('a missing ConfigMap gives CreateContainerConfigError until it is created', () => {
    const c = cluster();
    c.run('cfg', app('acme/api:1', { envFrom: [{ configMapRef: { name: 'app-config' } }] }));
    c.until(() => c.status('cfg')?.state?.waiting?.reason === 'CreateContainerConfigError');
    expect(c.status('cfg').state.waiting.message).toBe('configmap "app-config" not found');
    expect(c.events('cfg', 'Failed')[0]?.message).toBe('Error: configmap "app-config" not found');
    c.advance(20_000);
    expect(c.events('cfg', 'Failed')[0]?.count).toBeGreaterThan(1);
    c.store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: NS },
      data: {},
    });
    c.until(() => !!c.status('cfg')?.state?.running, 20_000);
    expect(c.pod('cfg')?.status.phase).toBe('Running');
  });

  it('a missing Secret volume keeps the pod in ContainerCreating with FailedMount events', () => {
    const c = cluster();
    c.run('vol', {
      ...app('acme/api:1', { volumeMounts: [{ name: 'tls', mountPath: '/tls' }] }),
      volumes: [{ name: 'tls', secret: { secretName: 'api-tls' } }],
    });
    c.advance(30_000);
    expect(c.status('vol').state.waiting.reason).toBe('ContainerCreating');
    expect(c.events('vol', 'FailedMount')[0]).toMatchObject({
      type: 'Warning',
      message: 'MountVolume.SetUp failed for volume "tls" : secret "api-tls" not found',
    });
  });

  it('a shell command in an image with no shell is a StartError (exit 128) and then CrashLoopBackOff', () => {
    const c = cluster();
    c.run('nosh', app('gcr.io/distroless/static:nonroot', { command: ['sh', '-c', 'sleep 3600'] }));
    c.until(() => c.status('nosh')?.state?.waiting?.reason === 'CrashLoopBackOff');
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown';
    expect(c.status('nosh').lastState.terminated).toMatchObject({
      exitCode: 128,
      reason: 'StartError',
      message,
      startedAt: '1970-01-01T00:00:00Z',
    });
    expect(c.events('nosh', 'Failed')[0]?.message).toBe(`Error: ${message}`);
    expect(c.log('nosh', { previous: true })).toEqual({ status: 200, body: '' });
  });

  it('in an image with a shell, a missing command run through sh exits 127', () => {
    const c = cluster();
    c.run('sh127', app('busybox:1.36', { command: ['sh', '-c', 'bash /app/start.sh'] }));
    c.until(() => c.status('sh127')?.lastState?.terminated !== undefined || c.status('sh127')?.state?.terminated);
    const t = c.status('sh127').state.terminated ?? c.status('sh127').lastState.terminated;
    expect(t).toMatchObject({ exitCode: 127, reason: 'Error' });
    expect(c.log('sh127')).toEqual({ status: 200, body: 'sh: bash: not found\n' });
  });
});

describe('init containers', () => {
  it('run one at a time, in order, before the app', () => {
    const c = cluster();
    c.run('inits', {
      initContainers: [
        { name: 'first', image: 'busybox:1.36', command: ['sleep', '5'] },
        { name: 'second', image: 'busybox:1.36', command: ['sleep', '5'] },
      ],
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    });
    c.until(() => !!c.status('inits', 'first')?.state?.running);
    expect(c.status('inits', 'second').state.waiting.reason).toBe('PodInitializing');
    expect(c.status('inits', 'app').state.waiting.reason).toBe('PodInitializing');
    c.until(() => !!c.status('inits', 'second')?.state?.running);
    expect(c.status('inits', 'first').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(c.pod('inits')?.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Initialized',
        status: 'False',
        message: 'containers with incomplete status: [second]',
      }),
    );
    c.until(() => !!c.status('inits', 'app')?.state?.running);
    expect(c.pod('inits')?.status).toMatchObject({ phase: 'Running' });
    expect(c.pod('inits')?.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' }),
    );
  });

  it('a failing init container crash-loops and the app never starts', () => {
    const c = cluster([{ image: 'acme/migrate', behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 1 } }]);
    c.run('init-crash', {
      initContainers: [{ name: 'migrate', image: 'acme/migrate:1', command: ['/migrate', 'up'] }],
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    });
    c.until(() => c.status('init-crash', 'migrate')?.state?.waiting?.reason === 'CrashLoopBackOff');
    expect(c.status('init-crash', 'migrate').lastState.terminated.exitCode).toBe(1);
    expect(c.status('init-crash', 'app').state.waiting.reason).toBe('PodInitializing');
    expect(c.pod('init-crash')?.status.phase).toBe('Pending');
    expect(c.events('init-crash', 'BackOff')[0]?.involvedObject.fieldPath).toBe('spec.initContainers{migrate}');
  });

  it('under restartPolicy Never a failing init container fails the pod', () => {
    const c = cluster([{ image: 'acme/migrate', behaviour: { kind: 'exit', exitCode: 3, afterSeconds: 1 } }]);
    c.run('init-never', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'migrate', image: 'acme/migrate:1', command: ['/migrate'] }],
      containers: [{ name: 'app', image: 'nginx:1.27' }],
    });
    c.until(() => c.pod('init-never')?.status.phase === 'Failed');
    expect(c.status('init-never', 'migrate').state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  });
});

describe('restart policies and deadlines', () => {
  it.each([
    ['Never', 0, 'Succeeded', 0],
    ['Never', 1, 'Failed', 0],
    ['OnFailure', 0, 'Succeeded', 0],
  ])('restartPolicy %s with exit %d ends %s', (restartPolicy, exitCode, phase, restarts) => {
    const c = cluster([{ image: 'acme/job', behaviour: { kind: 'exit', exitCode, afterSeconds: 2 } }]);
    c.run('job', { restartPolicy, ...app('acme/job:1') });
    c.until(() => c.pod('job')?.status.phase === phase);
    c.advance(60_000);
    expect(c.pod('job')?.status.phase).toBe(phase);
    expect(c.status('job').restartCount).toBe(restarts);
  });

  it('restartPolicy OnFailure restarts a failed container', () => {
    const c = cluster([{ image: 'acme/job', behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 2 } }]);
    c.run('job', { restartPolicy: 'OnFailure', ...app('acme/job:1') });
    c.until(() => c.status('job')?.restartCount === 2);
    expect(c.pod('job')?.status.phase).toBe('Running');
  });

  it('activeDeadlineSeconds fails the pod with DeadlineExceeded', () => {
    const c = cluster();
    c.run('dl', { activeDeadlineSeconds: 30, ...app('nginx:1.27') });
    c.advance(29_000);
    expect(c.pod('dl')?.status.phase).toBe('Running');
    c.advance(2_000);
    expect(c.pod('dl')?.status).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(c.events('dl', 'DeadlineExceeded')[0]?.type).toBe('Warning');
    expect(c.events('dl', 'Killing')[0]?.message).toBe('Stopping container app');
    expect(c.status('dl').state.terminated.exitCode).toBe(137);
  });
});

describe('lowering activeDeadlineSeconds', () => {
  it('a lowered deadline on a running pod ends it at the new time, counted from its start', () => {
    const c = cluster();
    c.run('dl2', { activeDeadlineSeconds: 3600, ...app('nginx:1.27') });
    c.advance(60_000);
    const p = c.pod('dl2')!;
    p.spec.activeDeadlineSeconds = 90;
    c.store.update('pods', p);
    c.advance(29_000);
    expect(c.pod('dl2')?.status.phase).toBe('Running');
    c.advance(2_000);
    expect(c.pod('dl2')?.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
  });
});

describe('graceful deletion', () => {
  it('stops the containers and removes the pod after a short stop', () => {
    const c = cluster();
    c.run('bye', app('nginx:1.27'));
    c.advance(5_000);
    const p = c.pod('bye')!;
    p.metadata.deletionTimestamp = new Date(c.clock.now() + 30_000).toISOString();
    p.metadata.deletionGracePeriodSeconds = 30;
    c.store.update('pods', p);
    c.kubelet.flush();
    expect(c.events('bye', 'Killing')[0]?.message).toBe('Stopping container app');
    expect(c.pod('bye')).toBeDefined();
    c.advance(1_000);
    expect(c.pod('bye')).toBeUndefined();
  });
});

describe('a pod recreated under the same name', () => {
  it('starts afresh (new uid, restartCount 0, its own events) and holds its node resources once', () => {
    const c = cluster([crashRule], 1);
    const big = { resources: { requests: { cpu: '3' } } };
    c.run('db-0', app('acme/crasher:1', big));
    c.until(() => c.status('db-0')?.restartCount === 2);
    const oldUid = c.pod('db-0')?.metadata.uid;
    c.store.remove('pods', NS, 'db-0');
    c.run('db-0', app('acme/crasher:1', big));
    c.advance(500);
    expect(c.pod('db-0')?.metadata.uid).not.toBe(oldUid);
    expect(c.pod('db-0')?.spec.nodeName).toBe('node-1');
    expect(c.status('db-0')).toMatchObject({ restartCount: 0, lastState: {} });
    c.run('other', app('acme/api:1', big));
    expect(c.pod('other')?.spec.nodeName).toBeUndefined();
  });
});

describe('scheduling', () => {
  it('an unschedulable pod stays Pending with a FailedScheduling event, and is placed when a node fits', () => {
    const c = cluster();
    c.run('big', app('acme/api:1', { resources: { requests: { memory: '20Gi' } } }));
    const message =
      '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(c.pod('big')?.spec.nodeName).toBeUndefined();
    expect(c.pod('big')?.status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }),
    ]);
    expect(c.events('big', 'FailedScheduling')[0]).toMatchObject({
      type: 'Warning',
      message,
      source: { component: 'default-scheduler' },
    });
    c.store.create('nodes', buildNode('node-big', { index: 9, memory: '64Gi' }));
    c.kubelet.flush();
    expect(c.pod('big')?.spec.nodeName).toBe('node-big');
  });

  it('a freed node takes a pending pod', () => {
    const c = cluster([], 1);
    c.run('a', app('acme/api:1', { resources: { requests: { cpu: '3' } } }));
    c.run('b', app('acme/api:1', { resources: { requests: { cpu: '3' } } }));
    expect(c.pod('b')?.spec.nodeName).toBeUndefined();
    c.store.remove('pods', NS, 'a');
    c.kubelet.flush();
    expect(c.pod('b')?.spec.nodeName).toBe('node-1');
  });

  it('a pod bound to a node that is not there waits for it', () => {
    const c = cluster([], 1);
    c.run('pinned', { nodeName: 'node-7', ...app('nginx:1.27') });
    c.advance(10_000);
    expect(c.pod('pinned')?.status.phase).toBe('Pending');
    expect(c.pod('pinned')?.status.containerStatuses).toBeUndefined();
    c.store.create('nodes', buildNode('node-7', { index: 7 }));
    c.advance(5_000);
    expect(c.pod('pinned')?.status.phase).toBe('Running');
  });

  it('a running pod has its IPs, start time, QoS class and all conditions', () => {
    const c = cluster();
    c.run(
      'ok',
      app('nginx:1.27', {
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      }),
    );
    c.advance(5_000);
    const s = c.pod('ok')?.status;
    const node = c.store.get('nodes', undefined, c.pod('ok')?.spec.nodeName);
    expect(s.podIP.startsWith(node?.spec.podCIDR.replace(/\.0\/24$/, '.'))).toBe(true);
    expect(s).toMatchObject({ phase: 'Running', hostIP: node?.status.addresses[0].address, qosClass: 'Guaranteed' });
    expect(s.startTime).toMatch(/Z$/);
    expect(s.conditions.map((x: { type: string; status: string }) => `${x.type}=${x.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(s.containerStatuses[0]).toMatchObject({ image: 'docker.io/library/nginx:1.27', ready: true, started: true });
  });
});

describe('debug pods from src/debugpods run', () => {
  const source = (image: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'ledger-1', namespace: NS, labels: { app: 'ledger' } },
    spec: { containers: [{ name: 'app', image, livenessProbe: { httpGet: { path: '/', port: 8080 } } }] },
  });
  const req = {
    requestId: 'req1',
    container: 'app',
    requestedBy: 'U1',
    ttlSeconds: 3600,
    maxTtlSeconds: 7200,
    helperImage: 'busybox:1.37-musl',
  };

  it.each(['gcr.io/distroless/static:nonroot', 'ghcr.io/acme/crasher:1'])(
    'a clone of a crashing pod with image %s keeps running with its injected busybox',
    (image) => {
      const c = cluster([{ image: 'acme/crasher', behaviour: { kind: 'exit', exitCode: 2, afterSeconds: 1 } }]);
      const clone = buildDebugClone(source(image), req, { suffix: 'abcde', now: new Date(c.clock.now()) }).pod;
      c.store.create('pods', { ...clone, status: { phase: 'Pending' } } as never);
      c.kubelet.flush();
      const name = clone.metadata?.name as string;
      c.advance(120_000);
      const s = c.store.get('pods', NS, name)?.status;
      expect(s.phase).toBe('Running');
      expect(s.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(s.containerStatuses[0]).toMatchObject({ restartCount: 0, state: { running: expect.anything() } });
    },
  );

  it('a node shell pinned to its node runs', () => {
    const c = cluster();
    const shell = buildNodeShell(
      'node-2',
      {
        requestId: 'r2',
        node: 'node-2',
        requestedBy: 'U1',
        ttlSeconds: 600,
        maxTtlSeconds: 900,
        image: 'busybox:1.37-musl',
      },
      { suffix: 'fghij', now: new Date(c.clock.now()) },
    ).pod;
    c.store.create('pods', { ...shell, status: { phase: 'Pending' } } as never);
    c.kubelet.flush();
    c.advance(10_000);
    const p = c.store.get('pods', shell.metadata?.namespace as string, shell.metadata?.name as string);
    expect(p?.status.phase).toBe('Running');
    expect(p?.status.podIP).toBe(p?.status.hostIP);
    expect(c.store.list('events', shell.metadata?.namespace).some((e) => e.reason === 'Scheduled')).toBe(false);
  });
});

describe('ephemeral containers', () => {
  it('an ephemeral container added to a running pod starts, and is reported apart', () => {
    const c = cluster();
    c.run('eph', app('gcr.io/distroless/static:nonroot'));
    c.advance(5_000);
    const p = c.pod('eph')!;
    p.spec.ephemeralContainers = [
      { name: 'debugger-x1', image: 'busybox:1.36', command: ['sleep', '600'], targetContainerName: 'app' },
    ];
    c.store.update('pods', p);
    c.advance(3_000);
    const s = c.pod('eph')?.status;
    expect(s.ephemeralContainerStatuses).toEqual([
      expect.objectContaining({ name: 'debugger-x1', state: { running: expect.anything() } }),
    ]);
    expect(s.containerStatuses).toHaveLength(1);
    expect(c.events('eph', 'Started').map((e) => e.involvedObject.fieldPath)).toContain(
      'spec.ephemeralContainers{debugger-x1}',
    );
    c.advance(600_000);
    expect(c.pod('eph')?.status.ephemeralContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0 });
    expect(c.pod('eph')?.status.phase).toBe('Running');
  });
});
