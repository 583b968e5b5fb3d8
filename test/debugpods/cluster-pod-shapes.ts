import type { Pod } from '../../src/kube/types.js';

// Pods as `kubectl get pod -o json` prints them on real clusters (admission defaults, webhook injections, kubelet
// status), one per rule that real API servers, schedulers and kubelets enforce on clones.

const status = (containers: { name: string; reason: string; message?: string; image: string }[]) => ({
  phase: 'Pending',
  containerStatuses: containers.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: false,
    restartCount: 3,
    started: false,
    state: { waiting: { reason: c.reason, ...(c.message ? { message: c.message } : {}) } },
  })),
});

const tolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

const apiAccess = (name: string) => ({
  name,
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  },
});
const apiMount = (name: string) => ({
  name,
  readOnly: true,
  mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
});

/** node-exporter from a DaemonSet: hostNetwork, hostPID, declared ports (hostPort defaulted), pinned by matchFields. */
export function nodeExporterPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'node-exporter-7xk2p',
      generateName: 'node-exporter-',
      namespace: 'monitoring',
      uid: '3c1f4d9e-aaaa-4bbb-8ccc-0d1e2f3a4b5c',
      resourceVersion: '90211',
      labels: {
        'app.kubernetes.io/name': 'node-exporter',
        'controller-revision-hash': '6d8b9c7f5',
        'pod-template-generation': '3',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'node-exporter',
          uid: '11111111-2222-4333-8444-555555555555',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      hostNetwork: true,
      hostPID: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      nodeName: 'worker-3',
      serviceAccountName: 'node-exporter',
      serviceAccount: 'node-exporter',
      priority: 0,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-3'] }] }],
          },
        },
      },
      tolerations: [{ operator: 'Exists' }],
      securityContext: { runAsNonRoot: true, runAsUser: 65534 },
      containers: [
        {
          name: 'node-exporter',
          image: 'quay.io/prometheus/node-exporter:v1.8.2',
          args: ['--path.rootfs=/host/root', '--web.listen-address=0.0.0.0:9100'],
          ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '180Mi' }, limits: { cpu: '250m', memory: '180Mi' } },
          volumeMounts: [
            { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
            apiMount('kube-api-access-8m2xq'),
          ],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      volumes: [{ name: 'root', hostPath: { path: '/', type: '' } }, apiAccess('kube-api-access-8m2xq')],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    },
  };
}

/** An IIS pod on a Windows node. */
export function windowsIisPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'iis-5f7c9d8b6-k8mzt', namespace: 'legacy', labels: { app: 'iis' } },
    spec: {
      os: { name: 'windows' },
      nodeSelector: { 'kubernetes.io/os': 'windows' },
      securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } },
      containers: [
        {
          name: 'iis',
          image: 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022',
          command: ['powershell', '-Command', 'C:\\ServiceMonitor.exe w3svc'],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
      ],
      tolerations,
    },
  };
}

/** kubeadm's etcd as its mirror pod: owned by the Node, hostNetwork, DirectoryOrCreate hostPaths. */
export function etcdMirrorPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'etcd-cp-1',
      namespace: 'kube-system',
      uid: '7b9c0d1e-2f3a-4b5c-8d6e-7f8091a2b3c4',
      labels: { component: 'etcd', tier: 'control-plane' },
      annotations: {
        'kubeadm.kubernetes.io/etcd.advertise-client-urls': 'https://10.0.0.10:2379',
        'kubernetes.io/config.hash': '2b1c5e0d8f',
        'kubernetes.io/config.mirror': '2b1c5e0d8f',
        'kubernetes.io/config.seen': '2026-11-20T08:00:00.000000000Z',
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: 'cp-1', uid: '0a0b0c0d-1111-4222-8333-444455556666', controller: true },
      ],
    },
    spec: {
      nodeName: 'cp-1',
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [
        {
          name: 'etcd',
          image: 'registry.k8s.io/etcd:3.5.16-0',
          command: [
            'etcd',
            '--data-dir=/var/lib/etcd',
            '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
            '--name=cp-1',
          ],
          resources: { requests: { cpu: '100m', memory: '100Mi' } },
          volumeMounts: [
            { name: 'etcd-data', mountPath: '/var/lib/etcd' },
            { name: 'etcd-certs', mountPath: '/etc/kubernetes/pki/etcd' },
          ],
          livenessProbe: {
            httpGet: { host: '127.0.0.1', path: '/livez', port: 2381, scheme: 'HTTP' },
            failureThreshold: 8,
          },
        },
      ],
      volumes: [
        { name: 'etcd-certs', hostPath: { path: '/etc/kubernetes/pki/etcd', type: 'DirectoryOrCreate' } },
        { name: 'etcd-data', hostPath: { path: '/var/lib/etcd', type: 'DirectoryOrCreate' } },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
    },
  };
}

