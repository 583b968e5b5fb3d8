import fc from 'fast-check';
import type { Container, OwnerReference, Pod, PodSpec } from '../../src/kube/types.js';

// An arbitrary valid pod as the API server could return it: unique container and volume names, mounts that refer to
// volumes, owners, probes, hostPorts, sidecars (classic and native), claims, security contexts, mesh annotations.

type Volume = NonNullable<PodSpec['volumes']>[number];

const dnsLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
/** Pod names are DNS subdomains: up to 253 characters with dots. */
const podName = fc.oneof(
  // Long names exercise the cut to 63 characters, including cuts that end on '-' or '.'.
  fc
    .array(fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.constantFrom('-', '.')), { minLength: 8, maxLength: 20 })
    .map((parts) =>
      parts
        .map(([word, sep]) => word + sep)
        .join('')
        .replace(/[.-]+$/, ''),
    ),
  fc
    .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,40}[a-z0-9])?$/), { minLength: 1, maxLength: 5 })
    .map((parts) =>
      parts
        .join('.')
        .slice(0, 253)
        .replace(/[.-]+$/, ''),
    )
    .filter((n) => n.length > 0),
);

const probe = fc.constantFrom<NonNullable<Container['livenessProbe']>>(
  { httpGet: { path: '/healthz', port: 8080 } },
  { tcpSocket: { port: 5432 } },
  { exec: { command: ['cat', '/tmp/ready'] } },
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const words = fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 });
const securityContext = fc.record(
  {
    runAsUser: fc.constantFrom(0, 1000, 10001),
    runAsNonRoot: fc.boolean(),
    readOnlyRootFilesystem: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
  },
  { requiredKeys: [] },
);

const volumeSource = fc.constantFrom<Omit<Volume, 'name'>>(
  { persistentVolumeClaim: { claimName: 'data-claim' } },
  { ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
  { emptyDir: {} },
  { configMap: { name: 'settings' } },
  { secret: { secretName: 'creds' } },
  { hostPath: { path: '/var/log' } },
);

function container(name: string, volumes: Volume[]): fc.Arbitrary<Container> {
  const names = volumes.map((v) => v.name);
  const claims = volumes.filter((v) => v.persistentVolumeClaim || v.ephemeral).map((v) => v.name);
  return fc
    .record({
      image: fc.constantFrom('nginx:1.27', 'registry.example.com/app:1.0', 'gcr.io/distroless/static'),
      command: optional(words),
      args: optional(words),
      livenessProbe: optional(probe),
      readinessProbe: optional(probe),
      startupProbe: optional(probe),
      lifecycle: optional(
        fc.oneof(
          fc.constant<Container['lifecycle']>({ postStart: { exec: { command: ['touch', '/tmp/started'] } } }),
          fc.nat({ max: 120 }).map((seconds): Container['lifecycle'] => ({ preStop: { sleep: { seconds } } })),
        ),
      ),
      // Guaranteed (requests = limits, or limits only) or Burstable.
      resources: optional(
        fc.oneof(
          fc.constant<Container['resources']>({ limits: { cpu: '2', memory: '1Gi' } }),
          fc.constant<Container['resources']>({
            requests: { cpu: '2000m', memory: '1Gi' },
            limits: { cpu: '2', memory: '1024Mi' },
          }),
          fc.constant<Container['resources']>({ requests: { cpu: '100m' } }),
        ),
      ),
      env: optional(
        fc.constant<Container['env']>([
          {
            name: 'JOB_COMPLETION_INDEX',
            valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
          },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        ]),
      ),
      ports: optional(
        fc.array(
          fc.record({
            containerPort: fc.integer({ min: 1, max: 65535 }),
            hostPort: optional(fc.integer({ min: 1, max: 65535 })),
          }),
          {
            maxLength: 3,
          },
        ),
      ),
      securityContext: optional(securityContext),
      mounts: fc.subarray(names),
      devices: fc.subarray(claims),
    })
    .map(({ mounts, devices, ...c }) => {
      const out: Container = { name, ...c };
      // A volume is either mounted or used as a raw block device in one container, never both.
      const blockDevices = devices.filter((d) => !mounts.includes(d));
      if (mounts.length) out.volumeMounts = mounts.map((m, i) => ({ name: m, mountPath: `/mnt/${i}` }));
      if (blockDevices.length)
        out.volumeDevices = blockDevices.map((d, i) => ({ name: d, devicePath: `/dev/blk${i}` }));
      for (const key of Object.keys(out) as (keyof Container)[]) if (out[key] === undefined) delete out[key];
      return out;
    });
}

const metadata = fc.record(
  {
    name: podName,
    namespace: dnsLabel,
    uid: fc.uuid(),
    resourceVersion: fc.nat().map(String),
    generateName: dnsLabel,
    labels: fc.dictionary(
      fc.constantFrom('app', 'tier', 'pod-template-hash', 'app.kubernetes.io/name', 'version'),
      dnsLabel,
    ),
    annotations: fc.dictionary(
      fc.constantFrom(
        'sidecar.istio.io/status',
        'linkerd.io/proxy-version',
        'prometheus.io/scrape',
        'checksum/config',
        'batch.kubernetes.io/job-completion-index',
        'kubernetes.io/config.mirror',
      ),
      fc.string({ maxLength: 20 }),
    ),
    ownerReferences: fc.constant<OwnerReference[]>([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true },
    ]),
    finalizers: fc.constant<string[]>(['example.com/protect']),
  },
  { requiredKeys: ['name'] },
);

