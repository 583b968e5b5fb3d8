import type { Pod } from '../../src/kube/types.js';

// Pods as the API server returns them for common workloads, used by the clone table and reusable by e2e tests.

const ownedByReplicaSet = (rs: string) => [
  {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: rs,
    uid: '5f0c2d1e-7a8b-4c3d-9e2f-1a2b3c4d5e6f',
    controller: true,
    blockOwnerDeletion: true,
  },
];

const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** A Deployment's pod with everything the API server adds: owner, uid, managedFields, status. */
export function plainDeploymentPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d9f8c6b5-x2k4q',
      generateName: 'web-7d9f8c6b5-',
      namespace: 'shop',
      uid: '0e7d2a4c-1111-2222-3333-444455556666',
      resourceVersion: '48213',
      creationTimestamp: new Date('2026-11-20T08:00:00Z'),
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5', tier: 'frontend' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-20T07:59:00Z' },
      ownerReferences: ownedByReplicaSet('web-7d9f8c6b5'),
      finalizers: ['example.com/protect'],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1' }],
    },
    spec: {
      nodeName: 'node-a',
      serviceAccountName: 'web',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      tolerations: defaultTolerations,
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/shop/web:1.4.2',
          command: ['node'],
          args: ['server.js', '--port', '8080'],
          env: [{ name: 'NODE_ENV', value: 'production' }],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          image: 'registry.example.com/shop/web:1.4.2',
          imageID: '',
          ready: false,
          restartCount: 7,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
        },
      ],
    },
  };
}

const httpProbe = (path: string) => ({ httpGet: { path, port: 8080 }, periodSeconds: 10, failureThreshold: 3 });

/** All three probes and a postStart hook on the app container. */
export function podWithProbes(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.containers[0] = {
    ...pod.spec!.containers[0]!,
    livenessProbe: httpProbe('/healthz'),
    readinessProbe: httpProbe('/ready'),
    startupProbe: httpProbe('/started'),
    lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'warm-cache'] } } },
  };
  return pod;
}

/** A classic sidecar container and a native sidecar (init container with restartPolicy Always), each with probes. */
export function podWithSidecars(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.initContainers = [
    {
      name: 'cloud-sql-proxy',
      image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0',
      restartPolicy: 'Always',
      args: ['--port=5432', 'shop:europe-west1:db'],
      startupProbe: { tcpSocket: { port: 5432 }, periodSeconds: 1 },
      lifecycle: { preStop: { sleep: { seconds: 5 } } },
    },
  ];
  pod.spec!.containers.push({
    name: 'log-shipper',
    image: 'fluent/fluent-bit:3.2',
    readinessProbe: { httpGet: { path: '/api/v1/health', port: 2020 } },
    volumeMounts: [{ name: 'logs', mountPath: '/var/log/app' }],
  });
  pod.spec!.containers[0]!.volumeMounts = [{ name: 'logs', mountPath: '/var/log/app' }];
  pod.spec!.volumes = [{ name: 'logs', emptyDir: {} }];
  return pod;
}

/** Two init containers: a wait loop and a migration. */
export function podWithInitContainers(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.initContainers = [
    { name: 'wait-for-db', image: 'busybox:1.37', command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'] },
    { name: 'migrate', image: 'registry.example.com/shop/web:1.4.2', command: ['node', 'migrate.js'] },
  ];
  return pod;
}

/** A StatefulSet pod with a PVC, a block-mode PVC, a generic ephemeral volume and a ConfigMap. */
export function podWithClaims(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'db-0',
      namespace: 'data',
      labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'ss-uid', controller: true }],
    },
    spec: {
      hostname: 'db-0',
      subdomain: 'db',
      containers: [
        {
          name: 'postgres',
          image: 'postgres:17',
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/postgresql/data' },
            { name: 'scratch', mountPath: '/tmp/scratch' },
            { name: 'config', mountPath: '/etc/postgresql', readOnly: true },
          ],
          volumeDevices: [{ name: 'wal', devicePath: '/dev/wal' }],
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
        { name: 'wal', persistentVolumeClaim: { claimName: 'wal-db-0' } },
        {
          name: 'scratch',
          ephemeral: {
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          },
        },
        { name: 'config', configMap: { name: 'db-config' } },
      ],
    },
  };
}

/** Restricted-profile pod: runAsNonRoot with a numeric user, read-only root filesystem, no capabilities. */
export function podRestricted(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.securityContext = {
    runAsNonRoot: true,
    runAsUser: 10001,
    fsGroup: 10001,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  pod.spec!.containers[0]!.securityContext = {
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  };
  return pod;
}

/** A node exporter-style pod holding a hostPort on its node. */
export function podWithHostPort(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.containers[0]!.ports = [
    { name: 'metrics', containerPort: 9100, hostPort: 9100, hostIP: '0.0.0.0', protocol: 'TCP' },
    { name: 'http', containerPort: 8080, protocol: 'TCP' },
  ];
  return pod;
}

/** A pod after Istio's injector ran: istio-init, istio-proxy, the status annotation and the mesh labels. */
export function podWithIstio(): Pod {
  const pod = plainDeploymentPod();
  pod.metadata!.labels = {
    ...pod.metadata!.labels,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': 'web',
  };
  pod.metadata!.annotations = {
    'sidecar.istio.io/status':
      '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy"]}',
    'prometheus.io/scrape': 'true',
    'kubectl.kubernetes.io/default-container': 'app',
  };
  pod.spec!.initContainers = [
    {
      name: 'istio-init',
      image: 'docker.io/istio/proxyv2:1.24.0',
      args: ['istio-iptables', '-p', '15001'],
      securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] }, runAsUser: 0, runAsNonRoot: false },
    },
  ];
  pod.spec!.containers.push({
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.24.0',
    args: ['proxy', 'sidecar'],
    readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } },
    volumeMounts: [{ name: 'istio-envoy', mountPath: '/etc/istio/proxy' }],
  });
  pod.spec!.volumes = [{ name: 'istio-envoy', emptyDir: { medium: 'Memory' } }];
  return pod;
}

/** A 63-character pod name (the longest DNS label). */
export function podWithLongName(): Pod {
  const pod = plainDeploymentPod();
  pod.metadata!.name = 'payments-reconciliation-worker-eu-west-1-7d9f8c6b5-x2k4q-abcdef';
  return pod;
}

/** A pod built from a scratch image: no command, no args, no shell. */
export function podFromScratch(): Pod {
  const pod = plainDeploymentPod();
  pod.metadata!.name = 'scratch-crash-6c8d7-qz9rm';
  pod.spec!.containers[0] = { name: 'app', image: 'registry.example.com/tools/static-go:0.3' };
  return pod;
}

/** Scheduling rules: nodeSelector, node and pod anti-affinity, topology spread, a scheduling gate. */
export function podWithSchedulingRules(): Pod {
  const pod = plainDeploymentPod();
  pod.spec!.nodeSelector = { 'kubernetes.io/arch': 'arm64' };
  pod.spec!.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['web'] }] }],
      },
    },
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  };
  pod.spec!.topologySpreadConstraints = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
  ];
  pod.spec!.hostname = 'web';
  return pod;
}