/** A pod of an indexed Job: the index in an annotation and a label, read through the downward API. */
export function indexedJobPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'shard-2-8tq4w',
      generateName: 'shard-2-',
      namespace: 'batch',
      labels: {
        'batch.kubernetes.io/controller-uid': '9e8d7c6b-5a49-4382-9172-6a5b4c3d2e1f',
        'batch.kubernetes.io/job-completion-index': '2',
        'batch.kubernetes.io/job-name': 'shard',
        'controller-uid': '9e8d7c6b-5a49-4382-9172-6a5b4c3d2e1f',
        'job-name': 'shard',
      },
      annotations: { 'batch.kubernetes.io/job-completion-index': '2', 'team.example.com/owner': 'data' },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: 'shard',
          uid: '9e8d7c6b-5a49-4382-9172-6a5b4c3d2e1f',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      finalizers: ['batch.kubernetes.io/job-tracking'],
    },
    spec: {
      hostname: 'shard-2',
      subdomain: 'shard',
      restartPolicy: 'Never',
      containers: [
        {
          name: 'worker',
          image: 'registry.example.com/data/shard:7.1',
          command: ['python', '-m', 'shard', '--index=$(JOB_COMPLETION_INDEX)', '--cost=$$5'],
          env: [
            {
              name: 'JOB_COMPLETION_INDEX',
              valueFrom: {
                fieldRef: {
                  apiVersion: 'v1',
                  fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
                },
              },
            },
            {
              name: 'JOB_NAME',
              valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['job-name']" } },
            },
          ],
          volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }],
        },
      ],
      volumes: [
        {
          name: 'podinfo',
          downwardAPI: {
            items: [
              {
                path: 'owner',
                fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['team.example.com/owner']" },
              },
            ],
          },
        },
      ],
      tolerations,
    },
  };
}

/** A DPDK packet processor: Guaranteed, integer CPUs, hugepages, for exclusive NUMA-aligned cores. */
export function dpdkGuaranteedPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'upf-0', namespace: 'telco', labels: { app: 'upf' } },
    spec: {
      containers: [
        {
          name: 'upf',
          image: 'registry.example.com/telco/upf:24.3',
          command: ['/usr/bin/upf', '--lcores', '2-5'],
          resources: {
            requests: { cpu: '4', memory: '4Gi', 'hugepages-1Gi': '2Gi' },
            limits: { cpu: '4', memory: '4Gi', 'hugepages-1Gi': '2Gi' },
          },
          volumeMounts: [{ name: 'hugepages', mountPath: '/dev/hugepages' }],
        },
      ],
      volumes: [{ name: 'hugepages', emptyDir: { medium: 'HugePages' } }],
      tolerations,
    },
    status: { phase: 'Running', qosClass: 'Guaranteed' },
  };
}

/** A distroless app whose sidecar endpoint comes from an env reference. */
export function distrolessPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-6b7c8d9f4-r2d2x', namespace: 'shop', labels: { app: 'api' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 65532 },
      containers: [
        {
          name: 'api',
          image: 'gcr.io/distroless/static-debian12:nonroot',
          command: ['/app/api'],
          args: ['--upstream=$(SIDECAR_ENDPOINT)/v1', "--greeting=it's $(USER_NAME)"],
          env: [
            { name: 'SIDECAR_ENDPOINT', value: 'http://127.0.0.1:15000' },
            { name: 'USER_NAME', value: 'a b' },
          ],
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
      tolerations,
    },
  };
}

