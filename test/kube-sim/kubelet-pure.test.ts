import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseLogInstance } from '../sim/kube/kubelet/choose-log-instance.js';
import { decideRestart, goDuration } from '../sim/kube/kubelet/crash-back-off.js';
import { hasProgram, lookupImage, normaliseImage } from '../sim/kube/kubelet/image-catalogue.js';
import { missingEnvConfig, missingVolumeConfig } from '../sim/kube/kubelet/missing-config.js';
import { imageMatches, planContainer, startErrorMessage } from '../sim/kube/kubelet/plan-container.js';
import { podPhase } from '../sim/kube/kubelet/pod-phase.js';
import { podRequests } from '../sim/kube/kubelet/pod-requests.js';
import { qosClass } from '../sim/kube/kubelet/qos-class.js';
import { parseCpuMillis, parseQuantity } from '../sim/kube/kubelet/quantity.js';
import { type InstanceLog, logTimestamp, renderLog } from '../sim/kube/kubelet/render-log.js';
import { schedulePod } from '../sim/kube/kubelet/schedule-pod.js';
import { buildNode } from '../sim/kube/scenarios/build-objects.js';

describe('quantities', () => {
  it.each([
    ['500m', 500],
    ['1', 1000],
    ['1.5', 1500],
    ['2', 2000],
    ['0.1', 100],
  ])('cpu %s is %d millicores', (q, want) => {
    expect(parseCpuMillis(q)).toBe(want);
  });

  it.each([
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['64Ki', 65536],
    ['1e3', 1000],
    ['123', 123],
    ['bogus', 0],
  ])('memory %s is %d bytes', (q, want) => {
    expect(parseQuantity(q)).toBe(want);
  });
});

const pod = (spec: Record<string, unknown>) => ({ metadata: { name: 'p', namespace: 'ns' }, spec });
const ctr = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: 'ghcr.io/acme/api:1.0', ...extra });

describe('pod requests and QoS', () => {
  it('takes the larger of the containers sum and the biggest init container', () => {
    const p = pod({
      initContainers: [ctr({ name: 'i', resources: { requests: { cpu: '2', memory: '1Gi' } } })],
      containers: [
        ctr({ resources: { requests: { cpu: '500m', memory: '2Gi' } } }),
        ctr({ name: 'b', resources: { limits: { cpu: '250m', memory: '512Mi' } } }),
      ],
    });
    expect(podRequests(p)).toEqual({ cpuMillis: 2000, memoryBytes: 2.5 * 2 ** 30 });
  });

  it.each([
    ['BestEffort', [ctr()]],
    ['Guaranteed', [ctr({ resources: { limits: { cpu: '1', memory: '1Gi' } } })]],
    ['Burstable', [ctr({ resources: { requests: { cpu: '100m' } } })]],
    ['Burstable', [ctr({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } } })]],
  ])('a pod is %s', (want, containers) => {
    expect(qosClass(pod({ containers }))).toBe(want);
  });
});

