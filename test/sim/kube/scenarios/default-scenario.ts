import type { ContainerRule } from '../kubelet/behaviour.js';
import { isoSeconds } from '../store.js';
import { buildNamespace, buildNode, buildWorkload } from './build-objects.js';
import type { ScenarioContext } from './scenario-context.js';
import { createOrKeep } from './scenario-context.js';

type Json = any;

const NS = 'demo';

/** Pod names of the default scenario: one per failure kind, plus a healthy one. */
export const DEFAULT_POD_NAMES = [
  'crash-exit1',
  'oom',
  'liveness',
  'imagepull',
  'configerr',
  'pending',
  'init-crash',
  'scratch-crash',
  'multi',
  'healthy',
] as const;

const pino = (level: number, msg: string, extra = ''): string =>
  `{"level":${level},"time":"{{time}}","pid":1,"hostname":"{{pod}}",${extra}"msg":"${msg}"}`;

/**
 * The apps' behaviour. Logs are realistic, and some carry secrets (`password=hunter2`, a database URL with a
 * password, an `Authorization: Bearer` header) so that redaction has something to do.
 */
export const DEFAULT_RULES: ContainerRule[] = [
  {
    image: 'ghcr.io/acme/checkout-api',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 2,
      logs: [
        pino(30, 'checkout-api v2.14.1 starting (node v20.18.0, NODE_ENV=production, restart {{restart}})'),
        pino(30, 'loaded config from /etc/checkout/config.yaml'),
        pino(20, 'db config host=postgres.demo.svc port=5432 user=checkout password=hunter2 sslmode=require'),
        pino(
          30,
          'payments client ready',
          '"req":{"method":"GET","url":"https://payments.internal/v1/health","headers":{"authorization":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dC1hcGkifQ.s3cr3tSignature"}},',
        ),
        pino(30, 'connecting to postgres://checkout:hunter2@postgres.demo.svc:5432/checkout'),
        'Error: connect ECONNREFUSED 10.96.14.7:5432',
        '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {',
        "  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '10.96.14.7',\n  port: 5432\n}",
        pino(60, 'fatal: could not connect to the database after 3 attempts, exiting'),
      ],
    },
  },
  {
    image: 'ghcr.io/acme/report-worker',
    behaviour: {
      kind: 'oom',
      afterSeconds: 3,
      logs: [
        '  .   ____          _            __ _ _',
        " /\\\\ / ___'_ __ _ _(_)_ __  __ _ \\ \\ \\ \\",
        '{{time}}  INFO 1 --- [report-worker] [           main] c.a.report.ReportWorkerApplication      : Starting ReportWorkerApplication v1.9.0 using Java 21.0.5 with PID 1',
        '{{time}}  INFO 1 --- [report-worker] [           main] c.a.report.ReportWorkerApplication      : The following 1 profile is active: "prod"',
        "{{time}}  INFO 1 --- [report-worker] [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path '/'",
        '{{time}}  INFO 1 --- [report-worker] [   scheduling-1] c.a.report.MonthlyReportJob             : Generating monthly report 2026-10 (412338 rows), loading into memory',
        '{{time}}  WARN 1 --- [report-worker] [   scheduling-1] c.a.report.MonthlyReportJob             : heap usage 91% (466MiB of 512MiB) after loading 300000 rows',
        '[3.112s][warning][gc] GC(14) To-space exhausted',
      ],
    },
  },
  {
    image: 'ghcr.io/acme/inventory',
    behaviour: {
      kind: 'failLiveness',
      logs: [
        '{{time}} INF inventory v3.2.0 (go1.23.2) starting addr=:8080',
        '{{time}} INF connected to redis addr=redis.demo.svc:6379',
        '{{time}} DBG calling warehouse-api GET /v2/stock Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IndhcmVob3VzZSJ9.eyJzdWIiOiJpbnZlbnRvcnkifQ.c2lnbmF0dXJlLXNlY3JldA',
        '{{time}} WRN upstream warehouse-api slow latency_ms=4870',
        '{{time}} ERR health check failing: warehouse-api unreachable: context deadline exceeded',
      ],
    },
  },
  {
    image: 'ghcr.io/acme/orders-migrate',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 1.5,
      terminationMessage: 'migration 0042_add_orders_customer_index failed: relation "orders_v2" does not exist',
      logs: [
        'migrate: connecting to postgres://orders@postgres.demo.svc:5432/orders?sslmode=require',
        'migrate: 41 migrations applied, 1 pending',
        'migrate: applying 0042_add_orders_customer_index.up.sql',
        'error: migration 0042_add_orders_customer_index failed: pq: relation "orders_v2" does not exist (SQLSTATE 42P01)',
        'migrate: database is dirty at version 42, fix and force version',
      ],
    },
  },
  {
    image: 'ghcr.io/acme/ledger',
    behaviour: {
      kind: 'exit',
      exitCode: 2,
      afterSeconds: 1,
      logs: [
        '{"level":"info","ts":"{{time}}","caller":"cmd/main.go:41","msg":"ledger starting","version":"2.3.1"}',
        '{"level":"info","ts":"{{time}}","caller":"config/load.go:77","msg":"config loaded","source":"env"}',
        'panic: runtime error: invalid memory address or nil pointer dereference',
        '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8e5c2a]',
        '',
        'goroutine 1 [running]:',
        'github.com/acme/ledger/internal/store.(*Store).Balance(0x0, {0xc0001a2000, 0x24})',
        '\t/src/internal/store/store.go:118 +0x2a',
        'main.main()',
        '\t/src/cmd/main.go:63 +0x3c5',
      ],
    },
  },
  {
    image: 'ghcr.io/acme/storefront',
    behaviour: {
      kind: 'exit',
      exitCode: 1,
      afterSeconds: 2.5,
      logs: [
        '[{{time}}] [1] [INFO] Starting gunicorn 23.0.0',
        '[{{time}}] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)',
        '[{{time}}] [7] [INFO] Booting worker with pid: 7',
        'Traceback (most recent call last):',
        '  File "/app/storefront/settings.py", line 54, in <module>',
        '    STRIPE_KEY = os.environ["STRIPE_API_KEY"]',
        '  File "<frozen os>", line 714, in __getitem__',
        "KeyError: 'STRIPE_API_KEY'",
        '[{{time}}] [7] [ERROR] Exception in worker process',
        '[{{time}}] [1] [ERROR] Worker (pid:7) exited with code 3',
        '[{{time}}] [1] [ERROR] Shutting down: Master',
        '[{{time}}] [1] [ERROR] Reason: Worker failed to boot.',
      ],
    },
  },
  {
    image: 'nginx',
    behaviour: {
      kind: 'run',
      logs: [
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        '{{time}} [notice] 1#1: nginx/1.27.2',
        '{{time}} [notice] 1#1: start worker processes',
      ],
    },
  },
  {
    image: 'fluent/fluent-bit',
    behaviour: {
      kind: 'run',
      logs: ['Fluent Bit v3.1.9', '[{{time}}] [ info] [output:forward:forward.0] worker #0 started'],
    },
  },
  {
    image: 'ghcr.io/acme/catalog',
    behaviour: {
      kind: 'run',
      logs: [
        pino(30, 'catalog v1.0.4 listening on :8080'),
        pino(
          30,
          'request completed',
          '"req":{"method":"GET","url":"/products?page=1"},"res":{"statusCode":200},"responseTime":12,',
        ),
        pino(
          30,
          'request completed',
          '"req":{"method":"GET","url":"/healthz"},"res":{"statusCode":200},"responseTime":1,',
        ),
      ],
    },
  },
  { image: 'ghcr.io/acme/billing', behaviour: { kind: 'run', logs: [pino(30, 'billing v1.3.2 listening on :8080')] } },
  { image: 'ghcr.io/acme/orders', behaviour: { kind: 'run', logs: [pino(30, 'orders v5.1.0 listening on :8080')] } },
];

