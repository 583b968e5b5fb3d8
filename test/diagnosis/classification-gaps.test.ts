import { describe, expect, it } from 'vitest';
import { TERMINATION_MESSAGE_MAX_BYTES } from '../../src/diagnosis/crash-story.js';
import { describeProbeTarget, probeFailureCause } from '../../src/diagnosis/describe-probe-target.js';
import { classifyPullFailure } from '../../src/diagnosis/find-container-findings.js';
import { findHeapSettings } from '../../src/diagnosis/find-heap-settings.js';
import { INIT_STUCK_SECONDS } from '../../src/diagnosis/find-stuck-init.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { Finding } from '../../src/diagnosis/types.js';
import type { ContainerStatus } from '../../src/kube/types.js';
import { renderDiagnosisMessage } from '../../src/render/render-diagnosis-message.js';
import { ago, container, crashLooping, event, facts, logs, pod, waiting } from './fixtures.js';

const img = 'ghcr.io/acme/api:1';
const top = (f: Parameters<typeof diagnose>[0]): Finding => diagnose(f).findings[0] as Finding;

describe('the probe target in the headline', () => {
  it.each([
    [{ httpGet: { path: '/healthz', port: 8080 } }, undefined, 'GET :8080/healthz'],
    [{ httpGet: { path: '/ready', port: 'http', scheme: 'HTTPS' } }, undefined, 'HTTPS GET :http/ready'],
    [{ tcpSocket: { port: 5432 } }, undefined, 'TCP :5432'],
    [{ grpc: { port: 9090 } }, undefined, 'gRPC :9090'],
    [{ exec: { command: ['cat', '/tmp/healthy'] } }, undefined, 'exec "cat /tmp/healthy"'],
    [undefined, 'Liveness probe failed: Get "http://10.1.2.3:8081/live": context deadline exceeded', 'GET :8081/live'],
    [undefined, 'Readiness probe failed: dial tcp 10.1.2.3:6379: connect: connection refused', 'TCP :6379'],
  ])('%j / %s → %s', (probe, message, target) => {
    expect(describeProbeTarget(probe as never, message)).toBe(target);
  });

  it.each([
    ['Liveness probe failed: HTTP probe failed with statuscode: 503', 'HTTP probe failed with statuscode: 503'],
    [
      'Readiness probe failed: Get "http://10.0.0.1:8080/ready": dial tcp 10.0.0.1:8080: connect: connection refused',
      'connection refused',
    ],
    [
      'Liveness probe failed: Get "http://10.0.0.1:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'timed out',
    ],
    ['Liveness probe errored: rpc error: code = DeadlineExceeded desc = context deadline exceeded', 'timed out'],
  ])('%s → %s', (message, cause) => {
    expect(probeFailureCause(message)).toBe(cause);
  });
});

describe('image pulls refused for rate limits', () => {
  it.each([
    'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading',
    'unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/latest: 429 Too Many Requests',
    'Error response from daemon: toomanyrequests: Rate exceeded',
  ])('%s', (message) => {
    expect(classifyPullFailure('ErrImagePull', message).kind).toBe('rate-limited');
  });

  it('is told apart from unauthorized and not found', () => {
    expect(
      classifyPullFailure('ErrImagePull', 'rpc error: code = NotFound desc = failed to resolve reference: not found')
        .kind,
    ).toBe('not-found');
    expect(classifyPullFailure('ErrImagePull', '401 Unauthorized').kind).toBe('unauthorized');
  });
});

describe('heap flags above the memory limit, wherever they are', () => {
  it.each([
    [{ env: [{ name: 'JVM_ARGS', value: '-server -Xmx2g' }] }, '-Xmx2g', 'JVM_ARGS'],
    [{ env: [{ name: 'CATALINA_OPTS', value: '-Xms3g' }] }, '-Xms3g', 'CATALINA_OPTS'],
    [{ env: [{ name: 'ES_JAVA_OPTS', value: '-XX:MaxHeapSize=4G' }] }, '-XX:MaxHeapSize=4G', 'ES_JAVA_OPTS'],
    [{ env: [{ name: 'JAVA_OPTS', value: '-XX:MaxRAM=3g' }] }, '-XX:MaxRAM=3g', 'JAVA_OPTS'],
    [{ args: ['-jar', 'app.jar', '-Xmx3072m'] }, '-Xmx3072m', 'command'],
    [{ env: [{ name: 'HEAP', value: '-Xmx2147483648' }] }, '-Xmx2147483648', 'HEAP'],
  ])('%j', (spec, flag, source) => {
    const found = findHeapSettings(container('app', img, spec));
    expect(found).toContainEqual(expect.objectContaining({ flag, source }));
    const f = top(
      facts(
        pod('p', {
          containers: [container('app', img, { ...spec, resources: { limits: { memory: '1Gi' } } })],
          statuses: [
            crashLooping('p', 'app', img, { exitCode: 137, reason: 'OOMKilled', ranSeconds: 5 }, { restarts: 2 }),
          ],
        }),
      ),
    );
    expect(f.summary).toContain(`${flag} exceeds it`);
  });

  it('does not read a heap flag out of a word that merely contains it', () => {
    expect(findHeapSettings(container('app', img, { env: [{ name: 'X', value: 'foo-Xmx2g.txt' }] }))).toEqual([]);
  });
});

