/**
 * Image pulls, probes, memory, processes the runtime cannot start, init containers, configuration and scheduling,
 * each transcribed from the report in `source`.
 */
import { facts } from '../fixtures.js';
import {
  container,
  crashCase,
  crashLooping,
  ev,
  logs,
  NS,
  pod,
  type RealWorldCase,
  running,
  stuckInitCase,
  terminated,
  waiting,
} from './build.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

/** A container that cannot pull its image: ImagePullBackOff, the kubelet's Failed events with the registry's answer. */
function pullCase(name: string, image: string, registryAnswer: string) {
  return facts(
    pod(name, {
      phase: 'Pending',
      containers: [container('app', image)],
      statuses: [waiting('app', image, 'ImagePullBackOff', `Back-off pulling image "${image}"`)],
    }),
    {
      events: [
        ev('Pulling', `Pulling image "${image}"`, { container: 'app', count: 4, age: 80 }),
        ev('Failed', `Failed to pull image "${image}": ${registryAnswer}`, { container: 'app', count: 4, age: 80 }),
        ev('Failed', 'Error: ErrImagePull', { container: 'app', count: 4, age: 80 }),
        ev('BackOff', `Back-off pulling image "${image}"`, { container: 'app', type: 'Normal', count: 6, age: 4 }),
        ev('Failed', 'Error: ImagePullBackOff', { container: 'app', count: 6, age: 4 }),
      ],
    },
  );
}

/** A running container whose probes fail: Unhealthy events, and for liveness the kills that follow. */
function probeCase(o: {
  name: string;
  image: string;
  probes: object;
  unhealthy: string;
  count: number;
  restarts: number;
  kills?: boolean;
}) {
  const status =
    o.restarts > 0
      ? crashLooping(
          o.name,
          'app',
          o.image,
          { exitCode: 137, reason: 'Error', ranSeconds: 40 },
          { restarts: o.restarts },
        )
      : running('app', o.image, { ready: false });
  return facts(pod(o.name, { containers: [container('app', o.image, o.probes)], statuses: [status] }), {
    events: [
      ev('Unhealthy', o.unhealthy, { container: 'app', count: o.count, age: 8 }),
      ...(o.kills
        ? [
            ev('Killing', 'Container app failed liveness probe, will be restarted', {
              container: 'app',
              count: o.restarts,
              age: 9,
            }),
          ]
        : []),
    ],
    logs: [logs('app', 'starting server\n', 'starting server\n')],
  });
}

const OOM = (ranSeconds: number) => ({ exitCode: 137, reason: 'OOMKilled', ranSeconds });

