/**
 * Failures the kubelet, its volume manager and the attach/detach controller report in events and container states:
 * lifecycle hooks, volumes that cannot attach or mount, pod sandboxes that cannot be created. Event messages are
 * the reporters' own, as `kubectl describe` printed them.
 */

import { facts } from '../fixtures.js';
import {
  container,
  crashLooping,
  creatingCase,
  ev,
  logs,
  NS,
  pod,
  type RealWorldCase,
  running,
  waiting,
} from './build.js';

const hookMessage = (cmd: string, c: string, p: string, error: string, output: string) =>
  `Exec lifecycle hook ([${cmd}]) for Container "${c}" in Pod "${p}_${NS}(617f30ff-da04-42c3-9251-2ca26b918e4c)" failed - error: ${error}, message: ${JSON.stringify(output)}`;

/** A container killed after its postStart hook failed: CrashLoopBackOff, last exit 137, the hook's events. */
function postStartCase(o: {
  name: string;
  image: string;
  container: string;
  hook: string[];
  eventMessage: string;
  waitingMessage?: string;
}) {
  const status = o.waitingMessage
    ? waiting(o.container, o.image, 'PostStartHookError', o.waitingMessage, 4)
    : crashLooping(o.name, o.container, o.image, { exitCode: 137, reason: 'Error', ranSeconds: 2 }, { restarts: 4 });
  if (o.waitingMessage)
    status.lastState = crashLooping(
      o.name,
      o.container,
      o.image,
      { exitCode: 137, reason: 'Error', ranSeconds: 2 },
      { restarts: 4 },
    ).lastState;
  return facts(
    pod(o.name, {
      containers: [container(o.container, o.image, { lifecycle: { postStart: { exec: { command: o.hook } } } })],
      statuses: [status],
    }),
    {
      events: [
        ev('Started', `Started container ${o.container}`, { container: o.container, count: 5, age: 30 }),
        ev('FailedPostStartHook', o.eventMessage, { container: o.container, count: 5, age: 29 }),
        ev('Killing', 'FailedPostStartHook', { container: o.container, count: 5, age: 29 }),
        ev('BackOff', `Back-off restarting failed container ${o.container} in pod ${o.name}_${NS}(uid)`, {
          container: o.container,
          count: 12,
          age: 5,
        }),
      ],
      logs: [logs(o.container, 'starting\n', 'starting\n')],
    },
  );
}