const resources = (cpu: string, memory: string, limitMemory = memory): Json => ({
  requests: { cpu, memory },
  limits: { memory: limitMemory },
});

const probe = (path: string, extra: Json = {}): Json => ({
  httpGet: { path, port: 8080, scheme: 'HTTP' },
  timeoutSeconds: 1,
  successThreshold: 1,
  ...extra,
});

/** The pod template spec of each app of the default scenario. */
export const DEFAULT_APPS: Record<(typeof DEFAULT_POD_NAMES)[number], Json> = {
  'crash-exit1': {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/checkout-api:2.14.1',
        command: ['node', 'dist/server.js'],
        ports: [{ containerPort: 8080, name: 'http' }],
        env: [
          { name: 'NODE_ENV', value: 'production' },
          { name: 'DATABASE_URL', value: 'postgres://checkout@postgres.demo.svc:5432/checkout' },
        ],
        resources: resources('100m', '256Mi'),
        readinessProbe: probe('/ready', { periodSeconds: 10, failureThreshold: 3 }),
      },
    ],
  },
  oom: {
    containers: [
      {
        name: 'worker',
        image: 'ghcr.io/acme/report-worker:1.9.0',
        env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g' }],
        resources: resources('250m', '512Mi'),
      },
    ],
  },
  liveness: {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/inventory:3.2.0',
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: resources('100m', '128Mi'),
        livenessProbe: probe('/healthz', { initialDelaySeconds: 1, periodSeconds: 2, failureThreshold: 2 }),
      },
    ],
  },
  imagepull: {
    containers: [{ name: 'app', image: 'ghcr.io/acme/notifier:4.0.0-typo', resources: resources('50m', '64Mi') }],
  },
  configerr: {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/billing:1.3.2',
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'BILLING_MODE', valueFrom: { configMapKeyRef: { name: 'billing-config', key: 'mode' } } },
        ],
        resources: resources('50m', '64Mi'),
      },
    ],
  },
  pending: {
    containers: [{ name: 'trainer', image: 'ghcr.io/acme/ml-trainer:0.7.1', resources: resources('2', '64Gi') }],
  },
  'init-crash': {
    initContainers: [
      {
        name: 'migrate',
        image: 'ghcr.io/acme/orders-migrate:5.1.0',
        command: ['/migrate', 'up'],
        resources: resources('50m', '64Mi'),
      },
    ],
    containers: [{ name: 'app', image: 'ghcr.io/acme/orders:5.1.0', resources: resources('100m', '128Mi') }],
  },
  'scratch-crash': {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/ledger:2.3.1-distroless',
        args: ['--config-from-env'],
        terminationMessagePolicy: 'FallbackToLogsOnError',
        resources: resources('50m', '64Mi'),
        securityContext: { runAsNonRoot: true, runAsUser: 65532, readOnlyRootFilesystem: true },
      },
    ],
  },
  multi: {
    containers: [
      { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: resources('50m', '32Mi') },
      {
        name: 'app',
        image: 'ghcr.io/acme/storefront:8.0.2',
        command: ['gunicorn', 'storefront.wsgi', '--bind', '0.0.0.0:8000'],
        resources: resources('100m', '256Mi'),
      },
      { name: 'log-shipper', image: 'fluent/fluent-bit:3.1', resources: resources('20m', '32Mi') },
    ],
  },
  healthy: {
    containers: [
      {
        name: 'app',
        image: 'ghcr.io/acme/catalog:1.0.4',
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: resources('100m', '128Mi'),
        livenessProbe: probe('/healthz', { periodSeconds: 10, failureThreshold: 3 }),
      },
    ],
  },
};

/**
 * Namespace `demo` on three nodes, one Deployment → ReplicaSet → Pod and a Service per app of
 * {@link DEFAULT_APPS}, with the rules of {@link DEFAULT_RULES}. Every failing pod shows its failure within a few
 * (clock) seconds of the kubelet starting: CrashLoopBackOff by ~5 s, liveness by ~12 s.
 */
export function loadDefaultScenario(ctx: ScenarioContext): void {
  const { store, kubelet, clock } = ctx;
  for (const rule of DEFAULT_RULES) kubelet.addRule(rule);
  for (let i = 1; i <= 3; i++) createOrKeep(store, 'nodes', buildNode(`node-${i}`, { index: i }));
  createOrKeep(store, 'namespaces', buildNamespace(NS));
  createOrKeep(store, 'serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: NS },
  });
  const createdAt = isoSeconds(clock.now());
  for (const app of DEFAULT_POD_NAMES) {
    const w = buildWorkload({ namespace: NS, app, spec: DEFAULT_APPS[app], createdAt });
    createOrKeep(store, 'deployments', w.deployment);
    createOrKeep(store, 'replicasets', w.replicaSet);
    createOrKeep(store, 'services', w.service);
    createOrKeep(store, 'pods', w.pod);
  }
}