describe('scheduler', () => {
  const usage = (node: ReturnType<typeof buildNode>, cpuMillis = 0, memoryBytes = 0, pods = 0) => ({
    node,
    cpuMillis,
    memoryBytes,
    pods,
  });
  const three = [1, 2, 3].map((i) => usage(buildNode(`node-${i}`, { index: i })));
  const big = pod({ containers: [ctr({ resources: { requests: { memory: '64Gi' } } })] });

  it('places a pod on the least used node that fits', () => {
    const nodes = [usage(buildNode('a'), 3000), usage(buildNode('b'), 100), usage(buildNode('c'), 2000)];
    expect(schedulePod(pod({ containers: [ctr()] }), { cpuMillis: 100, memoryBytes: 0 }, nodes)).toEqual({
      ok: true,
      nodeName: 'b',
    });
  });

  it.each([
    {
      // kube-scheduler v1.37.2 says so for a request larger than any node's allocatable: evicting cannot help.
      name: 'more memory than any node has',
      pod: big,
      nodes: three,
      message:
        '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    },
    {
      name: 'more memory than is free on any node, but no more than a node has',
      pod: pod({ containers: [ctr({ resources: { requests: { memory: '15900Mi' } } })] }),
      nodes: three.map((u) => ({ ...u, memoryBytes: 1024 * 1024 * 1024 })),
      message:
        '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    },
    {
      name: 'a nodeSelector no node matches',
      pod: pod({ nodeSelector: { gpu: 'a100' }, containers: [ctr()] }),
      nodes: three,
      message:
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    },
    {
      name: 'a taint on one node and too little cpu on the others',
      pod: pod({ containers: [ctr({ resources: { requests: { cpu: '3' } } })] }),
      nodes: [
        usage(buildNode('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })),
        usage(buildNode('n2'), 2000),
        usage(buildNode('n3'), 2000),
      ],
      message:
        '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    },
    {
      name: 'a NotReady and a cordoned node',
      pod: pod({ containers: [ctr()] }),
      nodes: [usage(buildNode('n1', { ready: false })), usage(buildNode('n2', { unschedulable: true }))],
      message:
        '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    },
    {
      name: 'no nodes at all',
      pod: pod({ containers: [ctr()] }),
      nodes: [],
      message: 'no nodes available to schedule pods',
    },
  ])('explains $name as the default scheduler does', ({ pod: p, nodes, message }) => {
    expect(schedulePod(p, podRequests(p), nodes)).toEqual({ ok: false, message });
  });

  it('honours tolerations and required node affinity', () => {
    const tainted = buildNode('gpu-1', {
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      labels: { gpu: 'a100' },
    });
    const p = pod({
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'In', values: ['a100', 'h100'] }] }],
          },
        },
      },
      containers: [ctr()],
    });
    expect(schedulePod(p, podRequests(p), [usage(buildNode('plain')), usage(tainted)])).toEqual({
      ok: true,
      nodeName: 'gpu-1',
    });
  });

  it('a host port held on a node keeps another pod wanting it off that node', () => {
    const held = { ...usage(buildNode('n1')), hostPorts: new Map([['TCP/8080', 1]]) };
    const p = pod({ containers: [ctr({ ports: [{ containerPort: 8080, hostPort: 8080 }] })] });
    expect(schedulePod(p, podRequests(p), [held], ['TCP/8080'])).toEqual({
      ok: false,
      message:
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    });
    expect(schedulePod(p, podRequests(p), [held, usage(buildNode('n2'))], ['TCP/8080'])).toEqual({
      ok: true,
      nodeName: 'n2',
    });
  });

  it('counts pods against allocatable pods', () => {
    const full = usage(buildNode('n1', { pods: '2' }), 0, 0, 2);
    const result = schedulePod(pod({ containers: [ctr()] }), { cpuMillis: 0, memoryBytes: 0 }, [full]);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('1 Too many pods') });
  });
});

describe('image catalogue', () => {
  it.each([
    ['gcr.io/distroless/static:nonroot', false],
    ['ghcr.io/acme/ledger:2.3.1-distroless', false],
    ['scratch', false],
    ['busybox:1.37-musl', true],
    ['alpine:3.20', true],
    ['node:20', true],
  ])('%s has a shell: %s', (image, want) => {
    expect(lookupImage(image).hasShell).toBe(want);
  });

  it.each([
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['acme/api', 'docker.io/acme/api:latest'],
    ['ghcr.io/acme/api:1.2', 'ghcr.io/acme/api:1.2'],
    ['localhost:5000/api', 'localhost:5000/api:latest'],
  ])('reports %s as %s', (image, want) => {
    expect(normaliseImage(image)).toBe(want);
  });

  it('busybox lacks programs it does not ship; a shell-less image lacks shell tools', () => {
    expect(hasProgram(lookupImage('busybox'), 'sleep')).toBe(true);
    expect(hasProgram(lookupImage('busybox'), 'bash')).toBe(false);
    expect(hasProgram(lookupImage('gcr.io/distroless/base'), 'sleep')).toBe(false);
    expect(hasProgram(lookupImage('gcr.io/distroless/base'), '/ledger')).toBe(true);
  });

  it.each([
    ['busybox*', 'busybox:1.37-musl', true],
    ['acme/api', 'ghcr.io/acme/api:1.0', true],
    ['api', 'ghcr.io/acme/api:1.0', true],
    ['ghcr.io/acme/api:1.0', 'ghcr.io/acme/api:1.0', true],
    ['acme/api', 'ghcr.io/acme/apix:1.0', false],
  ])('rule image %s matches %s: %s', (pattern, image, want) => {
    expect(imageMatches(pattern, image)).toBe(want);
  });
});