describe("a shell's Permission denied names the script", () => {
  it.each([
    ['/bin/sh: 1: /app/start.sh: Permission denied', '/app/start.sh'],
    ['sh: /entrypoint.sh: Permission denied', '/entrypoint.sh'],
    ['/bin/bash: line 1: ./run.sh: Permission denied', './run.sh'],
    ['bash: /docker-entrypoint.sh: Permission denied', '/docker-entrypoint.sh'],
    ['exec /usr/local/bin/start: permission denied', '/usr/local/bin/start'],
  ])('%s', (line, script) => {
    const f = top(
      facts(
        pod('p', {
          containers: [container('app', img, { command: ['/bin/sh', '-c', script] })],
          statuses: [crashLooping('p', 'app', img, { exitCode: 126, reason: 'Error' }, { restarts: 3 })],
        }),
        { logs: [logs('app', `${line}\n`, `${line}\n`)] },
      ),
    );
    expect(f.kind).toBe('NotExecutable');
    expect(f.summary).toBe(`app cannot run ${script}: found but not executable (permission denied)`);
  });
});

describe('a script the runtime found but could not exec', () => {
  it('blames the interpreter on its #! line (or CRLF line endings), not a missing file', () => {
    const f = top(
      facts(
        pod('p', {
          containers: [container('app', img, { command: ['/docker-entrypoint.sh'] })],
          statuses: [crashLooping('p', 'app', img, { exitCode: 1, reason: 'Error' }, { restarts: 4 })],
        }),
        {
          logs: [
            logs(
              'app',
              'exec /docker-entrypoint.sh: no such file or directory\n',
              'exec /docker-entrypoint.sh: no such file or directory\n',
            ),
          ],
        },
      ),
    );
    expect(f.kind).toBe('CommandNotFound');
    expect(f.summary).toBe(
      'app cannot run /docker-entrypoint.sh: no such file or directory, though the file exists: the interpreter on its #! line is missing (or the script has CRLF line endings)',
    );
    expect(f.recommendation).toMatch(/LF line endings/);
  });
});

describe('"no shell in the image" only when the evidence says so', () => {
  const startError = (message: string, command: string[], image = img, env?: { name: string; value: string }[]) =>
    top(
      facts(
        pod('p', {
          containers: [container('app', image, { command, ...(env ? { env } : {}) })],
          statuses: [
            crashLooping('p', 'app', image, { exitCode: 128, reason: 'StartError', message }, { restarts: 2 }),
          ],
        }),
      ),
    );
  const notFound = (exe: string) =>
    `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${exe}": executable file not found in $PATH: unknown`;

  it('a bare sh missing from $PATH is a PATH problem until proven otherwise', () => {
    const f = startError(notFound('sh'), ['sh', '-c', 'run'], img, [{ name: 'PATH', value: '/app/bin' }]);
    expect(f.summary).toBe('app cannot start: shell "sh" is not on $PATH (the spec sets PATH=/app/bin)');
    expect(f.summary).not.toMatch(/no shell/);
    expect(diagnose(facts(pod('p', { containers: [] }))).verdict).not.toMatch(/no shell/);
  });

  it('an absolute shell path that does not exist is a missing shell', () => {
    const f = startError(
      'OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      ['/bin/sh', '-c', 'run'],
    );
    expect(f.summary).toBe('app has no shell: /bin/sh is not in the image (distroless or scratch?)');
  });

  it('a shell-less image (distroless) is a missing shell', () => {
    const f = startError(notFound('sh'), ['sh', '-c', 'run'], 'gcr.io/distroless/static-debian12:nonroot');
    expect(f.summary).toMatch(/has no shell/);
  });
});

