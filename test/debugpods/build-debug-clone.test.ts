import { describe, expect, it } from 'vitest';
import {
  BUSYBOX_PATH,
  type BuiltPod,
  buildDebugClone,
  type CloneRequest,
  DebugPodError,
  shellJoin,
  TOOLS_DIR,
  TOOLS_NAME,
} from '../../src/debugpods/index.js';
import type { Container, Pod, PodSpec } from '../../src/kube/types.js';
import {
  plainDeploymentPod,
  podFromScratch,
  podRestricted,
  podWithClaims,
  podWithHostPort,
  podWithInitContainers,
  podWithIstio,
  podWithLongName,
  podWithProbes,
  podWithSchedulingRules,
  podWithSidecars,
} from './pod-shapes.js';

const request: CloneRequest = {
  requestId: 'req-1',
  container: 'app',
  requestedBy: 'U01ALICE',
  approvedBy: 'U02BOB',
  ttlSeconds: 3600,
  maxTtlSeconds: 14400,
  helperImage: 'busybox:1.37-musl',
};
const ids = { suffix: 'k3x9z', now: new Date('2026-11-23T09:15:00Z') };

const ourLabels = {
  'debugdead.io/managed': 'true',
  'debugdead.io/kind': 'clone',
  'debugdead.io/request-id': 'req-1',
  'sidecar.istio.io/inject': 'false',
};
const ourAnnotations = (source: string, original: object) => ({
  'debugdead.io/source-pod': source,
  'debugdead.io/requested-by': 'U01ALICE',
  'debugdead.io/approved-by': 'U02BOB',
  'debugdead.io/request-id': 'req-1',
  'debugdead.io/expires-at': '2026-11-23T10:15:00.000Z',
  'debugdead.io/original-command': JSON.stringify(original),
});
const toolsMount = { name: 'debugdead-tools', mountPath: '/.debugdead' };
const toolsVolume = { name: 'debugdead-tools', emptyDir: { sizeLimit: '16Mi' } };
const sleep = ['/.debugdead/busybox', 'sleep', '14400'];
const injector = (runAsUser = 65532): Container => ({
  name: 'debugdead-tools',
  image: 'busybox:1.37-musl',
  imagePullPolicy: 'IfNotPresent',
  command: [
    '/bin/busybox',
    'sh',
    '-c',
    'cp /bin/busybox /.debugdead/busybox && mkdir -p /.debugdead/bin && /.debugdead/busybox --install -s /.debugdead/bin',
  ],
  volumeMounts: [toolsMount],
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
  securityContext: {
    runAsUser,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  terminationMessagePolicy: 'FallbackToLogsOnError',
});
/** The plain pod's app container after cloning: asleep, with the tools mounted. */
const sleepingApp = (): Container => {
  const { args: _args, ...app } = plainDeploymentPod().spec!.containers[0]!;
  return { ...app, command: sleep, volumeMounts: [toolsMount] };
};
const LABELS_NOTE = 'labels not copied, so no Service or ReplicaSet selects the clone';

/** Fields a row may pin exactly; a field set to undefined must be absent. */
interface Want {
  pod?: Pod;
  name?: string;
  metadata?: Pod['metadata'];
  spec?: Partial<PodSpec>;
  containers?: Container[];
  initContainers?: Container[] | undefined;
  volumes?: PodSpec['volumes'];
  notes?: string[];
  execCommand?: string;
  originalCommand?: string;
}

function view(built: BuiltPod): Record<Exclude<keyof Want, 'spec'>, unknown> & { spec: PodSpec } {
  const spec = built.pod.spec!;
  return {
    pod: built.pod,
    name: built.pod.metadata!.name!,
    metadata: built.pod.metadata,
    spec,
    containers: spec.containers,
    initContainers: spec.initContainers,
    volumes: spec.volumes,
    notes: built.notes,
    execCommand: built.execCommand,
    originalCommand: built.originalCommand!,
  };
}

function project(built: BuiltPod, want: Want): Want {
  const all = view(built);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(want) as (keyof Want)[]) {
    if (key === 'spec') {
      out.spec = Object.fromEntries(Object.keys(want.spec!).map((k) => [k, all.spec[k as keyof PodSpec]]));
    } else {
      out[key] = all[key];
    }
  }
  return out as Want;
}

interface Row {
  name: string;
  source: Pod;
  request?: Partial<CloneRequest>;
  want: Want;
}