describe('what starting a container does', () => {
  const plan = (c: Record<string, unknown>, podSpec: Record<string, unknown> = {}, isInit = false) =>
    planContainer({ name: 'app', ...c }, { podSpec: { containers: [c], ...podSpec }, isInit, rules: [] });

  it('a shell command in a shell-less image is a StartError with the runtime message', () => {
    expect(plan({ image: 'gcr.io/distroless/static', command: ['sh', '-c', 'echo hi'] })).toEqual({
      kind: 'startError',
      message:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown',
    });
  });

  it('sleep in a shell-less image is not found either', () => {
    expect(plan({ image: 'ghcr.io/acme/ledger:2-distroless', command: ['sleep', '3600'] })).toMatchObject({
      kind: 'startError',
      message: expect.stringContaining('exec: "sleep": executable file not found in $PATH'),
    });
  });

  it('a missing absolute path is reported with stat', () => {
    expect(startErrorMessage('/app/run')).toContain(
      'exec: "/app/run": stat /app/run: no such file or directory: unknown',
    );
  });

  it.each([
    ['busybox:1.36', 'sh: bash: not found'],
    ['debian:12', '/bin/sh: 1: curl: not found'],
  ])('in %s a missing command via sh exits 127 printing %s', (image, line) => {
    const cmd = image.startsWith('busybox') ? 'bash -l' : 'curl -fsS http://localhost:8080/healthz';
    const p = plan({ image, command: ['sh', '-c', cmd] });
    expect(p).toMatchObject({ kind: 'exit', exitCode: 127, reason: 'Error' });
    expect(p.kind === 'exit' && p.script.map((l) => l.text)).toEqual([line]);
  });

  it('sleep N in an image with a shell runs N seconds then completes', () => {
    expect(plan({ image: 'ghcr.io/acme/api:1', command: ['sleep', '3600'] })).toMatchObject({
      kind: 'exit',
      exitCode: 0,
      afterMs: 3_600_000,
      reason: 'Completed',
    });
  });

  const clone = {
    volumes: [{ name: 'debugdead-tools', emptyDir: { sizeLimit: '16Mi' } }],
    initContainers: [
      {
        name: 'debugdead-tools',
        image: 'busybox:1.37-musl',
        command: ['/bin/busybox', 'cp', '/bin/busybox', '/.debugdead/busybox'],
        volumeMounts: [{ name: 'debugdead-tools', mountPath: '/.debugdead' }],
      },
    ],
  };
  const target = {
    image: 'gcr.io/distroless/static:nonroot',
    command: ['/.debugdead/busybox', 'sleep', '3600'],
    volumeMounts: [{ name: 'debugdead-tools', mountPath: '/.debugdead' }],
  };

  it("a debug clone's injected busybox sleeps in a shell-less image", () => {
    expect(plan(target, clone)).toMatchObject({ kind: 'exit', exitCode: 0, afterMs: 3_600_000 });
  });

  it('the busybox injector itself completes', () => {
    expect(plan(clone.initContainers[0] as Record<string, unknown>, clone, true)).toMatchObject({
      kind: 'exit',
      exitCode: 0,
    });
  });

  it('without the injector the path does not exist', () => {
    expect(plan(target, { volumes: clone.volumes })).toMatchObject({
      kind: 'startError',
      message: expect.stringContaining(
        'exec: "/.debugdead/busybox": stat /.debugdead/busybox: no such file or directory',
      ),
    });
  });

  it('an image-only rule does not capture a sleeping debug copy, a command rule does', () => {
    const rules = [{ image: 'acme/api', behaviour: { kind: 'exit' as const, exitCode: 3, afterSeconds: 1 } }];
    const ctx = { podSpec: {}, isInit: false, rules };
    expect(planContainer({ name: 'a', image: 'acme/api:1', command: ['node', 'server.js'] }, ctx)).toMatchObject({
      exitCode: 3,
    });
    expect(planContainer({ name: 'a', image: 'acme/api:1', command: ['sleep', '60'] }, ctx)).toMatchObject({
      exitCode: 0,
    });
    const byCommand = [{ image: 'acme/api', command: 'sleep', behaviour: { kind: 'run' as const } }];
    expect(
      planContainer({ name: 'a', image: 'acme/api:1', command: ['sleep', '60'] }, { ...ctx, rules: byCommand }),
    ).toMatchObject({
      kind: 'run',
    });
  });

  it('liveness failure needs a liveness probe', () => {
    const rules = [{ image: 'acme/api', behaviour: { kind: 'failLiveness' as const } }];
    const ctx = { podSpec: {}, isInit: false, rules };
    expect(planContainer({ name: 'a', image: 'acme/api:1' }, ctx)).toMatchObject({ kind: 'run' });
    expect(
      planContainer({ name: 'a', image: 'acme/api:1', livenessProbe: { httpGet: { path: '/', port: 80 } } }, ctx),
    ).toEqual({
      kind: 'failLiveness',
      script: [],
      probeMessage: 'HTTP probe failed with statuscode: 503',
    });
  });

  it('unknown init containers complete and unknown containers run', () => {
    expect(plan({ image: 'ghcr.io/acme/x:1' }, {}, true)).toMatchObject({
      kind: 'exit',
      exitCode: 0,
      reason: 'Completed',
    });
    expect(plan({ image: 'ghcr.io/acme/x:1' })).toMatchObject({ kind: 'run' });
  });
});