export const OTHER_CASES: RealWorldCase[] = [
  // ------------------------------------------------------------------ image pulls
  {
    id: 'pull-rate-limit-busybox',
    source: 'https://github.com/kata-containers/kata-containers/issues/10109',
    family: 'image-pull',
    facts: pullCase(
      'kbs-busybox',
      'busybox',
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/busybox:latest": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/busybox/manifests/sha256:50aa4698fa6262977cff89181b2664b99d8a56dbca847bf62f2ef04854597cf8: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    ),
    cause: 'ImagePull',
    headline: ['rate limit'],
  },
  {
    id: 'pull-rate-limit-daemon-wording',
    source: 'https://github.com/ceph/ceph-csi/issues/2029',
    family: 'image-pull',
    facts: pullCase(
      'pod-eb165813-6e8a-4476-a40b-73c0bada26c0',
      'docker.io/library/busybox:1.29',
      'rpc error: code = Unknown desc = Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    ),
    cause: 'ImagePull',
    headline: ['rate limit'],
  },
  {
    id: 'pull-rate-limit-manifest-read',
    source: 'https://github.com/red-hat-storage/ocs-ci/issues/4494',
    family: 'image-pull',
    facts: pullCase(
      'kafdrop-1-j4969',
      'obsidiandynamics/kafdrop:latest',
      'rpc error: code = Unknown desc = Error reading manifest latest in docker.io/obsidiandynamics/kafdrop: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit',
    ),
    cause: 'ImagePull',
    headline: ['rate limit'],
  },
  {
    id: 'pull-429-digest',
    source: 'https://github.com/namespacelabs/foundation/issues/846',
    family: 'image-pull',
    facts: pullCase(
      'jaeger-23crtq628x848gfajbfhv6btj8',
      'index.docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9',
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/jaegertracing/all-in-one@sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/jaegertracing/all-in-one/manifests/sha256:8d0bff43db3ce5c528cb6f957520511d263d7cceee012696e4afdc9087919bb9: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
    ),
    cause: 'ImagePull',
    headline: ['rate limit', 'jaegertracing/all-in-one'],
  },
  // ------------------------------------------------------------------ probes
  {
    id: 'liveness-connection-refused-healthz',
    source: 'https://github.com/mittwald/kubernetes-secret-generator/issues/65',
    family: 'probe',
    facts: probeCase({
      name: 'kubernetes-secret-generator-7d5c8b9d4-mqv6x',
      image: 'quay.io/mittwald/kubernetes-secret-generator:v3.3.4',
      probes: {
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
      },
      unhealthy:
        'Liveness probe failed: Get "http://10.0.171.162:8080/healthz": dial tcp 10.0.171.162:8080: connect: connection refused',
      count: 15,
      restarts: 5,
      kills: true,
    }),
    cause: 'ProbeFailure',
    headline: ['liveness', ':8080/healthz', 'connection refused'],
  },
  {
    id: 'readiness-pyroscope-ready',
    source: 'https://github.com/grafana/pyroscope/issues/3005',
    family: 'probe',
    facts: probeCase({
      name: 'pyroscope-0',
      image: 'grafana/pyroscope:1.4.0',
      probes: {
        readinessProbe: { httpGet: { path: '/ready', port: 4040 } },
        livenessProbe: {
          httpGet: { path: '/ready', port: 4040 },
          initialDelaySeconds: 180,
          timeoutSeconds: 30,
          failureThreshold: 10,
        },
      },
      unhealthy:
        'Readiness probe failed: Get "http://10.2.9.133:4040/ready": dial tcp 10.2.9.133:4040: connect: connection refused',
      count: 30,
      restarts: 0,
    }),
    cause: 'ProbeFailure',
    headline: ['readiness', ':4040/ready'],
  },
  {
    id: 'readiness-tcp-gitea',
    source: 'https://github.com/jfelten/gitea-helm-chart/issues/46',
    family: 'probe',
    facts: probeCase({
      name: 'gitea-gitea-7b5d57d5b6-m7ntq',
      image: 'gitea/gitea:1.9.3',
      probes: { readinessProbe: { tcpSocket: { port: 3000 } } },
      unhealthy: 'Readiness probe failed: dial tcp 10.244.1.57:3000: connect: connection refused',
      count: 9,
      restarts: 0,
    }),
    cause: 'ProbeFailure',
    headline: ['readiness', 'TCP :3000'],
  },
  {
    id: 'liveness-istio-healthz-ready-port',
    source: 'https://github.com/kubernetes/kubernetes/issues/107260',
    family: 'probe',
    facts: probeCase({
      name: 'tf-job-cifar-worker-1',
      image: 'tf-dist-cifar10:1.0',
      probes: {
        livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 10, periodSeconds: 5 },
      },
      unhealthy: "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
      count: 3,
      restarts: 1,
      kills: true,
    }),
    cause: 'ProbeFailure',
    headline: ['liveness', 'cat /tmp/healthy'],
  },
  {
    id: 'liveness-wordpress-login-port-80',
    source: 'https://github.com/kubernetes/kubernetes/issues/51096',
    family: 'probe',
    facts: probeCase({
      name: 'prod-shopmates-crm-74db965897-g9xzl',
      image: 'wordpress:5.3',
      probes: {
        livenessProbe: { httpGet: { path: '/wp-login.php', port: 80 } },
        readinessProbe: { httpGet: { path: '/wp-login.php', port: 80 } },
      },
      unhealthy:
        'Liveness probe failed: Get http://10.48.8.21:80/wp-login.php: dial tcp 10.48.8.21:80: connect: connection refused',
      count: 6,
      restarts: 2,
      kills: true,
    }),
    cause: 'ProbeFailure',
    headline: ['liveness', ':80/wp-login.php'],
  },
  // ------------------------------------------------------------------ memory
  {
    id: 'oom-jvm-heap-in-bytes-above-limit',
    source: 'https://github.com/strimzi/strimzi-kafka-operator/issues/4094',
    family: 'heap',
    facts: crashCase({
      name: 'kafka-connect-s3-sink-connect-9f499898f-p45qc',
      image: 'quay.io/strimzi/kafka:0.22.1-kafka-2.7.0',
      spec: {
        name: 'kafka-connect-s3-sink-connect',
        env: [{ name: 'KAFKA_HEAP_OPTS', value: '-Xms9148280340 -Xmx9148280340' }],
        resources: { limits: { cpu: '1254m', memory: '9148093649' }, requests: { cpu: '627m', memory: '9148093649' } },
      },
      last: OOM(1260),
    }),
    cause: 'OOMKilled',
    headline: ['OOMKilled', 'exceeds'],
  },
  {
    id: 'oom-node-max-old-space-above-limit',
    source: 'https://github.com/rwlove/home-ops/pull/12561',
    family: 'heap',
    facts: crashCase({
      name: 'langfuse-web-6f9c7d8b5-p2x7k',
      image: 'langfuse/langfuse:3',
      spec: {
        name: 'langfuse-web',
        env: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=1536' }],
        resources: { limits: { memory: '1Gi' } },
      },
      last: OOM(23),
    }),
    cause: 'OOMKilled',
    headline: ['OOMKilled', '--max-old-space-size=1536'],
  },
  {
    id: 'oom-node-default-heap-above-limit',
    source: 'https://github.com/broadinstitute/gnomad-browser/pull/1410',
    family: 'oom',
    facts: crashCase({
      name: 'gnomad-api-blue-775f4c6d7d-25fwx',
      image: 'ghcr.io/broadinstitute/gnomad-api:2024-02',
      spec: { name: 'api', resources: { limits: { memory: '4Gi' } } },
      last: OOM(16042),
      restarts: 3,
    }),
    cause: 'OOMKilled',
    headline: ['OOMKilled', 'limit 4Gi'],
  },
  {
    id: 'oom-es-data-xmx-below-limit-grows',
    source: 'https://github.com/pires/kubernetes-elasticsearch-cluster/issues/233',
    family: 'oom',
    facts: crashCase({
      name: 'es-data-0',
      image: 'quay.io/pires/docker-elasticsearch-kubernetes:5.6.0',
      spec: {
        name: 'es-data',
        env: [{ name: 'ES_JAVA_OPTS', value: '-Xms2048m -Xmx2048m' }],
        resources: { limits: { memory: '4096M' } },
      },
      last: OOM(7200),
    }),
    cause: 'OOMKilled',
    headline: ['OOMKilled', '4096M'],
  },
  {
    id: 'oom-flagd-20mi-limit',
    source: 'https://github.com/open-telemetry/opentelemetry-demo/issues/1536',
    family: 'oom',
    facts: crashCase({
      name: 'opentelemetry-demo-flagd-5d8f7b6c9-vr2mz',
      image: 'ghcr.io/open-feature/flagd:v0.10.1',
      spec: { name: 'flagd', resources: { limits: { memory: '20Mi' } } },
      last: OOM(3),
    }),
    cause: 'OOMKilled',
    headline: ['OOMKilled', '20Mi'],
  },
  // ------------------------------------------------------------------ processes that cannot start
  {
    id: 'script-permission-denied-fortuneloop',
    source: 'https://github.com/luksa/kubernetes-in-action/pull/15',
    family: 'permission-script',
    facts: crashCase({
      name: 'fortune',
      image: 'luksa/fortune:args',
      spec: { name: 'html-generator', command: ['/bin/sh', '-c', '/bin/fortuneloop.sh'] },
      last: { exitCode: 126, reason: 'Error', ranSeconds: 0 },
      log: lines('/bin/sh: 1: /bin/fortuneloop.sh: Permission denied'),
    }),
    cause: 'NotExecutable',
    headline: ['/bin/fortuneloop.sh', 'permission denied'],
  },
  {
    id: 'script-permission-denied-backup',
    source: 'https://github.com/reactive-tech/kubegres/issues/80',
    family: 'permission-script',
    facts: crashCase({
      name: 'backup-mypostgres-27345600-7k2ls',
      image: 'postgres:14.1',
      spec: { name: 'backup-postgres', command: ['sh', '-c', '/tmp/backup_database.sh'] },
      last: { exitCode: 126, reason: 'Error', ranSeconds: 0 },
      log: lines('sh: 1: /tmp/backup_database.sh: Permission denied'),
    }),
    cause: 'NotExecutable',
    headline: ['/tmp/backup_database.sh'],
  },
  {
    id: 'runtime-permission-denied-argocd-dex',
    source: 'https://github.com/argoproj/argo-cd/issues/21870',
    family: 'permission-script',
    facts: crashCase({
      name: 'argocd-dex-server-64546948d7-6bbsn',
      image: 'ghcr.io/dexidp/dex:v2.41.1',
      spec: { name: 'dex', command: ['/shared/argocd-dex', 'rundex'] },
      last: {
        exitCode: 128,
        reason: 'StartError',
        ranSeconds: 0,
        message:
          'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "/shared/argocd-dex": permission denied: unknown',
      },
    }),
    cause: 'NotExecutable',
    headline: ['/shared/argocd-dex', 'permission denied'],
  },
  {
    id: 'exec-format-error-in-log',
    source: 'https://github.com/cilium/tetragon/issues/2309',
    family: 'exec-format',
    facts: crashCase({
      name: 'tiefighter',
      image: 'docker.io/cilium/json-mock:1.2',
      last: { exitCode: 1, reason: 'Error', ranSeconds: 0 },
      log: lines('exec /usr/bin/bash: exec format error'),
    }),
    cause: 'NotExecutable',
    headline: ['exec format error'],
  },
  {
    id: 'exec-format-error-standard-init',
    source: 'https://github.com/canonical/microk8s/issues/1942',
    family: 'exec-format',
    facts: crashCase({
      name: 'kubernetes-bootcamp-57978f5f5d-l6qd9',
      image: 'gcr.io/google-samples/kubernetes-bootcamp:v1',
      last: { exitCode: 1, reason: 'Error', ranSeconds: 0 },
      restarts: 23,
      log: lines('standard_init_linux.go:219: exec user process caused: exec format error'),
    }),
    cause: 'NotExecutable',
    headline: ['exec format error'],
  },
  {
    id: 'binary-missing-manager',
    source: 'https://github.com/pl4nty/cloudflare-kubernetes-gateway/issues/123',
    family: 'command-not-found',
    facts: crashCase({
      name: 'cloudflare-kubernetes-gateway-controller-manager-7d9f8b6c4d-abcde',
      image: 'ghcr.io/pl4nty/cloudflare-kubernetes-gateway:main',
      spec: { name: 'manager', command: ['/manager'] },
      last: {
        exitCode: 128,
        reason: 'StartError',
        ranSeconds: 0,
        message:
          'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/manager": stat /manager: no such file or directory: unknown',
      },
    }),
    cause: 'CommandNotFound',
    headline: ['/manager'],
  },
  // ------------------------------------------------------------------ init containers
  {
    id: 'init-stuck-nslookup-cant-resolve',
    source: 'https://github.com/kubernetes-retired/poseidon/issues/125',
    family: 'init',
    facts: stuckInitCase({
      name: 'poseidon-6d45696849-gxtpg',
      command: [
        'sh',
        '-c',
        'until nslookup firmament-service.kube-system; do echo waiting for firmamentservice; sleep 2; done;',
      ],
      seconds: 1800,
      log: lines(
        'waiting for firmamentservice',
        "nslookup: can't resolve 'firmament-service.kube-system'",
        'Server:    10.0.0.10',
        'Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local',
        '',
        'waiting for firmamentservice',
        "nslookup: can't resolve 'firmament-service.kube-system'",
        'Server:    10.0.0.10',
        'Address 1: 10.0.0.10 kube-dns.kube-system.svc.cluster.local',
      ),
    }),
    cause: 'InitContainerFailure',
    headline: ['init', "can't resolve 'firmament-service.kube-system'"],
  },
  {
    id: 'init-stuck-nslookup-nxdomain',
    source: 'https://github.com/chatwoot/charts/issues/200',
    family: 'init',
    facts: stuckInitCase({
      name: 'chatwoot-migrate-x8k2p',
      command: [
        'sh',
        '-c',
        'until nslookup chatwoot-chatwoot-redis-master ; do echo waiting for chatwoot-chatwoot-redis-master; sleep 2; done',
      ],
      seconds: 900,
      log: lines(
        'Server:         10.43.0.10',
        'Address:        10.43.0.10:53',
        '',
        "** server can't find chatwoot-chatwoot-redis-master.cluster.local: NXDOMAIN",
        "** server can't find chatwoot-chatwoot-redis-master.svc.cluster.local: NXDOMAIN",
        'waiting for chatwoot-chatwoot-redis-master',
      ),
    }),
    cause: 'InitContainerFailure',
    headline: ['init', 'NXDOMAIN'],
  },
  {
    id: 'init-stuck-nc-wait-no-error-words',
    source: 'https://github.com/truenas/charts/pull/15',
    family: 'init',
    facts: stuckInitCase({
      name: 'nextcloud-6c9f7d8b5-2x7kq',
      command: ['sh', '-c', 'until nc -w 5 -vz nextcloud-postgres 5432; do echo waiting for postgres; sleep 2; done'],
      seconds: 600,
      log: lines('waiting for postgres', 'waiting for postgres', 'waiting for postgres'),
    }),
    cause: 'InitContainerFailure',
    headline: ['init', 'waiting for postgres'],
  },
  {
    id: 'init-stuck-redis-cart',
    source: 'https://github.com/GoogleCloudPlatform/cloud-ops-sandbox/issues/995',
    family: 'init',
    facts: stuckInitCase({
      name: 'cartservice-6b8f9c7d5-k2l9m',
      image: 'busybox',
      command: ['bin/sh', '-c', 'until nslookup redis-cart; do echo waiting for redis; sleep 2; done;'],
      seconds: 420,
      log: lines(
        'Server:\t\t10.28.0.10',
        'Address:\t10.28.0.10:53',
        '',
        "** server can't find redis-cart.default.svc.cluster.local: NXDOMAIN",
        '',
        'waiting for redis',
      ),
    }),
    cause: 'InitContainerFailure',
    headline: ['init', 'redis-cart'],
  },
  {
    id: 'init-crash-secret-not-found-in-config-step',
    source: 'https://github.com/k8tre/k8tre/issues/136',
    family: 'config',
    facts: facts(
      pod('gitea-6bfc756f4d-8w57h', {
        phase: 'Pending',
        initContainers: [
          container('configure-gitea', 'gitea/gitea:1.21.11-rootless', {
            env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'gitea-db-secret', key: 'password' } } }],
          }),
        ],
        containers: [container('gitea', 'gitea/gitea:1.21.11-rootless')],
        initStatuses: [
          waiting(
            'configure-gitea',
            'gitea/gitea:1.21.11-rootless',
            'CreateContainerConfigError',
            'secret "gitea-db-secret" not found',
            11,
          ),
        ],
        statuses: [waiting('gitea', 'gitea/gitea:1.21.11-rootless', 'PodInitializing')],
      }),
      {
        events: [
          ev('Failed', 'Error: secret "gitea-db-secret" not found', {
            container: 'configure-gitea',
            init: true,
            count: 21,
            age: 2040,
          }),
        ],
      },
    ),
    cause: 'MissingConfig',
    headline: ['gitea-db-secret', 'not found'],
  },
  // ------------------------------------------------------------------ configuration
  {
    id: 'run-as-non-root-image-root',
    source: 'https://github.com/intel/CPU-Manager-for-Kubernetes/issues/299',
    family: 'config',
    facts: facts(
      pod('cmk-cluster-init-pod', {
        phase: 'Pending',
        containers: [container('cmk-cluster-init-pod', 'cmk:v1.5.2', { securityContext: { runAsNonRoot: true } })],
        statuses: [
          waiting(
            'cmk-cluster-init-pod',
            'cmk:v1.5.2',
            'CreateContainerConfigError',
            `container has runAsNonRoot and image will run as root (pod: "cmk-cluster-init-pod_${NS}(fa1d4889-e80e-4506-ab08-40e0c50305cf)", container: cmk-cluster-init-pod)`,
          ),
        ],
      }),
      {
        events: [
          ev(
            'Failed',
            `Error: container has runAsNonRoot and image will run as root (pod: "cmk-cluster-init-pod_${NS}(fa1d4889-e80e-4506-ab08-40e0c50305cf)", container: cmk-cluster-init-pod)`,
            { container: 'cmk-cluster-init-pod', count: 4, age: 6 },
          ),
        ],
      },
    ),
    cause: 'Crashing',
    headline: ['runAsNonRoot', 'run as root'],
  },
  {
    id: 'secret-key-missing-jenkins',
    source: 'https://github.com/GoogleCloudPlatform/continuous-deployment-on-kubernetes/issues/89',
    family: 'config',
    facts: facts(
      pod('jenkins-1477518649-gjvmk', {
        phase: 'Pending',
        containers: [
          container('master', 'jenkinsci/jenkins:2.67', {
            env: [{ name: 'JENKINS_OPTS', valueFrom: { secretKeyRef: { name: 'jenkins', key: 'options' } } }],
          }),
        ],
        statuses: [
          waiting(
            'master',
            'jenkinsci/jenkins:2.67',
            'CreateContainerConfigError',
            "couldn't find key options in Secret jenkins/jenkins",
          ),
        ],
      }),
    ),
    cause: 'MissingConfig',
    headline: ['options', 'jenkins'],
  },
  // ------------------------------------------------------------------ scheduling and the node
  {
    id: 'unschedulable-insufficient-memory',
    source: 'https://github.com/kubernetes/kubernetes/issues/86942',
    family: 'scheduling',
    facts: facts(
      pod('pt-4c12g-2', {
        phase: 'Pending',
        nodeName: null,
        containers: [
          container('app', 'ghcr.io/acme/pt:1.0', { resources: { requests: { cpu: '4', memory: '12Gi' } } }),
        ],
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: "0/12 nodes are available: 3 Insufficient memory, 9 node(s) didn't match node selector.",
          },
        ],
      }),
      {
        events: [
          ev(
            'FailedScheduling',
            "0/12 nodes are available: 3 Insufficient memory, 9 node(s) didn't match node selector.",
            { from: 'default-scheduler', count: 150 },
          ),
        ],
      },
    ),
    cause: 'Unschedulable',
    headline: ['Insufficient memory'],
  },
  {
    id: 'evicted-ephemeral-storage',
    source: 'https://github.com/kubernetes/kubernetes/issues/91600',
    family: 'scheduling',
    facts: facts(
      pod('ebaogi-report-app-5dbc89ff58-zqsn2', {
        phase: 'Failed',
        reason: 'Evicted',
        message:
          'The node was low on resource: ephemeral-storage. Container ebaogi-report-app was using 108488Ki, which exceeds its request of 0. ',
        nodeName: 'xen15-142',
        containers: [container('ebaogi-report-app', 'ghcr.io/ebaogi/report-app:1.0')],
        statuses: [
          terminated('ebaogi-report-app', 'ghcr.io/ebaogi/report-app:1.0', { exitCode: 137, reason: 'Error' }),
        ],
      }),
    ),
    cause: 'Evicted',
    headline: ['evicted', 'ephemeral-storage'],
  },
];
