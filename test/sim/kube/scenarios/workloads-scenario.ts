import type { ContainerRule } from '../kubelet/behaviour.js';
import { isoSeconds } from '../store.js';
import { buildDaemonSet, buildJob, buildStatefulSet } from './build-controllers.js';
import { buildNamespace, buildNode, buildWorkload, defaultPodSpec } from './build-objects.js';
import { createOrKeep, type ScenarioContext } from './scenario-context.js';

const NS = 'shop';

/** The failing apps of the `workloads` scenario, one per owner kind. */
export const WORKLOAD_RULES: ContainerRule[] = [
  {
    image: 'ghcr.io/acme/shop-api',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 1,
      logs: [
        'node:internal/modules/cjs/loader:1228',
        '  throw err;',
        '  ^',
        '',
        "Error: Cannot find module '/app/dist/server.js'",
        '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
        '    at Module._load (node:internal/modules/cjs/loader:1051:27)',
        "  code: 'MODULE_NOT_FOUND',",
        '  requireStack: []',
        '',
        'Node.js v20.18.0',
      ],
    },
  },
  {
    image: 'postgres',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 1,
      logs: [
        '{{time}} UTC [1] FATAL:  data directory "/var/lib/postgresql/data/pgdata" has invalid permissions',
        '{{time}} UTC [1] DETAIL:  Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).',
      ],
    },
  },
  {
    image: 'ghcr.io/acme/exporter',
    behaviour: {
      kind: 'exit',
      exitCode: 3,
      afterSeconds: 2,
      logs: [
        '{{time}} INFO exporting orders for 2026-11-22 to s3://acme-exports/orders/',
        '{{time}} DEBUG using credentials aws_access_key_id=AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'Traceback (most recent call last):',
        '  File "/app/export.py", line 88, in <module>',
        '    s3.upload_file(path, BUCKET, key)',
        'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
      ],
    },
  },
  {
    image: 'fluent/fluentd',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 1.5,
      logs: [
        '{{time}} +0000 [info]: parsing config file is succeeded path="/fluentd/etc/fluent.conf"',
        '{{time}} +0000 [error]: config error file="/fluentd/etc/fluent.conf" error_class=Fluent::ConfigError error="Unknown output plugin \'elasticsearch8\'. Run \'gem search -rd fluent-plugin\' to find plugins"',
      ],
    },
  },
];

/**
 * Namespace `shop`: failing pods under every owner kind the bot walks (a 3-replica Deployment, a StatefulSet, a
 * Job with restartPolicy Never, a DaemonSet on each of the three nodes) and a bare, healthy `toolbox` pod.
 */
export function loadWorkloadsScenario(ctx: ScenarioContext): void {
  const { store, kubelet, clock } = ctx;
  for (const rule of WORKLOAD_RULES) kubelet.addRule(rule);
  const nodes = ['node-1', 'node-2', 'node-3'];
  for (const [i, n] of nodes.entries()) createOrKeep(store, 'nodes', buildNode(n, { index: i + 1 }));
  createOrKeep(store, 'namespaces', buildNamespace(NS));
  createOrKeep(store, 'serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: NS },
  });
  const t = isoSeconds(clock.now());
  const small = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } };
  const api = buildWorkload({
    namespace: NS,
    app: 'api',
    replicas: 3,
    createdAt: t,
    spec: {
      containers: [
        { name: 'api', image: 'ghcr.io/acme/shop-api:3.0.1', command: ['node', 'dist/server.js'], resources: small },
      ],
    },
  });
  createOrKeep(store, 'deployments', api.deployment);
  createOrKeep(store, 'replicasets', api.replicaSet);
  createOrKeep(store, 'services', api.service);
  const pg = buildStatefulSet(
    NS,
    'postgres',
    {
      containers: [
        { name: 'postgres', image: 'postgres:16.4', ports: [{ containerPort: 5432, name: 'pg' }], resources: small },
      ],
    },
    1,
    t,
  );
  createOrKeep(store, 'statefulsets', pg.owner);
  createOrKeep(store, 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'postgres', namespace: NS, labels: { app: 'postgres' } },
    spec: {
      clusterIP: 'None',
      clusterIPs: ['None'],
      selector: { app: 'postgres' },
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP', targetPort: 5432 }],
      type: 'ClusterIP',
    },
  });
  const job = buildJob(
    NS,
    'nightly-export',
    { containers: [{ name: 'export', image: 'ghcr.io/acme/exporter:1.2.0', resources: small }] },
    t,
  );
  createOrKeep(store, 'jobs', job.owner);
  const ds = buildDaemonSet(
    NS,
    'log-agent',
    { containers: [{ name: 'fluentd', image: 'fluent/fluentd:v1.17-1', resources: small }] },
    nodes,
    t,
  );
  createOrKeep(store, 'daemonsets', ds.owner);
  const toolbox = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'toolbox', namespace: NS, labels: { app: 'toolbox' }, creationTimestamp: t },
    spec: defaultPodSpec({ containers: [{ name: 'toolbox', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] }),
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
  for (const pod of [...api.pods, ...pg.pods, ...job.pods, ...ds.pods, toolbox]) createOrKeep(store, 'pods', pod);
}
