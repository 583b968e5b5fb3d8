import { describe, expect, it } from 'vitest';
import { findHeapSettings } from '../../src/diagnosis/find-heap-settings.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { parseQuantity } from '../../src/diagnosis/parse-quantity.js';
import { pickLogLines } from '../../src/diagnosis/pick-log-lines.js';
import { pickTellingLine } from '../../src/diagnosis/pick-telling-line.js';
import { container, crashLooping, facts, logs, pod } from './fixtures.js';

const pino = (level: number, msg: string) =>
  `{"level":${level},"time":"2026-11-23T09:59:01.000Z","pid":1,"hostname":"checkout-7d9f","msg":"${msg}"}`;

const LOGS = {
  node: [
    pino(30, 'checkout-api v2.14.1 starting'),
    pino(30, 'connecting to postgres://checkout@postgres.demo.svc:5432/checkout'),
    'Error: connect ECONNREFUSED 10.96.14.7:5432',
    '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {',
    '  errno: -111,',
    "  code: 'ECONNREFUSED',",
    '}',
    pino(60, 'fatal: could not connect to the database after 3 attempts, exiting'),
  ],
  gunicorn: [
    '[2026-11-23 09:59:01 +0000] [1] [INFO] Starting gunicorn 23.0.0',
    'Traceback (most recent call last):',
    '  File "/app/storefront/settings.py", line 54, in <module>',
    '    STRIPE_KEY = os.environ["STRIPE_API_KEY"]',
    "KeyError: 'STRIPE_API_KEY'",
    '[2026-11-23 09:59:02 +0000] [7] [ERROR] Exception in worker process',
    '[2026-11-23 09:59:02 +0000] [1] [ERROR] Reason: Worker failed to boot.',
  ],
  go: [
    '{"level":"info","ts":"2026-11-23T09:59:01Z","caller":"cmd/main.go:41","msg":"ledger starting"}',
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8e5c2a]',
    '',
    'goroutine 1 [running]:',
    'github.com/acme/ledger/internal/store.(*Store).Balance(0x0, {0xc0001a2000, 0x24})',
    '\t/src/internal/store/store.go:118 +0x2a',
    'main.main()',
    '\t/src/cmd/main.go:63 +0x3c5',
  ],
  java: [
    'INFO Starting Application',
    'Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext',
    '\tat org.example.Main.main(Main.java:10)',
    'Caused by: java.net.UnknownHostException: db.demo.svc',
    '\t... 12 more',
  ],
  migrate: [
    'migrate: 41 migrations applied, 1 pending',
    'error: migration 0042_add_orders_customer_index failed: pq: relation "orders_v2" does not exist (SQLSTATE 42P01)',
    'migrate: database is dirty at version 42, fix and force version',
  ],
  zap: [
    '{"level":"error","ts":1732355941,"msg":"cannot open ledger","error":"open /data/ledger.db: read-only file system"}',
  ],
  quiet: ['starting', 'done'],
};

describe('the telling line of a crash', () => {
  it.each([
    { name: 'node (pino)', lines: LOGS.node, telling: 'Error: connect ECONNREFUSED 10.96.14.7:5432' },
    { name: 'python (gunicorn)', lines: LOGS.gunicorn, telling: "KeyError: 'STRIPE_API_KEY'" },
    {
      name: 'go panic',
      lines: LOGS.go,
      telling: 'panic: runtime error: invalid memory address or nil pointer dereference',
    },
    { name: 'java', lines: LOGS.java, telling: 'Caused by: java.net.UnknownHostException: db.demo.svc' },
    {
      name: 'a plain error line',
      lines: LOGS.migrate,
      telling:
        'error: migration 0042_add_orders_customer_index failed: pq: relation "orders_v2" does not exist (SQLSTATE 42P01)',
    },
    { name: 'zap JSON', lines: LOGS.zap, telling: 'cannot open ledger: open /data/ledger.db: read-only file system' },
    { name: 'nothing wrong said', lines: LOGS.quiet, telling: undefined },
  ])('$name → $telling', ({ lines, telling }) => {
    expect(pickTellingLine(pickLogLines(lines.join('\n')))).toBe(telling);
  });

  it('keeps the pino fatal line and the stack among the evidence', () => {
    const picked = pickLogLines(LOGS.node.join('\n'));
    expect(picked).toContain('    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {');
    expect(picked).toContain("  code: 'ECONNREFUSED',");
    expect(picked[picked.length - 1]).toMatch(/"level":60/);
    expect(picked).not.toContain(LOGS.node[0]);
  });

  it('puts the telling line in the application error summary', () => {
    const log = LOGS.gunicorn.join('\n');
    const d = diagnose(
      facts(
        pod('storefront', {
          containers: [container('app', 'ghcr.io/acme/storefront:8.0.2')],
          statuses: [
            crashLooping(
              'storefront',
              'app',
              'ghcr.io/acme/storefront:8.0.2',
              { exitCode: 3, reason: 'Error' },
              { restarts: 4 },
            ),
          ],
        }),
        { logs: [logs('app', log, log)] },
      ),
    );
    expect(d.findings[0]?.summary).toBe("app crashes with exit 3 after 2s: KeyError: 'STRIPE_API_KEY'");
  });
});