const rows: Row[] = [
  {
    name: 'plain Deployment pod',
    source: plainDeploymentPod(),
    want: {
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-7d9f8c6b5-x2k4q-debug-k3x9z',
          namespace: 'shop',
          labels: ourLabels,
          annotations: ourAnnotations('shop/web-7d9f8c6b5-x2k4q', {
            command: ['node'],
            args: ['server.js', '--port', '8080'],
          }),
        },
        spec: {
          serviceAccountName: 'web',
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
          restartPolicy: 'Never',
          activeDeadlineSeconds: 14400,
          terminationGracePeriodSeconds: 5,
          tolerations: plainDeploymentPod().spec!.tolerations,
          initContainers: [injector()],
          containers: [sleepingApp()],
          volumes: [toolsVolume],
        },
      },
      notes: [LABELS_NOTE],
      execCommand: `kubectl exec -it -n shop web-7d9f8c6b5-x2k4q-debug-k3x9z -c app -- /.debugdead/busybox sh -c 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'`,
      originalCommand: "/.debugdead/busybox sh -c 'node server.js --port 8080'",
    },
  },
  {
    name: 'pod with probes and a postStart hook',
    source: podWithProbes(),
    want: {
      containers: [sleepingApp()],
      notes: [LABELS_NOTE, 'probes removed from app', 'lifecycle hooks removed from app'],
    },
  },
  {
    name: 'pod with a classic and a native sidecar',
    source: podWithSidecars(),
    want: {
      initContainers: [
        injector(),
        {
          name: 'cloud-sql-proxy',
          image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
          restartPolicy: 'Always',
          args: ['--port=5432', 'shop:europe-west1:db'],
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
        },
      ],
      containers: [
        { ...sleepingApp(), volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }, toolsMount] },
        {
          name: 'log-shipper',
          image: 'fluent/fluent-bit:3.2',
          volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }],
        },
      ],
      volumes: [{ name: 'logs', emptyDir: {} }, toolsVolume],
      // The kept sidecar's 5 s preStop sleep must be shorter than the grace period (pod validation).
      spec: { terminationGracePeriodSeconds: 6 },
      notes: [
        LABELS_NOTE,
        'probes removed from cloud-sql-proxy, log-shipper',
        'termination grace period 6 s, longer than the 5 s lifecycle sleep a kept container has',
      ],
    },
  },
  {
    name: 'pod with sidecars, only the target kept',
    source: podWithSidecars(),
    request: { onlyTarget: true },
    want: {
      initContainers: [injector()],
      containers: [{ ...sleepingApp(), volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }, toolsMount] }],
      notes: [LABELS_NOTE, 'init containers dropped: cloud-sql-proxy', 'containers dropped: log-shipper'],
    },
  },
  {
    name: 'pod with init containers',
    source: podWithInitContainers(),
    want: {
      initContainers: [injector(), ...podWithInitContainers().spec!.initContainers!],
      containers: [sleepingApp()],
      notes: [LABELS_NOTE],
    },
  },
  {
    name: 'pod with init containers, dropped on request',
    source: podWithInitContainers(),
    request: { keepInitContainers: false },
    want: {
      initContainers: [injector()],
      notes: [LABELS_NOTE, 'init containers dropped: wait-for-db, migrate'],
    },
  },
  {
    name: 'pod whose target is an init container',
    source: podWithInitContainers(),
    request: { container: 'migrate', keepInitContainers: false },
    want: {
      initContainers: [
        injector(),
        {
          name: 'migrate',
          image: 'registry.example.com/shop/web:1.4.2',
          command: sleep,
          volumeMounts: [toolsMount],
        },
      ],
      containers: plainDeploymentPod().spec!.containers,
      notes: [LABELS_NOTE, 'init containers dropped: wait-for-db'],
      execCommand: `kubectl exec -it -n shop web-7d9f8c6b5-x2k4q-debug-k3x9z -c migrate -- /.debugdead/busybox sh -c 'PATH="$PATH:/.debugdead/bin" exec /.debugdead/busybox sh'`,
      originalCommand: "/.debugdead/busybox sh -c 'node migrate.js'",
    },
  },
  {
    name: 'pod whose target is an init container, only the target kept',
    source: podWithInitContainers(),
    request: { container: 'migrate', onlyTarget: true },
    want: {
      initContainers: [injector(), podWithInitContainers().spec!.initContainers![0]!],
      containers: [
        {
          name: 'migrate',
          image: 'registry.example.com/shop/web:1.4.2',
          command: sleep,
          volumeMounts: [toolsMount],
        },
      ],
      notes: [LABELS_NOTE, 'containers dropped: app', "init container migrate runs as the clone's only container"],
    },
  },
  {
    name: 'StatefulSet pod with PVCs, a block device and an ephemeral volume',
    source: podWithClaims(),
    request: { container: 'postgres' },
    want: {
      name: 'db-0-debug-k3x9z',
      spec: { hostname: undefined, subdomain: undefined },
      containers: [
        {
          name: 'postgres',
          image: 'postgres:17',
          command: sleep,
          volumeMounts: [...podWithClaims().spec!.containers[0]!.volumeMounts!, toolsMount],
        },
      ],
      volumes: [
        { name: 'data', emptyDir: {} },
        { name: 'wal', emptyDir: {} },
        { name: 'scratch', emptyDir: {} },
        { name: 'config', configMap: { name: 'db-config' } },
        toolsVolume,
      ],
      notes: [
        LABELS_NOTE,
        'PVC `data` swapped for emptyDir',
        'PVC `wal` swapped for emptyDir',
        'ephemeral volume `scratch` swapped for emptyDir',
        'block devices removed: /dev/wal (postgres)',
      ],
      originalCommand: '(image entrypoint)',
    },
  },
  {
    name: 'StatefulSet pod with claims kept read-only',
    source: podWithClaims(),
    request: { container: 'postgres', keepClaims: true },
    want: {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:17',
          command: sleep,
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/postgresql/data', readOnly: true },
            { name: 'scratch', mountPath: '/tmp/scratch', readOnly: true },
            { name: 'config', mountPath: '/etc/postgresql', readOnly: true },
            toolsMount,
          ],
          volumeDevices: [{ name: 'wal', devicePath: '/dev/wal' }],
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0', readOnly: true } },
        { name: 'wal', persistentVolumeClaim: { claimName: 'wal-db-0', readOnly: true } },
        { name: 'scratch', persistentVolumeClaim: { claimName: 'db-0-scratch', readOnly: true } },
        { name: 'config', configMap: { name: 'db-config' } },
        toolsVolume,
      ],
      notes: [
        LABELS_NOTE,
        'PVC `data` mounted read-only from claim `data-db-0`',
        'PVC `wal` mounted read-only from claim `wal-db-0`',
        'ephemeral volume `scratch` mounted read-only from claim `db-0-scratch`',
        'a ReadWriteOnce claim attaches to one node only: if the clone reports Multi-Attach, use the same node',
      ],
    },
  },
  {
    name: 'restricted pod (runAsNonRoot and readOnlyRootFilesystem)',
    source: podRestricted(),
    want: {
      spec: { securityContext: podRestricted().spec!.securityContext },
      initContainers: [injector(10001)],
      containers: [{ ...sleepingApp(), securityContext: podRestricted().spec!.containers[0]!.securityContext }],
      notes: [
        LABELS_NOTE,
        'app runs with runAsNonRoot: the shell is not root, so tools that need root will fail',
        'app has readOnlyRootFilesystem: write under /.debugdead or a mounted volume',
      ],
    },
  },
  {
    name: 'pod holding a hostPort',
    source: podWithHostPort(),
    want: {
      containers: [
        {
          ...sleepingApp(),
          ports: [
            { name: 'metrics', containerPort: 9100, protocol: 'TCP' },
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
          ],
        },
      ],
      notes: [LABELS_NOTE, 'hostPort dropped: 9100 (app)'],
    },
  },
  {
    name: 'pod with an injected Istio sidecar',
    source: podWithIstio(),
    want: {
      metadata: {
        name: 'web-7d9f8c6b5-x2k4q-debug-k3x9z',
        namespace: 'shop',
        labels: ourLabels,
        annotations: {
          'sidecar.istio.io/status': podWithIstio().metadata!.annotations!['sidecar.istio.io/status']!,
          ...ourAnnotations('shop/web-7d9f8c6b5-x2k4q', { command: ['node'], args: ['server.js', '--port', '8080'] }),
        },
      },
      initContainers: [injector(), podWithIstio().spec!.initContainers![0]!],
      containers: [
        sleepingApp(),
        {
          name: 'istio-proxy',
          image: 'docker.io/istio/proxyv2:1.24.0',
          args: ['proxy', 'sidecar'],
          volumeMounts: [{ name: 'istio-envoy', mountPath: '/etc/istio/proxy' }],
        },
      ],
      notes: [LABELS_NOTE, 'probes removed from istio-proxy'],
    },
  },
  {
    name: 'pod with a 63-character name',
    source: podWithLongName(),
    want: {
      // The source name is cut at 51 characters, which ends in '-': the dash goes too.
      name: 'payments-reconciliation-worker-eu-west-1-7d9f8c6b5-debug-k3x9z',
    },
  },
  {
    name: 'scratch-image pod with no command',
    source: podFromScratch(),
    want: {
      metadata: {
        name: 'scratch-crash-6c8d7-qz9rm-debug-k3x9z',
        namespace: 'shop',
        labels: ourLabels,
        annotations: ourAnnotations('shop/scratch-crash-6c8d7-qz9rm', {}),
      },
      containers: [
        { name: 'app', image: 'registry.example.com/tools/static-go:0.3', command: sleep, volumeMounts: [toolsMount] },
      ],
      originalCommand: '(image entrypoint)',
    },
  },
  {
    name: 'pod that passes only args to the image entrypoint',
    source: (() => {
      const pod = podFromScratch();
      pod.spec!.containers[0]!.args = ['--config', '/etc/app config.yaml'];
      return pod;
    })(),
    want: { originalCommand: "(image entrypoint) --config '/etc/app config.yaml'" },
  },
  {
    name: 'pod with scheduling rules',
    source: podWithSchedulingRules(),
    want: {
      spec: {
        nodeName: undefined,
        nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        affinity: { nodeAffinity: podWithSchedulingRules().spec!.affinity!.nodeAffinity },
        topologySpreadConstraints: undefined,
        tolerations: plainDeploymentPod().spec!.tolerations,
        hostname: undefined,
      },
    },
  },
  {
    name: 'pod with scheduling rules, kept on the same node',
    source: podWithSchedulingRules(),
    request: { sameNode: true },
    want: { spec: { nodeName: 'node-a' } },
  },
];