/** A pod and the name of one of its containers (regular or init) to debug. */
export const arbitraryPodWithTarget: fc.Arbitrary<{ pod: Pod; target: string }> = fc
  .record({
    names: fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 6 }),
    initCount: fc.nat({ max: 3 }),
    volumeNames: fc.uniqueArray(dnsLabel, { maxLength: 5 }),
    volumeSources: fc.array(volumeSource, { minLength: 5, maxLength: 5 }),
    metadata,
    targetIndex: fc.nat(),
  })
  .chain(({ names, initCount, volumeNames, volumeSources, metadata, targetIndex }) => {
    const volumes: Volume[] = volumeNames.map((name, i) => ({ name, ...volumeSources[i]! }));
    const nInit = Math.min(initCount, names.length - 1);
    const initNames = names.slice(0, nInit);
    const mainNames = names.slice(nInit);
    return fc
      .record({
        init: fc.tuple(...initNames.map((n) => fc.tuple(container(n, volumes), fc.boolean()))),
        main: fc.tuple(...mainNames.map((n) => container(n, volumes))),
        spec: fc.record(
          {
            nodeName: dnsLabel,
            hostNetwork: fc.boolean(),
            hostname: dnsLabel,
            subdomain: dnsLabel,
            restartPolicy: fc.constantFrom('Always', 'OnFailure'),
            securityContext: securityContext,
            affinity: fc.constant<PodSpec['affinity']>({
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            }),
            topologySpreadConstraints: fc.constant<PodSpec['topologySpreadConstraints']>([
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
            ]),
            ephemeralContainers: fc.constant<PodSpec['ephemeralContainers']>([
              { name: 'debugger-x1', image: 'busybox' },
            ]),
          },
          { requiredKeys: [] },
        ),
        status: optional(fc.constant({ phase: 'Running' })),
      })
      .map(({ init, main, spec, status }) => {
        const initContainers = init.map(([c, native]) => (native ? { ...c, restartPolicy: 'Always' } : c));
        const pod: Pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata,
          spec: {
            ...spec,
            ...(initContainers.length ? { initContainers } : {}),
            containers: main,
            ...(volumes.length ? { volumes } : {}),
          },
          ...(status ? { status } : {}),
        };
        return { pod, target: names[targetIndex % names.length]! };
      });
  });

/** Freezes an object and everything it holds, so any write to it throws (ES modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
