import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTAINER_RULES } from '../../src/diagnosis/find-container-findings.js';
import { EVENT_RULES } from '../../src/diagnosis/find-event-findings.js';
import { parseHookError } from '../../src/diagnosis/find-hook-failure.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { Finding } from '../../src/diagnosis/types.js';
import type { KubeEvent } from '../../src/kube/types.js';
import { container, crashLooping, event, facts, logs, NS, pod, running, waiting } from './fixtures.js';

const img = 'ghcr.io/acme/api:1';
const top = (f: Parameters<typeof diagnose>[0]): Finding => diagnose(f).findings[0] as Finding;

/** A pod waiting in ContainerCreating with these volumes and pod-level events. */
function creating(volumes: object[], events: KubeEvent[]) {
  return facts(
    pod('p', {
      phase: 'Pending',
      containers: [container('app', img)],
      statuses: [waiting('app', img, 'ContainerCreating')],
      spec: { volumes: volumes as never },
    }),
    { events },
  );
}

const mount = (message: string, ageSeconds: number, count = 1) =>
  event('Warning', 'FailedMount', message, { ageSeconds, count, podName: 'p' });

describe('the rule tables name the Kubernetes fact behind every rule', () => {
  it.each(EVENT_RULES.map((r) => [r.reasons.join('/'), r] as const))('pod events: %s', (_, rule) => {
    expect(rule.fact.length).toBeGreaterThan(40);
    expect(rule.reasons.length).toBeGreaterThan(0);
  });
  it.each(CONTAINER_RULES.map((r) => [r.name, r] as const))('containers: %s', (_, rule) => {
    expect(rule.fact.length).toBeGreaterThan(40);
  });
});

describe('FailedMount: every event read, per volume, the specific cause first', () => {
  const secretMissing = 'MountVolume.SetUp failed for volume "certs" : secret "webhook-tls" not found';
  const generic =
    'Unable to attach or mount volumes: unmounted volumes=[certs data], unattached volumes=[certs data kube-api-access-x]: timed out waiting for the condition';
  const volumes = [
    { name: 'certs', secret: { secretName: 'webhook-tls' } },
    { name: 'data', persistentVolumeClaim: { claimName: 'data-0' } },
  ];

  it('a missing Secret beats the generic timeout, whichever came last', () => {
    for (const [a, b] of [
      [5, 100],
      [100, 5],
    ] as const) {
      const f = top(creating(volumes, [mount(secretMissing, a), mount(generic, b)]));
      expect(f.kind).toBe('MissingConfig');
      expect(f.summary).toBe(
        'volume "certs" (Secret webhook-tls) cannot be mounted: Secret "webhook-tls" not found in demo',
      );
    }
  });

  it('names each volume that cannot mount, with its source', () => {
    const d = diagnose(
      creating(volumes, [
        mount(secretMissing, 30),
        mount(
          'MountVolume.MountDevice failed for volume "data" : rpc error: code = Internal desc = mount failed: exit status 32',
          20,
        ),
        mount(generic, 10),
      ]),
    );
    const summaries = d.findings.map((f) => f.summary);
    expect(summaries).toContain(
      'volume "certs" (Secret webhook-tls) cannot be mounted: Secret "webhook-tls" not found in demo',
    );
    expect(summaries.some((s) => /^volume "data" \(PVC data-0\) cannot be mounted: .*exit status 32/.test(s))).toBe(
      true,
    );
  });

  it('says honestly when only the generic timeout is known, naming the volume and its source', () => {
    const f = top(
      creating(volumes.slice(1), [
        mount(
          'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition',
          10,
        ),
      ]),
    );
    expect(f.kind).toBe('VolumeFailure');
    expect(f.summary).toBe(
      'volume "data" (PVC data-0) is still not mounted (the kubelet timed out waiting for it and names no cause)',
    );
  });

  it('reads hostPath type checks and NFS refusals', () => {
    const host = top(
      creating(
        [{ name: 'sock', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }],
        [
          mount(
            'MountVolume.SetUp failed for volume "sock" : hostPath type check failed: /var/run/docker.sock is not a socket file',
            5,
          ),
        ],
      ),
    );
    expect(host.summary).toMatch(
      /^volume "sock" \(hostPath \/var\/run\/docker\.sock \(type Socket\)\) cannot be mounted: hostPath type check failed/,
    );
    const nfs = top(
      creating(
        [{ name: 'share', nfs: { server: '10.0.0.5', path: '/exports/data' } }],
        [
          mount(
            'MountVolume.SetUp failed for volume "share" : mount failed: exit status 32\nMounting command: mount\nOutput: mount.nfs: access denied by server while mounting 10.0.0.5:/exports/data',
            5,
          ),
        ],
      ),
    );
    expect(nfs.summary).toMatch(/NFS 10\.0\.0\.5:\/exports\/data.*access denied by server/);
  });

  it('names the key a ConfigMap volume asks for and the ConfigMap lacks', () => {
    const f = top(
      creating(
        [{ name: 'config', configMap: { name: 'app-config', items: [{ key: 'app.yaml', path: 'app.yaml' }] } }],
        [
          mount(
            'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: app.yaml',
            5,
          ),
        ],
      ),
    );
    expect(f).toMatchObject({
      kind: 'MissingConfig',
      summary:
        'volume "config" (ConfigMap app-config) cannot be mounted: key "app.yaml" is missing from ConfigMap app-config',
    });
  });

  it('ignores mount events once the containers run', () => {
    const d = diagnose(
      facts(
        pod('p', {
          containers: [container('app', img)],
          statuses: [running('app', img)],
          spec: { volumes: volumes as never },
        }),
        {
          events: [mount(secretMissing, 3600)],
        },
      ),
    );
    expect(d.findings[0]?.kind).toBe('Healthy');
  });

  it('gives the same top finding for any order of the events', () => {
    const events = [
      mount(secretMissing, 30, 12),
      mount(generic, 10, 3),
      mount(
        'Unable to attach or mount volumes: unmounted volumes=[certs], unattached volumes=[certs]: timed out waiting for the condition',
        200,
      ),
      event('Normal', 'Scheduled', 'Successfully assigned demo/p to node-a', {
        podName: 'p',
        component: 'default-scheduler',
        ageSeconds: 300,
      }),
    ];
    const expected = top(creating(volumes, events));
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (shuffled) => {
        expect(top(creating(volumes, shuffled))).toEqual(expected);
      }),
    );
  });
});