describe('buildDebugClone', () => {
  it.each(rows)('clones a $name as the rule book says', ({ source, request: overrides, want }) => {
    const built = buildDebugClone(source, { ...request, ...overrides }, ids);
    expect(project(built, want)).toEqual(want);
  });

  it.each(rows)(
    'a clone of the $name has no owner, probes, hostPorts, finalizers or status',
    ({ source, request: o }) => {
      const { pod } = buildDebugClone(source, { ...request, ...o }, ids);
      const containers = [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers];
      expect(pod.metadata!.ownerReferences).toBeUndefined();
      expect(pod.metadata!.finalizers).toBeUndefined();
      expect(pod.status).toBeUndefined();
      expect(containers.filter((c) => c.livenessProbe || c.readinessProbe || c.startupProbe)).toEqual([]);
      expect(containers.flatMap((c) => c.ports ?? []).filter((p) => p.hostPort)).toEqual([]);
      expect(pod.spec!.initContainers![0]!.name).toBe(TOOLS_NAME);
    },
  );

  it('names the person who asked and omits the approver when nobody approved separately', () => {
    const { pod } = buildDebugClone(plainDeploymentPod(), { ...request, approvedBy: undefined }, ids);
    expect(pod.metadata!.annotations!['debugdead.io/requested-by']).toBe('U01ALICE');
    expect(pod.metadata!.annotations).not.toHaveProperty('debugdead.io/approved-by');
  });

  it('a clone of a clone carries one busybox injector and one tools volume', () => {
    const first = buildDebugClone(plainDeploymentPod(), request, ids).pod;
    const { pod } = buildDebugClone(first, request, { ...ids, suffix: 'zzzzz' });
    expect(pod.spec!.initContainers!.map((c) => c.name)).toEqual([TOOLS_NAME]);
    expect(pod.spec!.volumes!.map((v) => v.name)).toEqual([TOOLS_NAME]);
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([{ name: TOOLS_NAME, mountPath: TOOLS_DIR }]);
    expect(pod.spec!.containers[0]!.command).toEqual([BUSYBOX_PATH, 'sleep', '14400']);
  });

  it('records the original command line with shell quoting, run by the injected busybox', () => {
    const pod = plainDeploymentPod();
    pod.spec!.containers[0]!.command = ['/bin/sh', '-c'];
    pod.spec!.containers[0]!.args = ["exec app --name 'it''s' $HOME"];
    expect(buildDebugClone(pod, request, ids).originalCommand).toBe(
      shellJoin(['/.debugdead/busybox', 'sh', '-c', shellJoin(['/bin/sh', '-c', "exec app --name 'it''s' $HOME"])]),
    );
  });

  it.each([
    ['an unknown container', { container: 'nope' }, 'ContainerNotFound', /has no container "nope" \(containers: app\)/],
    ['a TTL above the maximum', { ttlSeconds: 20000 }, 'InvalidRequest', /exceeds maxTtlSeconds/],
    ['a zero TTL', { ttlSeconds: 0 }, 'InvalidRequest', /ttlSeconds must be a whole number/],
    ['a fractional maximum TTL', { maxTtlSeconds: 1.5 }, 'InvalidRequest', /maxTtlSeconds must be/],
    ['no helper image', { helperImage: '' }, 'InvalidRequest', /helperImage is empty/],
  ] as const)('refuses %s with a DebugPodError', (_what, overrides, kind, message) => {
    const attempt = () => buildDebugClone(plainDeploymentPod(), { ...request, ...overrides }, ids);
    expect(attempt).toThrow(DebugPodError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect((e as DebugPodError).kind).toBe(kind);
    }
  });

  it('refuses a name suffix that is not lowercase letters and digits', () => {
    expect(() => buildDebugClone(plainDeploymentPod(), request, { ...ids, suffix: 'AB_1' })).toThrow(/name suffix/);
  });
});
