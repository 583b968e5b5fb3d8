import { describe, expect, it } from 'vitest';
import type { DiagnosisFacts, Finding } from '../../src/diagnosis/index.js';
import { diagnose } from '../../src/diagnosis/index.js';
import {
  configErr,
  container,
  crashLooping,
  event,
  facts,
  imagePull,
  logs,
  NOW,
  pod,
  running,
  SCENARIOS,
  scratchStartError,
  terminated,
  waiting,
} from './fixtures.js';

const img = 'ghcr.io/acme/api:1';
const top = (f: DiagnosisFacts): Finding => diagnose(f).findings[0] as Finding;

/** A single-container pod crash-looping with the given last termination. */
function crashWith(
  t: Parameters<typeof crashLooping>[3],
  o: { logText?: string; spec?: object; restarts?: number } = {},
) {
  return facts(
    pod('p', {
      containers: [container('app', img, o.spec ?? {})],
      statuses: [crashLooping('p', 'app', img, t, { restarts: o.restarts ?? 3 })],
    }),
    { logs: o.logText !== undefined ? [logs('app', o.logText, o.logText)] : [] },
  );
}

describe('image pull findings tell not found from unauthorized from network', () => {
  it.each([
    {
      cause: 'not-found',
      secret: undefined,
      summary: /not found/,
      advice: /exists in registry\.example\.com/,
      action: 'none',
    },
    {
      cause: 'unauthorized',
      secret: undefined,
      summary: /unauthorized/,
      advice: /has no imagePullSecrets/,
      action: 'none',
    },
    {
      cause: 'unauthorized',
      secret: 'regcred',
      summary: /unauthorized/,
      advice: /credentials in regcred/,
      action: 'none',
    },
    {
      cause: 'network',
      secret: undefined,
      summary: /could not be reached/,
      advice: /cannot reach registry\.example\.com/,
      action: 'node-shell',
    },
  ] as const)('$cause with pull secret $secret', ({ cause, secret, summary, advice, action }) => {
    const f = top(imagePull(cause, secret ? { pullSecret: secret } : {}));
    expect(f.kind).toBe('ImagePull');
    expect(f.summary).toMatch(summary);
    expect(f.recommendation).toMatch(advice);
    expect(f.action).toBe(action);
    expect(f.evidence).toContain(secret ? `imagePullSecrets: ${secret}` : 'imagePullSecrets: none');
  });

  it('calls an invalid image reference invalid', () => {
    const p = pod('p', {
      phase: 'Pending',
      containers: [container('app', 'Acme/App:1')],
      statuses: [
        waiting(
          'app',
          'Acme/App:1',
          'InvalidImageName',
          'Failed to apply default image tag "Acme/App:1": couldn\'t parse image name "Acme/App:1": invalid reference format: repository name must be lowercase',
        ),
      ],
    });
    expect(top(facts(p))).toMatchObject({ kind: 'ImagePull', summary: expect.stringMatching(/invalid/) });
  });

  it('names the tag as latest when the image has none', () => {
    const p = pod('p', {
      phase: 'Pending',
      containers: [container('app', 'nginx')],
      statuses: [waiting('app', 'nginx', 'ErrImagePull', 'rpc error: manifest unknown')],
    });
    expect(top(facts(p)).evidence).toContain('registry: docker.io, repository: nginx, tag: latest');
  });
});