describe('missing configuration', () => {
  const present = new Map([['configmaps/ns/app', { metadata: { name: 'app' }, data: { mode: 'live' } }]]);
  const lookup = (r: string, ns: string, name: string) => present.get(`${r}/${ns}/${name}`);

  it.each([
    [{ envFrom: [{ configMapRef: { name: 'x' } }] }, 'configmap "x" not found'],
    [{ envFrom: [{ secretRef: { name: 'db' } }] }, 'secret "db" not found'],
    [
      { env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'app', key: 'nope' } } }] },
      "couldn't find key nope in ConfigMap ns/app",
    ],
    [{ env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } }] }, undefined],
    [{ env: [{ name: 'M', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } }] }, undefined],
  ])('env %j → %s', (c, want) => {
    expect(missingEnvConfig(c, 'ns', lookup)).toBe(want);
  });

  it('a missing volume source is a FailedMount message', () => {
    expect(missingVolumeConfig({ volumes: [{ name: 'cfg', configMap: { name: 'nope' } }] }, 'ns', lookup)).toBe(
      'MountVolume.SetUp failed for volume "cfg" : configmap "nope" not found',
    );
  });
});

describe('pod phase', () => {
  const running = { state: { running: {} } };
  const exited = (code: number) => ({ state: { terminated: { exitCode: code } } });
  const backoff = (code: number) => ({
    state: { waiting: { reason: 'CrashLoopBackOff' } },
    lastState: { terminated: { exitCode: code } },
  });
  const spec = (restartPolicy: string, init = false) => ({
    restartPolicy,
    containers: [{ name: 'a' }],
    ...(init ? { initContainers: [{ name: 'i' }] } : {}),
  });
  const named = (s: object, name = 'a') => ({ name, ...s });

  it.each([
    ['Always', [], [running], 'Running'],
    ['Always', [], [backoff(1)], 'Running'],
    ['Always', [], [{ state: { waiting: { reason: 'ContainerCreating' } } }], 'Pending'],
    ['Never', [], [exited(0)], 'Succeeded'],
    ['Never', [], [exited(2)], 'Failed'],
    ['OnFailure', [], [exited(0)], 'Succeeded'],
    ['OnFailure', [], [backoff(1)], 'Running'],
  ])('restartPolicy %s with %j %j is %s', (policy, inits, statuses, want) => {
    expect(
      podPhase(
        spec(policy),
        inits,
        statuses.map((s) => named(s)),
      ),
    ).toBe(want);
  });

  it.each([
    ['Always', backoff(1), 'Pending'],
    ['Never', exited(1), 'Failed'],
    ['Always', { state: { running: {} } }, 'Pending'],
  ])('init container under %s in %j leaves the pod %s', (policy, init, want) => {
    expect(
      podPhase(spec(policy, true), [named(init, 'i')], [named({ state: { waiting: { reason: 'PodInitializing' } } })]),
    ).toBe(want);
  });
});