describe('memory settings against the limit', () => {
  it.each([
    { q: '512Mi', bytes: 512 * 2 ** 20 },
    { q: '1Gi', bytes: 2 ** 30 },
    { q: '1G', bytes: 1e9 },
    { q: '1.5Gi', bytes: 1.5 * 2 ** 30 },
    { q: '128974848', bytes: 128974848 },
    { q: '129e6', bytes: 129e6 },
    { q: '500m', bytes: 0.5 },
    { q: '64k', bytes: 64000 },
    { q: 'lots', bytes: undefined },
    { q: '', bytes: undefined },
    { q: '1Gb', bytes: undefined },
  ])('quantity $q is $bytes', ({ q, bytes }) => {
    expect(parseQuantity(q)).toBe(bytes);
  });

  it('finds -Xmx and --max-old-space-size in any env value and the command line', () => {
    const spec = container('app', 'x', {
      command: ['java', '-Xmx2048m', '-jar', 'app.jar'],
      env: [
        { name: 'JAVA_TOOL_OPTIONS', value: '-XX:+UseG1GC -Xmx1g' },
        { name: 'NODE_OPTIONS', value: '--max-old-space-size=4096' },
        { name: 'OTHER', value: '-Xmx9g' },
      ],
    });
    expect(findHeapSettings(spec)).toEqual([
      { source: 'JAVA_TOOL_OPTIONS', flag: '-Xmx1g', bytes: 2 ** 30 },
      { source: 'NODE_OPTIONS', flag: '--max-old-space-size=4096', bytes: 4096 * 2 ** 20 },
      // A chart's own variable name is as good as JAVA_TOOL_OPTIONS: the start script passes it to java.
      { source: 'OTHER', flag: '-Xmx9g', bytes: 9 * 2 ** 30 },
      { source: 'command', flag: '-Xmx2048m', bytes: 2048 * 2 ** 20 },
    ]);
  });

  it('blames a JVM heap larger than the memory limit for the OOM kill', () => {
    const spec = {
      env: [{ name: 'JAVA_TOOL_OPTIONS', value: '-Xmx1g' }],
      resources: { limits: { memory: '512Mi' }, requests: { memory: '512Mi' } },
    };
    const d = diagnose(
      facts(
        pod('oom', {
          containers: [container('worker', 'ghcr.io/acme/report-worker:1.9.0', spec)],
          statuses: [
            crashLooping(
              'oom',
              'worker',
              'ghcr.io/acme/report-worker:1.9.0',
              { exitCode: 137, reason: 'OOMKilled', ranSeconds: 3 },
              { restarts: 2 },
            ),
          ],
        }),
      ),
    );
    const f = d.findings[0];
    expect(f?.summary).toBe('worker was OOMKilled after 3s (limit 512Mi); -Xmx1g exceeds it');
    expect(f?.evidence).toContain('JAVA_TOOL_OPTIONS: -Xmx1g allows a heap at least as large as the 512Mi limit');
    expect(f?.recommendation).toMatch(/^-Xmx1g \(JAVA_TOOL_OPTIONS\) lets the heap grow past the 512Mi limit/);
  });
});