describe('missing ConfigMap or Secret', () => {
  it.each([
    {
      message: 'configmap "app-config" not found',
      summary: 'app cannot start: ConfigMap "app-config" not found in demo',
      advice: /kubectl create configmap app-config -n demo/,
    },
    {
      message: 'secret "app-secrets" not found',
      summary: 'app cannot start: Secret "app-secrets" not found in demo',
      advice: /kubectl create secret generic app-secrets -n demo/,
    },
    {
      message: "couldn't find key LOG_LEVEL in ConfigMap demo/app-config",
      summary: 'app cannot start: key "LOG_LEVEL" is missing from ConfigMap app-config',
      advice: /Add the key "LOG_LEVEL"/,
    },
    {
      message: "couldn't find key password in Secret demo/db",
      summary: 'app cannot start: key "password" is missing from Secret db',
      advice: /Add the key "password" to Secret db/,
    },
  ])('$message', ({ message, summary, advice }) => {
    const f = top(configErr(message));
    expect(f).toMatchObject({ kind: 'MissingConfig', severity: 'critical', summary, action: 'none' });
    expect(f.recommendation).toMatch(advice);
    expect(f.evidence[0]).toBe(`CreateContainerConfigError: ${message}`);
  });

  it('falls back to a generic finding for other config errors, keeping the message', () => {
    const f = top(
      configErr('container has runAsNonRoot and image will run as root (pod: "configerr_demo(x)", container: app)'),
    );
    expect(f.kind).toBe('Crashing');
    expect(f.summary).toMatch(/runAsNonRoot/);
  });

  it('finds a ConfigMap volume that cannot mount while the pod sits in ContainerCreating', () => {
    const p = pod('p', {
      phase: 'Pending',
      containers: [container('app', img)],
      statuses: [waiting('app', img, 'ContainerCreating')],
    });
    const f = top(
      facts(p, {
        events: [
          event('Warning', 'FailedMount', 'MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found', {
            count: 6,
          }),
        ],
      }),
    );
    expect(f).toMatchObject({
      kind: 'MissingConfig',
      summary: 'volume "cfg" cannot be mounted: ConfigMap "cfg" not found in demo',
    });
  });

  it('points at the node for other volumes that cannot mount', () => {
    const p = pod('p', {
      phase: 'Pending',
      containers: [container('app', img)],
      statuses: [waiting('app', img, 'ContainerCreating')],
    });
    const f = top(
      facts(p, {
        events: [
          event(
            'Warning',
            'FailedMount',
            'MountVolume.MountDevice failed for volume "pvc-1" : rpc error: code = DeadlineExceeded',
          ),
        ],
      }),
    );
    expect(f).toMatchObject({ kind: 'VolumeFailure', action: 'node-shell' });
    expect(f.summary).toBe('volume "pvc-1" cannot be mounted: rpc error: code = DeadlineExceeded');
  });
});

describe('processes the runtime cannot start', () => {
  it.each([
    {
      name: 'a binary missing from $PATH',
      message:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "server": executable file not found in $PATH: unknown',
      command: ['server'],
      kind: 'CommandNotFound',
      summary: 'app cannot start: command "server" not found in the image',
    },
    {
      name: 'bash in an alpine image',
      message:
        'OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
      command: ['bash', '-c', 'run'],
      kind: 'CommandNotFound',
      // alpine has /bin/sh, not bash: "not on $PATH" is what the runtime said, "no shell" would be a guess.
      summary: 'app cannot start: shell "bash" is not on $PATH',
    },
    {
      name: 'an absolute shell path in a distroless image',
      message:
        'OCI runtime create failed: runc create failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory: unknown',
      command: ['/bin/sh', '-c', 'run'],
      kind: 'CommandNotFound',
      summary: 'app has no shell: /bin/sh is not in the image (distroless or scratch?)',
    },
    {
      name: 'a script without the executable bit',
      message:
        'OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/start.sh": permission denied: unknown',
      command: ['/app/start.sh'],
      kind: 'NotExecutable',
      summary: 'app cannot run /app/start.sh: found but not executable (permission denied)',
    },
    {
      name: 'a binary for another architecture',
      message: 'exec /server: exec format error',
      command: ['/server'],
      kind: 'NotExecutable',
      summary: 'app cannot run /server: built for another CPU architecture (exec format error)',
    },
  ])('$name', ({ message, command, kind, summary }) => {
    const f = top(scratchStartError(message, command));
    expect(f).toMatchObject({ kind, summary, action: 'clone-with-busybox', severity: 'critical' });
  });

  it.each([
    { code: 127, log: 'sh: migrate-db: not found\n', kind: 'CommandNotFound' },
    { code: 126, log: 'sh: /app/run: Permission denied\n', kind: 'NotExecutable' },
  ])('a shell exiting $code becomes $kind, with its complaint as evidence', ({ code, log, kind }) => {
    const f = top(
      crashWith({ exitCode: code, reason: 'Error' }, { logText: log, spec: { command: ['sh', '-c', 'migrate-db'] } }),
    );
    expect(f.kind).toBe(kind);
    expect(f.action).toBe('clone-with-busybox');
    expect(f.evidence).toContain(log.trim());
  });

  it('quotes the runtime once, not again from the Failed event that repeats it', () => {
    const evidence = top(scratchStartError()).evidence;
    expect(evidence.filter((e) => e.includes('stat /bin/sh'))).toHaveLength(1);
  });

  it('does not mistake an app that cannot open a file for a missing command', () => {
    const f = top(
      crashWith({ exitCode: 1, reason: 'Error', message: 'open /etc/app/config.yaml: no such file or directory' }),
    );
    expect(f.kind).toBe('ApplicationError');
  });

  it('does not call a container the kubelet lost track of an application error', () => {
    const f = top(
      crashWith({
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
      }),
    );
    expect(f.kind).toBe('Crashing');
    expect(f.summary).toMatch(/ContainerStatusUnknown|could not be located/);
  });

  it('offers busybox for a StartError whose message it does not recognise', () => {
    const f = top(crashWith({ exitCode: 128, reason: 'StartError', message: 'failed to start: something odd' }));
    expect(f).toMatchObject({ kind: 'Crashing', action: 'clone-with-busybox' });
  });
});