export const KUBELET_CASES: RealWorldCase[] = [
  {
    id: 'poststart-influx-invalid-argument',
    source: 'https://github.com/influxdata/helm-charts/issues/336',
    family: 'hook',
    facts: postStartCase({
      name: 'monitor1-influxdb2-0',
      image: 'influxdb:2.0.7-alpine',
      container: 'influxdb2',
      hook: [
        'sh',
        '-c',
        'sleep 5; influx v1 dbrp create --db default --rp default-rp --bucket-id $(influx bucket list -n default --json | grep -o \'"id": "[^"]*\' | grep -o \'[^"]*$\') --default',
      ],
      eventMessage: hookMessage(
        'sh -c sleep 5; influx v1 dbrp create --db default --rp default-rp --bucket-id $(influx bucket list -n default --json) --default',
        'influxdb2',
        'monitor1-influxdb2-0',
        "command 'sh -c sleep 5; influx v1 dbrp create --db default --rp default-rp --bucket-id $(influx bucket list -n default --json) --default' exited with 1: ",
        'Error: invalid argument "--default" for "--bucket-id" flag: id must have a length of 16 bytes\nSee \'influx v1 dbrp create -h\' for help\n',
      ),
    }),
    cause: 'LifecycleHook',
    headline: ['postStart', 'invalid argument "--default"'],
  },
  {
    id: 'poststart-graylog-exit-126',
    source: 'https://github.com/helm/charts/issues/21324',
    family: 'hook',
    facts: postStartCase({
      name: 'graylog-elasticsearch-data-0',
      image: 'docker.elastic.co/elasticsearch/elasticsearch-oss:6.8.6',
      container: 'elasticsearch',
      hook: ['/bin/bash', '/post-start-hook.sh'],
      eventMessage: hookMessage(
        '/bin/bash /post-start-hook.sh',
        'elasticsearch',
        'graylog-elasticsearch-data-0',
        "command '/bin/bash /post-start-hook.sh' exited with 126: ",
        '',
      ),
    }),
    cause: 'LifecycleHook',
    headline: ['postStart', '126'],
  },
  {
    id: 'poststart-389ds-eof',
    source: 'https://github.com/onosproject/onos-helm-charts/pull/557',
    family: 'hook',
    facts: postStartCase({
      name: 'fedora389ds-74fc7d99b6-t2zrl',
      image: 'quay.io/389ds/dirsrv:2.0',
      container: '389ds',
      hook: [
        '/bin/sh',
        '-c',
        'sleep 3 && (/usr/sbin/dsconf localhost monitor server || /usr/sbin/dsconf localhost backend create --suffix dc=opennetworking,dc=org --be-name=aether)',
      ],
      eventMessage: hookMessage(
        '/bin/sh -c sleep 3 && (/usr/sbin/dsconf localhost monitor server || /usr/sbin/dsconf localhost backend create --suffix dc=opennetworking,dc=org --be-name=aether)',
        '389ds',
        'fedora389ds-74fc7d99b6-t2zrl',
        "command '/bin/sh -c sleep 3 && (/usr/sbin/dsconf localhost monitor server || /usr/sbin/dsconf localhost backend create --suffix dc=opennetworking,dc=org --be-name=aether)' exited with 1: ",
        'Enter Bind DN: Error: EOF when reading a line\nEnter Bind DN: Error: EOF when reading a line\n',
      ),
    }),
    cause: 'LifecycleHook',
    headline: ['postStart', 'EOF when reading a line'],
  },
  {
    id: 'poststart-new-kubelet-details-in-waiting-message',
    source: 'https://github.com/kubernetes/kubernetes/issues/115680',
    family: 'hook',
    facts: postStartCase({
      name: 'xxxxxv1cxularxor5changehive',
      image: 'ghcr.io/acme/hive-base:3.1',
      container: 'base',
      hook: ['/bin/sh', '-c', 'cp -r conf/* ./\nmount -t cifs //fs/share /mnt/share\n'],
      // Since Kubernetes 1.24 the event only says "PostStartHook failed"; the details are in the waiting message.
      eventMessage: 'PostStartHook failed',
      waitingMessage: hookMessage(
        '/bin/sh -c cp -r conf/* ./ mount -t cifs //fs/share /mnt/share ',
        'base',
        'xxxxxv1cxularxor5changehive',
        "command '/bin/sh -c cp -r conf/* ./ mount -t cifs //fs/share /mnt/share ' exited with 137: ",
        '',
      ),
    }),
    cause: 'LifecycleHook',
    headline: ['postStart', '137'],
  },
  {
    id: 'prestop-nginx-quit-137',
    source: 'https://github.com/canonical/microk8s/issues/138',
    family: 'hook',
    facts: facts(
      pod('nginx-678cbdbf9b-9m994', {
        containers: [
          container('nginx', 'nginx:1.11', {
            lifecycle: { preStop: { exec: { command: ['bash', '-c', '/usr/sbin/nginx -s quit ; sleep 29'] } } },
          }),
        ],
        statuses: [running('nginx', 'nginx:1.11')],
        deleting: true,
      }),
      {
        events: [
          ev('Killing', 'Stopping container nginx', { container: 'nginx', age: 40 }),
          ev(
            'FailedPreStopHook',
            hookMessage(
              'bash -c /usr/sbin/nginx -s quit ; sleep 29',
              'nginx',
              'nginx-678cbdbf9b-9m994',
              "command 'bash -c /usr/sbin/nginx -s quit ; sleep 29' exited with 137: 2018/10/18 08:36:03 [notice] 13#13: signal process started\n",
              '2018/10/18 08:36:03 [notice] 13#13: signal process started\n',
            ),
            { container: 'nginx', age: 12 },
          ),
        ],
      },
    ),
    cause: 'LifecycleHook',
    headline: ['preStop'],
  },
  {
    id: 'failedmount-secret-not-found-among-timeouts',
    source: 'https://github.com/tmforum-oda/oda-canvas/issues/24',
    family: 'volume',
    facts: creatingCase({
      name: 'compcrdwebhook-5b8c9d7f4-x2x9p',
      spec: { volumes: [{ name: 'secret-volume', secret: { secretName: 'compcrdwebhook-secret' } }] },
      events: [
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[secret-volume], unattached volumes=[secret-volume kube-api-access-pfqc5]: timed out waiting for the condition',
          { count: 3, age: 536 },
        ),
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[secret-volume], unattached volumes=[kube-api-access-pfqc5 secret-volume]: timed out waiting for the condition',
          { count: 4, age: 129 },
        ),
        ev(
          'FailedMount',
          'MountVolume.SetUp failed for volume "secret-volume" : secret "compcrdwebhook-secret" not found',
          { count: 16, age: 86 },
        ),
      ],
    }),
    cause: 'MissingConfig',
    headline: ['secret-volume', 'compcrdwebhook-secret', 'not found'],
  },
  {
    id: 'failedmount-generic-newest-secret-older',
    source: 'https://github.com/topolvm/helm/issues/15',
    family: 'volume',
    facts: creatingCase({
      name: 'topolvm-controller-79d8cdd765-8xnss',
      spec: {
        volumes: [
          { name: 'certs', secret: { secretName: 'topolvm-mutatingwebhook' } },
          { name: 'socket-dir', emptyDir: {} },
        ],
      },
      events: [
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[certs], unattached volumes=[certs topolvm-controller-token-7ww9g socket-dir]: timed out waiting for the condition',
          { count: 2, age: 417 },
        ),
        ev('FailedMount', 'MountVolume.SetUp failed for volume "certs" : secret "topolvm-mutatingwebhook" not found', {
          count: 16,
          age: 98,
        }),
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[certs], unattached volumes=[topolvm-controller-token-7ww9g socket-dir certs]: timed out waiting for the condition',
          { count: 2, age: 11 },
        ),
      ],
    }),
    cause: 'MissingConfig',
    headline: ['certs', 'topolvm-mutatingwebhook'],
  },
  {
    id: 'failedmount-appsettings-secret',
    source: 'https://github.com/kubernetes/kubernetes/issues/110158',
    family: 'volume',
    facts: creatingCase({
      name: 'my-namespace-engine-api-deployment-595bf79b79-h27xj',
      spec: { volumes: [{ name: 'secrets', secret: { secretName: 'secret-appsettings' } }] },
      events: [
        ev('FailedMount', 'MountVolume.SetUp failed for volume "secrets" : secret "secret-appsettings" not found', {
          count: 9,
          age: 438,
        }),
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[secrets], unattached volumes=[secrets kube-api-access-f2mf8]: timed out waiting for the condition',
          { count: 5, age: 60 },
        ),
      ],
    }),
    cause: 'MissingConfig',
    headline: ['secret-appsettings', 'not found'],
  },
  {
    id: 'failedmount-minio-tls-secret',
    source: 'https://github.com/minio/operator/issues/421',
    family: 'volume',
    facts: creatingCase({
      name: 'minio-tenant-1-zone-0-0',
      spec: {
        volumes: [{ name: 'minio-tenant-1-tls', projected: { sources: [{ secret: { name: 'minio-tenant-1-tls' } }] } }],
      },
      events: [
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[minio-tenant-1-tls], unattached volumes=[minio-tenant-1-tls default-token-qk29w 0]: timed out waiting for the condition',
          { count: 3, age: 660 },
        ),
        ev(
          'FailedMount',
          'MountVolume.SetUp failed for volume "minio-tenant-1-tls" : secret "minio-tenant-1-tls" not found',
          { count: 20, age: 8 },
        ),
      ],
    }),
    cause: 'MissingConfig',
    headline: ['minio-tenant-1-tls', 'not found'],
  },
  {
    id: 'failedmount-configmap-old-plural-wording',
    source: 'https://github.com/matt-deboer/kuill/issues/83',
    family: 'volume',
    facts: creatingCase({
      name: 'kuill-5b7bd6c875-lsbqc',
      spec: { volumes: [{ name: 'auth-proxy-certs', secret: { secretName: 'auth-proxy-certs' } }] },
      events: [
        ev(
          'FailedMount',
          'MountVolume.SetUp failed for volume "auth-proxy-certs" : secrets "auth-proxy-certs" not found',
          { count: 11, age: 30 },
        ),
        ev(
          'FailedMount',
          'Unable to mount volumes for pod "kuill-5b7bd6c875-lsbqc_kube-system(8f01faa0-6ed8-11e8-b678-42010a8400f7)": timeout expired waiting for volumes to attach/mount for pod "kube-system"/"kuill-5b7bd6c875-lsbqc". list of unattached/unmounted volumes=[auth-proxy-certs]',
          { count: 2, age: 20 },
        ),
      ],
    }),
    cause: 'MissingConfig',
    headline: ['auth-proxy-certs', 'not found'],
  },
  {
    id: 'csi-driver-not-registered-rbd',
    source: 'https://github.com/ceph/ceph-csi/issues/710',
    family: 'volume',
    facts: creatingCase({
      name: 'csi-rbd-demo-pod',
      spec: { volumes: [{ name: 'mypvc', persistentVolumeClaim: { claimName: 'rbd-pvc' } }] },
      events: [
        ev(
          'SuccessfulAttachVolume',
          'AttachVolume.Attach succeeded for volume "pvc-5d317451-01f2-11ea-b95f-eeeeeeeeeeee"',
          { type: 'Normal', from: 'attachdetach-controller', age: 2460 },
        ),
        ev(
          'FailedMount',
          'MountVolume.MountDevice failed for volume "pvc-5d317451-01f2-11ea-b95f-eeeeeeeeeeee" : driver name rbd.csi.ceph.com not found in the list of registered CSI drivers',
          { count: 23, age: 600 },
        ),
        ev(
          'FailedMount',
          'Unable to mount volumes for pod "csi-rbd-demo-pod_default(3ebccfa7-01f4-11ea-b95f-eeeeeeeeeeee)": timeout expired waiting for volumes to attach or mount for pod "default"/"csi-rbd-demo-pod". list of unmounted volumes=[mypvc]. list of unattached volumes=[mypvc default-token-rlwk8]',
          { count: 18, age: 33 },
        ),
      ],
    }),
    cause: 'VolumeFailure',
    headline: ['rbd.csi.ceph.com', 'not found in the list of registered CSI drivers'],
  },
  {
    id: 'csi-driver-not-registered-efs',
    source: 'https://github.com/kubernetes-sigs/aws-efs-csi-driver/issues/180',
    family: 'volume',
    facts: creatingCase({
      name: 'app-efs-6c8d9b7f5-qw2rt',
      spec: { volumes: [{ name: 'persistent-storage', persistentVolumeClaim: { claimName: 'efs-claim' } }] },
      events: [
        ev(
          'FailedMount',
          'MountVolume.MountDevice failed for volume "efs-persist" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name efs.csi.aws.com not found in the list of registered CSI drivers',
          { count: 14, age: 20 },
        ),
      ],
    }),
    cause: 'VolumeFailure',
    headline: ['efs.csi.aws.com'],
  },
  {
    id: 'multi-attach-exclusively-attached',
    source: 'https://github.com/kubernetes/kubernetes/issues/96142',
    family: 'volume',
    facts: creatingCase({
      name: 'nginx-7c4f9b8d7-2kq8z',
      spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'nginx-data' } }] },
      events: [
        ev(
          'FailedAttachVolume',
          'Multi-Attach error for volume "pvc-7a81d56f-1cf9-11eb-8295-b6961e0a47ed" Volume is already exclusively attached to one node and can\'t be attached to another',
          { from: 'attachdetach-controller', age: 71 },
        ),
      ],
    }),
    cause: 'VolumeFailure',
    headline: ['Multi-Attach', 'pvc-7a81d56f-1cf9-11eb-8295-b6961e0a47ed'],
  },
  {
    id: 'multi-attach-used-by-pod',
    source: 'https://github.com/jaroslawhartman/withings-sync/issues/248',
    family: 'volume',
    facts: creatingCase({
      name: 'withings-sync-29012345-abcde',
      spec: { volumes: [{ name: 'config', persistentVolumeClaim: { claimName: 'withings-sync' } }] },
      events: [
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[config kube-api-access-8x2lq]: timed out waiting for the condition',
          { count: 2, age: 130 },
        ),
        ev(
          'FailedAttachVolume',
          'Multi-Attach error for volume "pvc-3f1c2b7a-9d14-4e55-8c1e-2a7b9e0d5f11" Volume is already used by pod(s) bootstrap-withings-sync',
          { from: 'attachdetach-controller', count: 4, age: 250 },
        ),
      ],
    }),
    cause: 'VolumeFailure',
    headline: ['Multi-Attach', 'bootstrap-withings-sync'],
  },
  {
    id: 'multi-attach-with-sso-mysql-timeout',
    source: 'https://github.com/openshift/openshift-docs/pull/24970',
    family: 'volume',
    facts: creatingCase({
      name: 'sso-mysql-2-x7wz9',
      spec: { volumes: [{ name: 'sso-mysql-pvol', persistentVolumeClaim: { claimName: 'sso-mysql-claim' } }] },
      events: [
        ev(
          'FailedMount',
          'Unable to attach or mount volumes: unmounted volumes=[sso-mysql-pvol], unattached volumes=[sso-mysql-pvol default-token-x4rzc]: timed out waiting for the condition',
          { count: 6, age: 20 },
        ),
        ev(
          'FailedAttachVolume',
          'Multi-Attach error for volume "pvc-8837384d-69d7-40b2-b2e6-5df86943eef9" Volume is already used by pod(s) sso-mysql-1-ns6b4',
          { from: 'attachdetach-controller', age: 400 },
        ),
      ],
    }),
    cause: 'VolumeFailure',
    headline: ['Multi-Attach', 'sso-mysql-1-ns6b4'],
  },
  {
    id: 'sandbox-calico-nodename-missing',
    source: 'https://github.com/kubernetes/kubernetes/issues/62451',
    family: 'sandbox',
    facts: creatingCase({
      name: 'kube-dns-86f4d74b45-kgjbk',
      events: [
        ev('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', { count: 11, age: 360 }),
        ev(
          'FailedCreatePodSandBox',
          'Failed create pod sandbox: rpc error: code = Unknown desc = NetworkPlugin cni failed to set up pod "kube-dns-86f4d74b45-kgjbk_kube-system" network: stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/',
          { count: 158, age: 60 },
        ),
      ],
    }),
    cause: 'SandboxFailure',
    headline: ['sandbox', '/var/lib/calico/nodename'],
  },
  {
    id: 'sandbox-calico-unauthorized',
    source: 'https://github.com/kubernetes-sigs/nfs-subdir-external-provisioner/issues/257',
    family: 'sandbox',
    facts: creatingCase({
      name: 'nfs-client-provisioner-59c5f46f5-d4nds',
      events: [
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "cb8a846be7902a752bae7f4cdee280111ba8f005e90b6b68c7062bd1cb68a7b4": plugin type="calico" failed (add): connection is unauthorized: Unauthorized',
          { age: 101 },
        ),
        ev('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', { count: 8, age: 11 }),
      ],
    }),
    cause: 'SandboxFailure',
    headline: ['calico', 'Unauthorized'],
  },
  {
    id: 'sandbox-calico-clusterinformation-timeout',
    source: 'https://github.com/projectcalico/calico/issues/6716',
    family: 'sandbox',
    facts: creatingCase({
      name: 'restic-2jsjf',
      events: [
        ev('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', { count: 183, age: 570 }),
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "5d8c43f3b8179b87e01a6740a92bf485fe95cb16ca310e0c853ef731197f302b" network for pod "restic-2jsjf": networkPlugin cni failed to set up pod "restic-2jsjf_psc-velero" network: error getting ClusterInformation: Get "https://[10.43.0.1]:443/apis/crd.projectcalico.org/v1/clusterinformations/default": dial tcp 10.43.0.1:443: i/o timeout',
          { age: 121 },
        ),
      ],
    }),
    cause: 'SandboxFailure',
    headline: ['sandbox', 'i/o timeout'],
  },
  {
    id: 'sandbox-calico-grpc-connection-refused',
    source: 'https://github.com/projectcalico/calico/issues/4087',
    family: 'sandbox',
    facts: creatingCase({
      name: 'calico-kube-controllers-55b67d5544-kncnd',
      events: [
        ev(
          'FailedCreatePodSandBox',
          '(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "07eba007cfd52e203ca1cf41e5b1557662e2dadfed2be2bbd2f3b6b46e6df17c": add cmd: Error received from AddNetwork gRPC call: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 127.0.0.1:50051: connect: connection refused"',
          { count: 40, age: 1 },
        ),
      ],
    }),
    cause: 'SandboxFailure',
    headline: ['sandbox', 'connection refused'],
  },
  {
    id: 'sandbox-kafka-netplugin-no-message',
    source: 'https://github.com/projectcalico/cni-plugin/issues/909',
    family: 'sandbox',
    facts: creatingCase({
      name: 'kafka-0',
      events: [
        ev(
          'FailedCreatePodSandBox',
          'Failed to create pod sandbox: rpc error: code = Unknown desc = [failed to set up sandbox container "3fe33199939736653d0eb5ffb41ffd4a94630cbf0ee1d9ffa39e1fef7cb40a83" network for pod "kafka-0": networkPlugin cni failed to set up pod "kafka-0_default" network: netplugin failed with no error message, failed to clean up sandbox container "3fe33199939736653d0eb5ffb41ffd4a94630cbf0ee1d9ffa39e1fef7cb40a83" network for pod "kafka-0": networkPlugin cni failed to teardown pod "kafka-0_default" network: netplugin failed with no error message]',
          { age: 120 },
        ),
        ev('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', { count: 10, age: 2 }),
      ],
    }),
    cause: 'SandboxFailure',
    headline: ['sandbox', 'netplugin failed'],
  },
];