/** A pod stuck pulling its image. */
export function imagePullPod(): Pod {
  const image = 'registry.example.com/shop/web:1.4.3-typo';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-5c4b3a291-pull1', namespace: 'shop', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image, command: ['node', 'server.js'] }], tolerations },
    status: status([{ name: 'app', image, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` }]),
  };
}

/** A pod whose env reads a key its Secret does not have. */
export function missingSecretKeyPod(): Pod {
  const image = 'registry.example.com/shop/web:1.4.2';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-5c4b3a291-key01', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'app',
          image,
          command: ['node', 'server.js'],
          env: [
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            {
              name: 'LOG_LEVEL',
              valueFrom: { configMapKeyRef: { name: 'web-config', key: 'log-level', optional: true } },
            },
          ],
        },
      ],
      tolerations,
    },
    status: status([
      {
        name: 'app',
        image,
        reason: 'CreateContainerConfigError',
        message: "couldn't find key password in Secret shop/db",
      },
    ]),
  };
}

/** A mesh sidecar (native sidecar) that drains with a 20 s preStop sleep, beside a crashing app. */
export function longSleepSidecarPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orders-7f6e5d4c3-s1e2p', namespace: 'shop', labels: { app: 'orders' } },
    spec: {
      terminationGracePeriodSeconds: 45,
      initContainers: [
        {
          name: 'proxy',
          image: 'registry.example.com/mesh/proxy:1.22',
          restartPolicy: 'Always',
          lifecycle: { preStop: { sleep: { seconds: 20 } } },
        },
      ],
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/shop/orders:3.0',
          command: ['/orders'],
          lifecycle: { preStop: { sleep: { seconds: 30 } } },
        },
      ],
      tolerations,
    },
  };
}

/** A CNI agent from a DaemonSet: hostNetwork, privileged, host paths, a system priority class, init containers. */
export function cniAgentPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'calico-node-9wq2c',
      generateName: 'calico-node-',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'calico-node', 'controller-revision-hash': '58b9c6f7d4', 'pod-template-generation': '1' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'calico-node',
          uid: '22222222-3333-4444-8555-666666666666',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      nodeName: 'worker-1',
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      preemptionPolicy: 'PreemptLowerPriority',
      serviceAccountName: 'calico-node',
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-1'] }] }],
          },
        },
      },
      tolerations: [
        { operator: 'Exists', effect: 'NoSchedule' },
        { operator: 'Exists', effect: 'NoExecute' },
      ],
      initContainers: [
        {
          name: 'install-cni',
          image: 'docker.io/calico/cni:v3.29.1',
          command: ['/opt/cni/bin/install'],
          securityContext: { privileged: true },
          volumeMounts: [{ name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' }],
        },
      ],
      containers: [
        {
          name: 'calico-node',
          image: 'docker.io/calico/node:v3.29.1',
          env: [
            { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            { name: 'FELIX_HEALTHPORT', value: '9099' },
          ],
          ports: [{ name: 'health', containerPort: 9099, hostPort: 9099, protocol: 'TCP' }],
          resources: { requests: { cpu: '250m' } },
          securityContext: { privileged: true },
          livenessProbe: { exec: { command: ['/bin/calico-node', '-felix-live'] }, periodSeconds: 10 },
          volumeMounts: [{ name: 'var-run-calico', mountPath: '/var/run/calico' }],
        },
      ],
      volumes: [
        { name: 'cni-bin-dir', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } },
        { name: 'var-run-calico', hostPath: { path: '/var/run/calico', type: 'DirectoryOrCreate' } },
      ],
      terminationGracePeriodSeconds: 0,
    },
  };
}

/** An ingress controller on the host network holding ports 80 and 443, on a sandboxed runtime with a priority. */
export function sandboxedIngressPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'ingress-nginx-controller-5d4f8-qwe12',
      namespace: 'ingress-nginx',
      labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'pod-template-hash': '5d4f8' },
    },
    spec: {
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      runtimeClassName: 'kata',
      overhead: { cpu: '250m', memory: '120Mi' },
      priorityClassName: 'edge-critical',
      priority: 100000,
      nodeSelector: { 'runtime/kata': 'true' },
      containers: [
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0',
          args: ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--http-port=$(HTTP_PORT)'],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'HTTP_PORT', value: '80' },
          ],
          ports: [
            { name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP' },
            { name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' },
          ],
          lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
        },
      ],
      tolerations,
      terminationGracePeriodSeconds: 300,
    },
  };
}

/** A Linkerd-meshed app whose proxy is a native sidecar waiting 10 s in preStop, with a downward-API labels file. */
export function linkerdMeshedPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'billing-6c5d4b3a2-zz9yx',
      namespace: 'shop',
      labels: { app: 'billing', 'linkerd.io/control-plane-ns': 'linkerd', 'linkerd.io/proxy-deployment': 'billing' },
      annotations: {
        'linkerd.io/created-by': 'linkerd/proxy-injector stable-2.14.10',
        'linkerd.io/proxy-version': 'stable-2.14.10',
        'linkerd.io/trust-root-sha256': 'abc123',
      },
    },
    spec: {
      initContainers: [
        {
          name: 'linkerd-proxy',
          image: 'cr.l5d.io/linkerd/proxy:stable-2.14.10',
          restartPolicy: 'Always',
          lifecycle: {
            postStart: { exec: { command: ['/usr/lib/linkerd/linkerd-await', '--timeout=2m'] } },
            preStop: { sleep: { seconds: 10 } },
          },
          env: [{ name: '_pod_name', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'linkerd-identity-end-entity', mountPath: '/var/run/linkerd/identity/end-entity' }],
        },
      ],
      containers: [
        {
          name: 'billing',
          image: 'registry.example.com/shop/billing:5.2.0',
          command: ['/billing', '--listen=:8080'],
          volumeMounts: [{ name: 'podinfo', mountPath: '/etc/podinfo' }],
        },
      ],
      volumes: [
        { name: 'linkerd-identity-end-entity', emptyDir: { medium: 'Memory' } },
        {
          name: 'podinfo',
          downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] },
        },
      ],
      tolerations,
    },
  };
}