describe('OOMKilled', () => {
  const oom = (ranSeconds: number, limit?: string) =>
    crashWith(
      { exitCode: 137, reason: 'OOMKilled', ranSeconds },
      { spec: limit ? { resources: { limits: { memory: limit } } } : {} },
    );

  it('says a quick death means the footprint is above the limit', () => {
    expect(top(oom(8, '128Mi')).recommendation).toMatch(/normal footprint is above 128Mi/);
  });

  it('says a slow death looks like a leak', () => {
    const f = top(oom(5400, '128Mi'));
    expect(f.summary).toBe('app was OOMKilled after 90m (limit 128Mi)');
    expect(f.recommendation).toMatch(/leak/);
  });

  it('says when there is no memory limit at all', () => {
    expect(top(oom(30)).summary).toMatch(/no memory limit/);
  });

  it('warns about a past OOM kill of a container that runs again', () => {
    const p = pod('p', {
      containers: [container('app', img, { resources: { limits: { memory: '1Gi' } } })],
      statuses: [running('app', img, { restarts: 1, last: { exitCode: 137, reason: 'OOMKilled', ranSeconds: 600 } })],
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    expect(top(facts(p))).toMatchObject({ kind: 'OOMKilled', severity: 'warning' });
  });
});

describe('probe failures', () => {
  const withEvents = (events: ReturnType<typeof event>[], restarts = 2, spec: object = {}) =>
    facts(
      pod('p', {
        containers: [container('app', img, spec)],
        statuses: [crashLooping('p', 'app', img, { exitCode: 1, reason: 'Error' }, { restarts })],
      }),
      { events, logs: [logs('app', 'boom: fatal error\n', 'boom: fatal error\n')] },
    );
  const at = { fieldPath: 'spec.containers{app}' };

  it('recognises a startup probe that kills the container', () => {
    const f = top(
      withEvents(
        [
          event(
            'Warning',
            'Unhealthy',
            'Startup probe failed: Get "http://10.0.0.5:8080/ready": dial tcp 10.0.0.5:8080: connect: connection refused',
            { ...at, count: 30 },
          ),
          event('Normal', 'Killing', 'Container app failed startup probe, will be restarted', at),
        ],
        2,
        { startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30, periodSeconds: 1 } },
      ),
    );
    expect(f).toMatchObject({
      kind: 'ProbeFailure',
      action: 'clone-without-probes',
      summary: 'app is killed by its failing startup probe (TCP :8080: connection refused, 30 failures, 2 restarts)',
    });
    expect(f.evidence).toContain('startup: tcp-socket :8080 delay=0s timeout=1s period=1s #success=1 #failure=30');
  });

  it('calls the probe critical while the container runs between kills', () => {
    const p = pod('p', {
      containers: [container('app', img)],
      statuses: [
        running('app', img, { ready: false, restarts: 3, last: { exitCode: 137, reason: 'Error', ranSeconds: 31 } }),
      ],
    });
    const f = top(
      facts(p, {
        events: [
          event(
            'Warning',
            'Unhealthy',
            'Liveness probe failed: Get "http://10.0.0.5:8080/healthz": context deadline exceeded',
            { ...at, count: 9 },
          ),
          event('Normal', 'Killing', 'Container app failed liveness probe, will be restarted', { ...at, count: 3 }),
        ],
      }),
    );
    expect(f).toMatchObject({ kind: 'ProbeFailure', severity: 'critical', action: 'clone-without-probes' });
  });

  it('matches probe events that carry no field path by the container named in the message', () => {
    const f = top(
      withEvents([event('Normal', 'Killing', 'Container app failed liveness probe, will be restarted', { count: 2 })]),
    );
    expect(f.kind).toBe('ProbeFailure');
  });

  it('ignores probe events about another container', () => {
    const f = top(
      withEvents([
        event('Normal', 'Killing', 'Container sidecar failed liveness probe, will be restarted', {
          fieldPath: 'spec.containers{sidecar}',
        }),
      ]),
    );
    expect(f.kind).toBe('ApplicationError');
  });

  it('keeps the crash as the top finding when only readiness fails', () => {
    const d = diagnose(
      withEvents([
        event('Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', {
          ...at,
          count: 9,
        }),
      ]),
    );
    expect(d.findings.map((f) => [f.kind, f.severity, f.action])).toEqual([
      ['ApplicationError', 'critical', 'clone'],
      ['ProbeFailure', 'warning', 'none'],
    ]);
  });
});

describe('init containers, clean exits, past restarts and the fallbacks', () => {
  it('reports a failed init container under restartPolicy Never (Init:Error)', () => {
    const p = pod('p', {
      phase: 'Failed',
      restartPolicy: 'Never',
      initContainers: [container('migrate', img)],
      containers: [container('app', img)],
      initStatuses: [terminated('migrate', img, { exitCode: 2, reason: 'Error' })],
      statuses: [waiting('app', img, 'PodInitializing')],
    });
    const d = diagnose(facts(p, { logs: [logs('migrate', 'usage: migrate [up|down]\n')] }));
    expect(d.pod.status).toBe('Init:Error');
    expect(d.findings[0]).toMatchObject({ kind: 'InitContainerFailure', container: 'migrate' });
    expect(d.findings[0]?.evidence).toContain('usage: migrate [up|down]');
    expect(d.verdict).toBe('demo/p — Init:Error, exit 2 in init container migrate');
  });

  it('reports an init container that cannot pull its image as an image pull, naming it an init container', () => {
    const p = pod('p', {
      phase: 'Pending',
      initContainers: [container('migrate', 'acme/migrate:nope')],
      containers: [container('app', img)],
      initStatuses: [waiting('migrate', 'acme/migrate:nope', 'ErrImagePull', 'manifest unknown')],
    });
    expect(top(facts(p)).summary).toMatch(/for init container migrate/);
  });

  it('does not call exit 0 a problem under restartPolicy Never', () => {
    const p = pod('p', {
      phase: 'Succeeded',
      restartPolicy: 'Never',
      containers: [container('app', img)],
      statuses: [terminated('app', img, { exitCode: 0, reason: 'Completed' })],
    });
    expect(top(facts(p))).toMatchObject({ kind: 'Healthy', summary: expect.stringMatching(/completed successfully/) });
  });

  it('warns about past restarts of a container that now runs', () => {
    const p = pod('p', {
      containers: [container('app', img)],
      conditions: [{ type: 'Ready', status: 'True' }],
      statuses: [running('app', img, { restarts: 2, last: { exitCode: 1, reason: 'Error', finishedSecondsAgo: 900 } })],
    });
    const d = diagnose(facts(p, { logs: [logs('app', 'ok\n', 'panic: nil map\n')] }));
    expect(d.findings[0]).toMatchObject({ kind: 'Crashing', severity: 'warning' });
    expect(d.findings[0]?.evidence).toContain('panic: nil map');
    expect(d.verdict).toBe(
      'demo/p — Running, app is running again but has 2 restarts; the last one exited 1 (Error) 15m ago',
    );
  });

  it('calls a restart from days ago history, not a warning', () => {
    const p = pod('p', {
      containers: [container('app', img)],
      conditions: [{ type: 'Ready', status: 'True' }],
      statuses: [
        running('app', img, { restarts: 1, last: { exitCode: 143, reason: 'Error', finishedSecondsAgo: 3 * 86400 } }),
      ],
    });
    expect(top(facts(p))).toMatchObject({
      kind: 'Crashing',
      severity: 'info',
      summary: expect.stringMatching(/3d ago$/),
    });
  });

  it('says a pod still creating its containers is starting, not failing', () => {
    const p = pod('p', {
      phase: 'Pending',
      containers: [container('app', img)],
      statuses: [waiting('app', img, 'ContainerCreating')],
    });
    expect(top(facts(p))).toMatchObject({ kind: 'Crashing', severity: 'info' });
  });

  it('says a pod being deleted is Terminating', () => {
    const p = pod('p', { deleting: true, containers: [container('app', img)], statuses: [running('app', img)] });
    expect(top(facts(p))).toMatchObject({
      kind: 'Crashing',
      severity: 'info',
      summary: 'the pod is being deleted (Terminating)',
    });
  });

  it('says when a crash left no logs', () => {
    expect(top(crashWith({ exitCode: 1, reason: 'Error' }, { logText: '' })).evidence).toContain(
      'the container wrote nothing to its logs',
    );
  });

  it('says why logs are unavailable when the read failed', () => {
    const f = facts(
      pod('p', {
        containers: [container('app', img)],
        statuses: [crashLooping('p', 'app', img, { exitCode: 1, reason: 'Error' }, { restarts: 1 })],
      }),
      {
        logs: [
          {
            container: 'app',
            current: { ok: false, kind: 'Forbidden', message: 'pods "p" is forbidden: cannot get resource "pods/log"' },
          },
        ],
      },
    );
    expect(top(f).evidence).toContain('logs unavailable: pods "p" is forbidden: cannot get resource "pods/log"');
  });
});

describe("unschedulable pods get advice keyed on the scheduler's reason", () => {
  it.each([
    { message: '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}.', advice: /toleration/ },
    {
      message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
      advice: /nodeSelector\/affinity/,
    },
    {
      message: '0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.',
      advice: /PersistentVolumeClaim/,
    },
    { message: '0/3 nodes are available: 3 Insufficient cpu.', advice: /lower the resource requests/ },
  ])('$message', ({ message, advice }) => {
    const p = pod('p', {
      phase: 'Pending',
      nodeName: null,
      containers: [container('app', img)],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    });
    expect(top(facts(p)).recommendation).toMatch(advice);
  });

  it('reads the FailedScheduling event when the condition is not there yet', () => {
    const p = pod('p', { phase: 'Pending', nodeName: null, containers: [container('app', img)] });
    const f = top(
      facts(p, {
        events: [
          event('Warning', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient memory.', {
            component: 'default-scheduler',
          }),
        ],
      }),
    );
    expect(f).toMatchObject({
      kind: 'Unschedulable',
      summary: 'not scheduled: 0/1 nodes are available: 1 Insufficient memory.',
    });
  });

  it('says a gated pod waits for its gates', () => {
    const p = pod('p', {
      phase: 'Pending',
      nodeName: null,
      containers: [container('app', img)],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      spec: { schedulingGates: [{ name: 'example.com/quota' }] },
    });
    expect(top(facts(p))).toMatchObject({
      kind: 'Unschedulable',
      severity: 'warning',
      summary: 'not scheduled: waiting for scheduling gates (example.com/quota)',
    });
  });
});