describe('termination messages', () => {
  const crashed = (message: string, log = '') =>
    diagnose(
      facts(
        pod('p', {
          containers: [container('app', img)],
          statuses: [crashLooping('p', 'app', img, { exitCode: 1, reason: 'Error', message }, { restarts: 2 })],
        }),
        { logs: [logs('app', log, log)] },
      ),
    );

  it('are shown as evidence and lead the summary when they say more than the log', () => {
    const d = crashed('fatal: schema version 41 is older than the code (42); run the migrations', 'booting\n');
    expect(d.findings[0]?.summary).toMatch(/schema version 41 is older than the code/);
    expect(d.findings[0]?.evidence).toContain(
      'termination message: fatal: schema version 41 is older than the code (42); run the migrations',
    );
  });

  it('say when the kubelet may have cut them (4096 bytes, or 80 lines under FallbackToLogsOnError)', () => {
    const long = `${'x'.repeat(TERMINATION_MESSAGE_MAX_BYTES - 40)}\nError: disk quota exceeded while writing /data`;
    const d = crashed(long);
    expect(d.findings[0]?.evidence.some((e) => /may be cut: the kubelet keeps at most 4096 bytes/.test(e))).toBe(true);
    const lines = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n');
    expect(crashed(lines).findings[0]?.evidence.some((e) => /may be cut/.test(e))).toBe(true);
    expect(crashed('short').findings[0]?.evidence.some((e) => /may be cut/.test(e))).toBe(false);
  });

  it('are not repeated when they are only the log tail the kubelet copied (FallbackToLogsOnError)', () => {
    const log = 'starting\nError: open /etc/app.yaml: no such file or directory\n';
    const d = crashed(log, log);
    expect(d.findings[0]?.evidence.some((e) => e.startsWith('termination message'))).toBe(false);
    expect(d.findings[0]?.summary).toMatch(/no such file or directory$/);
  });

  it('reach the Slack summary, redacted', () => {
    const d = crashed('fatal: cannot reach postgres://app:hunter2@db:5432/orders: password authentication failed');
    const text = JSON.stringify(renderDiagnosisMessage(d, { requestId: 'req-r1abcd', redactions: 0 }).blocks);
    expect(text).toMatch(/termination message: fatal: cannot reach postgres:/);
    expect(text).toMatch(/password authentication failed/);
    expect(text).not.toContain('hunter2');
  });

  it("never blame the app for the runtime's own message (StartError)", () => {
    const d = diagnose(
      facts(
        pod('p', {
          containers: [container('app', img)],
          statuses: [
            crashLooping(
              'p',
              'app',
              img,
              {
                exitCode: 128,
                reason: 'StartError',
                message: 'OCI runtime create failed: container_linux.go: error mounting "/x": not a directory',
              },
              { restarts: 2 },
            ),
          ],
        }),
      ),
    );
    expect(d.findings[0]?.evidence.some((e) => e.startsWith('termination message'))).toBe(false);
  });
});

describe('init containers that never finish', () => {
  const stuck = (seconds: number, log: string) => {
    const init: ContainerStatus = {
      name: 'wait-db',
      image: 'busybox:1.36',
      imageID: '',
      ready: false,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: ago(seconds) } },
    };
    return diagnose(
      facts(
        pod('p', {
          phase: 'Pending',
          initContainers: [
            container('wait-db', 'busybox:1.36', { command: ['sh', '-c', 'until nslookup db; do sleep 2; done'] }),
          ],
          containers: [container('app', img)],
          initStatuses: [init],
          statuses: [waiting('app', img, 'PodInitializing')],
        }),
        {
          logs: [logs('wait-db', log), { container: 'app' }],
          events: [
            event('Normal', 'Started', 'Started container wait-db', {
              podName: 'p',
              fieldPath: 'spec.initContainers{wait-db}',
            }),
          ],
        },
      ),
    );
  };
  const dnsLoop = "Server:    10.96.0.10\nnslookup: can't resolve 'db'\n".repeat(20);

  it(`reads the log of one running longer than ${INIT_STUCK_SECONDS}s and names what it loops on`, () => {
    const d = stuck(900, dnsLoop);
    expect(d.findings[0]).toMatchObject({ kind: 'InitContainerFailure', severity: 'critical', container: 'wait-db' });
    expect(d.findings[0]?.summary).toBe(
      "init container wait-db has run for 15m without completing, so the app containers never start: nslookup: can't resolve 'db'",
    );
    expect(d.findings[0]?.recommendation).toMatch(/does not resolve/);
  });

  it('calls one that only just started what it is: still running, no alarm', () => {
    const d = stuck(INIT_STUCK_SECONDS - 30, dnsLoop);
    expect(d.findings[0]).toMatchObject({ kind: 'InitContainerFailure', severity: 'info', action: 'none' });
    expect(d.findings[0]?.summary).toBe(
      "init container wait-db is still running (90s); the app containers wait for it: nslookup: can't resolve 'db'",
    );
  });
});