describe('log rendering', () => {
  const log: InstanceLog = {
    startedAt: Date.parse('2026-11-23T09:00:00Z'),
    script: [
      { at: 0, text: 'one' },
      { at: 1000, text: 'two {{restart}}' },
      { at: 5000, text: 'three at {{time}}' },
    ],
    vars: { restart: 4, pod: 'web-1', podIP: '10.244.1.2' },
  };
  const t0 = log.startedAt;

  it('shows only what has been printed by now', () => {
    expect(renderLog(log, { container: 'app' }, t0 + 1500)).toBe('one\ntwo 4\n');
  });

  it('tailLines, sinceSeconds and timestamps', () => {
    const now = t0 + 10_000;
    expect(renderLog(log, { container: 'app', tailLines: 1 }, now)).toBe('three at 2026-11-23T09:00:05.000Z\n');
    expect(renderLog(log, { container: 'app', sinceSeconds: 9 }, now)).toBe(
      'two 4\nthree at 2026-11-23T09:00:05.000Z\n',
    );
    expect(renderLog(log, { container: 'app', timestamps: true, tailLines: 1 }, now)).toMatch(
      /^2026-11-23T09:00:05\.000\d{6}Z three at/,
    );
  });

  it('timestamps have nine fractional digits', () => {
    expect(logTimestamp(t0, 3)).toMatch(/^2026-11-23T09:00:00\.000\d{6}Z$/);
  });

  it('limitBytes never returns more bytes than asked, and tailLines never more lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 30 }).filter((s) => !s.includes('\n') && !s.includes('{{')),
          { maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 25 }),
        (lines, limit, tail) => {
          const l: InstanceLog = { ...log, script: lines.map((text, i) => ({ at: i, text })) };
          const body = renderLog(l, { container: 'app', limitBytes: limit }, t0 + 1000);
          expect(Buffer.byteLength(body)).toBeLessThanOrEqual(limit);
          const tailed = renderLog(l, { container: 'app', tailLines: tail }, t0 + 1000);
          expect(tailed.split('\n').length - 1).toBe(Math.min(tail, lines.length));
        },
      ),
    );
  });
});

describe('crash back-off', () => {
  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [823, '823ms'],
    [1_140, '1.14s'],
  ])('%d ms prints as %s', (ms, want) => {
    expect(goDuration(ms)).toBe(want);
  });

  it('restarts at once with no entry, waits within the delay, and forgets an entry older than ten minutes', () => {
    expect(decideRestart(undefined, 1000, 2000)).toEqual({ start: true, backoff: { delay: 10_000, updatedAt: 2000 } });
    const waiting = decideRestart({ delay: 20_000, updatedAt: 0 }, 5_000, 6_000);
    expect(waiting).toMatchObject({ start: false, delay: 20_000, until: 25_000 });
    expect(!waiting.start && waiting.next(25_000)).toEqual({ delay: 40_000, updatedAt: 25_000 });
    expect(decideRestart({ delay: 300_000, updatedAt: 0 }, 700_000, 701_000)).toEqual({
      start: true,
      backoff: { delay: 10_000, updatedAt: 701_000 },
    });
  });

  it('the delay never exceeds five minutes however often it crashes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500_000 }), { maxLength: 40 }), (runs) => {
        let b: { delay: number; updatedAt: number } | undefined;
        let now = 0;
        for (const ran of runs) {
          now += ran;
          const d = decideRestart(b, now, now);
          b = d.start ? d.backoff : d.next(d.until);
          if (!d.start) now = d.until;
          expect(b.delay).toBeLessThanOrEqual(300_000);
          expect(b.delay).toBeGreaterThanOrEqual(10_000);
        }
      }),
    );
  });
});

describe('which instance a log request reads', () => {
  const term = (id: string) => ({ terminated: { exitCode: 1, containerID: id } });
  it.each([
    [
      'running, current',
      { state: { running: {} }, containerID: 'c2', lastState: term('c1') },
      false,
      { ok: true, containerID: 'c2' },
    ],
    [
      'running, previous',
      { state: { running: {} }, containerID: 'c2', lastState: term('c1') },
      true,
      { ok: true, containerID: 'c1' },
    ],
    [
      'back-off, current',
      { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: term('c1') },
      false,
      { ok: true, containerID: 'c1' },
    ],
    [
      'never terminated, previous',
      { state: { running: {} }, containerID: 'c1', lastState: {} },
      true,
      { ok: false, message: 'previous terminated container "app" in pod "web-1" not found' },
    ],
    [
      'image pull error',
      { state: { waiting: { reason: 'ErrImagePull' } }, lastState: {} },
      false,
      { ok: false, message: 'container "app" in pod "web-1" is waiting to start: image can\'t be pulled' },
    ],
    [
      'image pull back-off',
      { state: { waiting: { reason: 'ImagePullBackOff' } }, lastState: {} },
      false,
      { ok: false, message: 'container "app" in pod "web-1" is waiting to start: trying and failing to pull image' },
    ],
    [
      'creating',
      { state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} },
      false,
      { ok: false, message: 'container "app" in pod "web-1" is waiting to start: ContainerCreating' },
    ],
    ['no status', undefined, false, { ok: false, message: 'container "app" in pod "web-1" is not available' }],
  ])('%s', (_name, cs, previous, want) => {
    expect(chooseLogInstance(cs, 'app', 'web-1', previous)).toEqual(want);
  });
});