describe('pods the node refused or let go', () => {
  it('reports a pod the kubelet rejected at admission', () => {
    const p = pod('p', {
      phase: 'Failed',
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 4000, used: 3500, capacity: 4000",
      containers: [container('app', img)],
    });
    const d = diagnose(facts(p));
    expect(d.findings[0]).toMatchObject({ kind: 'Unschedulable', severity: 'critical' });
    expect(d.findings[0]?.summary).toMatch(/^rejected by the kubelet on node-a \(OutOfcpu\): Pod was rejected/);
    expect(d.pod.status).toBe('OutOfcpu');
  });

  it('does not blame the containers of a pod stopped by a node shutdown', () => {
    const p = pod('p', {
      phase: 'Failed',
      reason: 'Terminated',
      message: 'Pod was terminated in response to imminent node shutdown.',
      containers: [container('app', img)],
      statuses: [terminated('app', img, { exitCode: 143, reason: 'Error' })],
    });
    expect(diagnose(facts(p)).findings.map((f) => `${f.kind}:${f.severity}`)).toEqual(['Evicted:warning']);
  });

  it('says which finalizers keep a pod in Terminating', () => {
    const p = pod('p', { deleting: true, containers: [container('app', img)], statuses: [running('app', img)] });
    if (p.metadata) {
      p.metadata.deletionTimestamp = new Date(NOW.getTime() - 600_000);
      p.metadata.finalizers = ['example.com/protect'];
    }
    const f = top(facts(p));
    expect(f).toMatchObject({ kind: 'Crashing', severity: 'warning', action: 'none' });
    expect(f.summary).toBe('stuck in Terminating for 10m: finalizers example.com/protect hold it');
    expect(f.recommendation).toMatch(/kubectl patch pod p -n demo/);
  });

  it('points at the node when nothing but the kubelet holds a pod in Terminating', () => {
    const p = pod('p', { deleting: true, containers: [container('app', img)], statuses: [running('app', img)] });
    if (p.metadata) p.metadata.deletionTimestamp = new Date(NOW.getTime() - 3_600_000);
    expect(top(facts(p))).toMatchObject({
      summary: 'stuck in Terminating for 60m: node node-a has not confirmed the kill',
      action: 'node-shell',
    });
  });
});