describe('FailedAttachVolume', () => {
  it.each([
    [
      'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another',
      /cannot be attached: Multi-Attach error, it is still attached to another node \(exclusively attached, ReadWriteOnce\)/,
    ],
    ['Multi-Attach error for volume "pvc-1" Volume is already used by pod(s) web-0', /\(used by pod\(s\) web-0\)/],
    [
      'AttachVolume.Attach failed for volume "pvc-1" : rpc error: code = Internal desc = Could not attach volume "vol-0abc" to node "i-0def": InvalidVolume.ZoneMismatch: The volume is not in the same availability zone as instance',
      /cannot be attached to node node-a: .*ZoneMismatch/,
    ],
  ])('%s', (message, summary) => {
    const f = top(
      creating(
        [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }],
        [event('Warning', 'FailedAttachVolume', message, { podName: 'p', component: 'attachdetach-controller' })],
      ),
    );
    expect(f.kind).toBe('VolumeFailure');
    expect(f.summary).toMatch(/^volume pvc-1 \(PVC data-web-0\)/);
    expect(f.summary).toMatch(summary);
  });
});

describe('FailedCreatePodSandBox and its family', () => {
  it.each([
    [
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef": plugin type="cilium-cni" failed (add): unable to connect to Cilium daemon',
      /the network plugin cilium-cni failed: .*unable to connect to Cilium daemon/,
    ],
    [
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "kata" is configured',
      /the runtime has no handler "kata" \(RuntimeClass\)/,
    ],
  ])('%s', (message, summary) => {
    const f = top(creating([], [event('Warning', 'FailedCreatePodSandBox', message, { podName: 'p' })]));
    expect(f.kind).toBe('SandboxFailure');
    expect(f.action).toBe('node-shell');
    expect(f.summary).toMatch(summary);
    expect(f.summary).not.toMatch(/[0-9a-f]{64}/);
  });

  it('keeps the cause at the end of a long event message in the evidence, within 300 characters', () => {
    const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to set up sandbox container "${'f'.repeat(64)}" network for pod "restic-2jsjf": networkPlugin cni failed to set up pod "restic-2jsjf_psc-velero" network: error getting ClusterInformation: Get "https://[10.43.0.1]:443/apis/crd.projectcalico.org/v1/clusterinformations/default": dial tcp 10.43.0.1:443: i/o timeout`;
    const f = top(creating([], [event('Warning', 'FailedCreatePodSandBox', message, { podName: 'p' })]));
    expect(f.evidence.every((e) => e.length <= 300)).toBe(true);
    expect(f.evidence.some((e) => e.endsWith('i/o timeout'))).toBe(true);
  });

  it('reads NetworkNotReady', () => {
    const f = top(
      creating(
        [],
        [
          event(
            'Warning',
            'NetworkNotReady',
            'network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
            { podName: 'p' },
          ),
        ],
      ),
    );
    expect(f).toMatchObject({ kind: 'SandboxFailure' });
    expect(f.summary).toMatch(/cni plugin not initialized/);
  });
});

describe("lifecycle hooks: the hook's own error, not the SIGKILL that followed", () => {
  const hookPod = (status: ReturnType<typeof waiting>, events: KubeEvent[]) =>
    facts(
      pod('p', {
        containers: [container('app', img, { lifecycle: { postStart: { exec: { command: ['/hooks/warm.sh'] } } } })],
        statuses: [status],
      }),
      { events },
    );
  const detailed = `Exec lifecycle hook ([/hooks/warm.sh]) for Container "app" in Pod "p_${NS}(uid)" failed - error: command '/hooks/warm.sh' exited with 1: , message: "curl: (7) Failed to connect to localhost port 8080: Connection refused\\n"`;

  it("parses the kubelet's exec and HTTP hook messages", () => {
    expect(parseHookError(detailed)).toEqual({
      handler: '/hooks/warm.sh',
      error: "command '/hooks/warm.sh' exited with 1: ",
      exitCode: 1,
      output: 'curl: (7) Failed to connect to localhost port 8080: Connection refused\n',
    });
    expect(
      parseHookError(
        `HTTP lifecycle hook (/warm) for Container "app" in Pod "p_${NS}(uid)" failed - error: Get "http://10.1.2.3:8080/warm": dial tcp 10.1.2.3:8080: connect: connection refused`,
      ),
    ).toMatchObject({ handler: 'http-get /warm', error: expect.stringMatching(/connection refused$/) });
  });

  it('a detailed FailedPostStartHook event becomes the headline (kubelets before 1.24)', () => {
    const d = diagnose(
      hookPod(crashLooping('p', 'app', img, { exitCode: 137, reason: 'Error' }, { restarts: 3 }), [
        event('Warning', 'FailedPostStartHook', detailed, { podName: 'p', fieldPath: 'spec.containers{app}' }),
        event('Normal', 'Killing', 'FailedPostStartHook', { podName: 'p', fieldPath: 'spec.containers{app}' }),
      ]),
    );
    expect(d.findings[0]).toMatchObject({ kind: 'LifecycleHook', severity: 'critical' });
    expect(d.findings[0]?.summary).toBe(
      "app's postStart hook fails: curl: (7) Failed to connect to localhost port 8080: Connection refused, so the kubelet kills the container",
    );
    expect(d.verdict).toBe('demo/p — CrashLoopBackOff, exit 137, postStart hook failed (3 restarts)');
    expect(d.findings[0]?.evidence).toContain('postStart hook: exec ["/hooks/warm.sh"]');
  });

  it('reads the details from the waiting message when the event only says "PostStartHook failed" (1.24+)', () => {
    const f = top(
      hookPod(waiting('app', img, 'PostStartHookError', detailed, 1), [
        event('Warning', 'FailedPostStartHook', 'PostStartHook failed', {
          podName: 'p',
          fieldPath: 'spec.containers{app}',
        }),
      ]),
    );
    expect(f.kind).toBe('LifecycleHook');
    expect(f.summary).toMatch(/Connection refused/);
  });

  it('still blames the hook when nothing but "PostStartHook failed" is known', () => {
    const f = top(
      hookPod(crashLooping('p', 'app', img, { exitCode: 137, reason: 'Error' }, { restarts: 8 }), [
        event('Warning', 'FailedPostStartHook', 'PostStartHook failed', {
          podName: 'p',
          fieldPath: 'spec.containers{app}',
        }),
      ]),
    );
    expect(f.summary).toBe("app's postStart hook fails, so the kubelet kills the container");
    expect(f.evidence).toContain("then exit 137: the kubelet's kill, not the app's own exit");
  });

  it('does not mistake a hook whose script is missing for a missing container command', () => {
    const missing = `Exec lifecycle hook ([/hooks/warm.sh]) for Container "app" in Pod "p_${NS}(uid)" failed - error: rpc error: code = Unknown desc = failed to exec in container: failed to start exec "abc": OCI runtime exec failed: exec failed: unable to start container process: exec: "/hooks/warm.sh": stat /hooks/warm.sh: no such file or directory: unknown, message: ""`;
    const f = top(
      hookPod(crashLooping('p', 'app', img, { exitCode: 137, reason: 'Error' }, { restarts: 2 }), [
        event('Warning', 'FailedPostStartHook', missing, { podName: 'p', fieldPath: 'spec.containers{app}' }),
      ]),
    );
    expect(f.kind).toBe('LifecycleHook');
    expect(f.summary).toMatch(/^app's postStart hook fails: .*\/hooks\/warm\.sh.*no such file or directory/);
  });

  it('calls a hook failure history once the container runs and is ready', () => {
    const d = diagnose(
      hookPod(
        running('app', img, {
          restarts: 1,
          last: { exitCode: 137, reason: 'Error', finishedSecondsAgo: 7200 },
        }) as never,
        [
          event('Warning', 'FailedPostStartHook', detailed, {
            podName: 'p',
            fieldPath: 'spec.containers{app}',
            ageSeconds: 7200,
          }),
        ],
      ),
    );
    const hook = d.findings.find((f) => f.kind === 'LifecycleHook');
    expect(hook?.severity).toBe('info');
    expect(hook?.summary).toMatch(
      /^app's postStart hook failed before \(curl: \(7\).*\); the container runs and is ready now$/,
    );
  });

  it('a preStop hook that failed before a SIGKILL no probe explains is the story of that kill', () => {
    const f = top(
      hookPod(crashLooping('p', 'app', img, { exitCode: 137, reason: 'Error' }, { restarts: 2 }), [
        event('Warning', 'FailedPreStopHook', 'PreStopHook failed', {
          podName: 'p',
          fieldPath: 'spec.containers{app}',
        }),
      ]),
    );
    expect(f).toMatchObject({ kind: 'LifecycleHook', severity: 'critical' });
    expect(f.summary).toBe("app's preStop hook fails, and the kubelet then killed the container (exit 137)");
  });

  it('a preStop warning does not hide the crash that has its own cause', () => {
    const log = 'Error: connect ECONNREFUSED 10.0.0.1:5432\n';
    const d = diagnose(
      facts(
        pod('p', {
          containers: [container('app', img)],
          statuses: [crashLooping('p', 'app', img, { exitCode: 1, reason: 'Error' }, { restarts: 2 })],
        }),
        {
          events: [
            event('Warning', 'FailedPreStopHook', 'PreStopHook failed', {
              podName: 'p',
              fieldPath: 'spec.containers{app}',
            }),
          ],
          logs: [logs('app', log, log)],
        },
      ),
    );
    expect(d.findings.map((f) => f.kind)).toEqual(['ApplicationError', 'LifecycleHook']);
    expect(d.findings[0]?.summary).toMatch(/ECONNREFUSED/);
  });

  it('reports a failing preStop hook as a warning', () => {
    const f = top(
      facts(pod('p', { containers: [container('app', img)], statuses: [running('app', img)], deleting: true }), {
        events: [
          event('Warning', 'FailedPreStopHook', 'PreStopHook failed', {
            podName: 'p',
            fieldPath: 'spec.containers{app}',
          }),
        ],
      }),
    );
    expect(f).toMatchObject({ kind: 'LifecycleHook', severity: 'warning', summary: "app's preStop hook fails" });
  });
});

describe('event order never changes a diagnosis', () => {
  const messages: Record<string, string[]> = {
    FailedMount: [
      'MountVolume.SetUp failed for volume "certs" : secret "tls" not found',
      'Unable to attach or mount volumes: unmounted volumes=[certs data], unattached volumes=[certs data]: timed out waiting for the condition',
      'MountVolume.MountDevice failed for volume "data" : rpc error: code = DeadlineExceeded desc = context deadline exceeded',
    ],
    FailedAttachVolume: ['Multi-Attach error for volume "pvc-1" Volume is already used by pod(s) web-0'],
    FailedCreatePodSandBox: [
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "x": plugin type="calico" failed (add): Unauthorized',
    ],
    Unhealthy: [
      'Liveness probe failed: HTTP probe failed with statuscode: 503',
      'Readiness probe failed: connection refused',
    ],
    Killing: ['Container app failed liveness probe, will be restarted', 'FailedPostStartHook'],
    FailedPostStartHook: ['PostStartHook failed'],
    BackOff: ['Back-off restarting failed container app in pod p_demo(u)'],
  };
  const anEvent = fc
    .record({
      reason: fc.constantFrom(...Object.keys(messages)),
      pick: fc.nat(5),
      age: fc.constantFrom(5, 5, 30, 600),
      count: fc.integer({ min: 1, max: 20 }),
      onContainer: fc.boolean(),
    })
    .map(({ reason, pick, age, count, onContainer }) => {
      const list = messages[reason] ?? [''];
      return event('Warning', reason, list[pick % list.length] ?? '', {
        podName: 'p',
        ageSeconds: age,
        count,
        ...(onContainer ? { fieldPath: 'spec.containers{app}' } : {}),
      });
    });
  const pods = [
    pod('p', {
      phase: 'Pending',
      containers: [container('app', img)],
      statuses: [waiting('app', img, 'ContainerCreating')],
      spec: {
        volumes: [
          { name: 'certs', secret: { secretName: 'tls' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data-0' } },
        ] as never,
      },
    }),
    pod('p', {
      containers: [container('app', img, { livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } })],
      statuses: [crashLooping('p', 'app', img, { exitCode: 137, reason: 'Error' }, { restarts: 4 })],
    }),
  ];

  it('gives the same verdict and findings for any permutation of the same events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pods),
        fc.array(anEvent, { minLength: 1, maxLength: 12 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (p, events, noise) => {
          const shuffled = events
            .map((e) => ({ e, k: noise.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map(({ e }) => e);
          const a = diagnose(facts(p, { events }));
          const b = diagnose(facts(p, { events: shuffled }));
          expect(b.verdict).toBe(a.verdict);
          expect(b.findings).toEqual(a.findings);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the rest of the kubelet warnings', () => {
  it.each([
    [
      'VolumeResizeFailed',
      'resize volume "pvc-1" by resizer "ebs.csi.aws.com" failed: rpc error: code = Internal',
      /^a volume could not be resized: resize volume/,
    ],
    [
      'FailedValidation',
      'Error validating pod p.demo from file, ignoring: spec.containers[0].image: Required value',
      /^the kubelet rejected the pod spec/,
    ],
    [
      'InspectFailed',
      'Failed to apply default image tag "Nginx": couldn\'t parse image reference "Nginx": invalid reference format: repository name must be lowercase',
      /^the image could not be inspected on the node: .*repository name must be lowercase/,
    ],
  ])('%s is reported as a warning with its message', (reason, message, summary) => {
    const d = diagnose(creating([], [event('Warning', reason, message, { podName: 'p' })]));
    const f = d.findings.find((x) => summary.test(x.summary));
    expect(f?.severity).toBe('warning');
  });
});