describe('ordering and missing evidence', () => {
  it('puts critical findings before warnings, the most specific first', () => {
    const p = pod('p', {
      containers: [
        container('a', img),
        container('b', img, { resources: { limits: { memory: '64Mi' } } }),
        container('c', img),
      ],
      statuses: [
        running('a', img, { restarts: 1, last: { exitCode: 1, reason: 'Error' } }),
        crashLooping('p', 'b', img, { exitCode: 137, reason: 'OOMKilled' }, { restarts: 4 }),
        waiting('c', 'ghcr.io/acme/nope:1', 'ImagePullBackOff', 'manifest unknown'),
      ],
    });
    const d = diagnose(facts(p));
    expect(d.findings.map((f) => `${f.severity}:${f.kind}:${f.container}`)).toEqual([
      'critical:ImagePull:c',
      'critical:OOMKilled:b',
      'warning:Crashing:a',
    ]);
  });

  it('lists every failed read with its kind and message, except refusals that are themselves facts', () => {
    const f = SCENARIOS['crash-exit1']();
    f.events = {
      ok: false,
      kind: 'Forbidden',
      message: 'events is forbidden: User "system:serviceaccount:debugdead:bot" cannot list resource "events"',
    };
    f.owners = { ok: false, kind: 'Timeout', message: 'timed out after 3000 ms' };
    f.node = { ok: false, kind: 'NotFound', message: 'nodes "node-a" not found' };
    f.logs = [
      {
        container: 'app',
        current: { ok: false, kind: 'Unavailable', message: 'connection reset' },
        previous: {
          ok: false,
          kind: 'Invalid',
          message: 'previous terminated container "app" in pod "crash-exit1" not found',
        },
      },
    ];
    const d = diagnose(f);
    expect(d.missing).toEqual([
      {
        what: 'events',
        kind: 'Forbidden',
        message: 'events is forbidden: User "system:serviceaccount:debugdead:bot" cannot list resource "events"',
      },
      { what: 'logs of app', kind: 'Unavailable', message: 'connection reset' },
      { what: 'owner chain', kind: 'Timeout', message: 'timed out after 3000 ms' },
      { what: 'node', kind: 'NotFound', message: 'nodes "node-a" not found' },
    ]);
    // The diagnosis still stands on what was read: the pod itself.
    expect(d.verdict).toBe('demo/crash-exit1 — CrashLoopBackOff, exit 1 (23 restarts)');
    expect(d.pod.owners).toEqual([{ kind: 'ReplicaSet', name: 'crash-exit1-7d9f8b6c4d' }]);
    expect(d.events).toEqual([]);
  });
});
