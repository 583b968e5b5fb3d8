import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_REQUEST_ID, PREVIEW_REQUESTER } from '../../src/cli/manifest-command.js';
import { loadConfig } from '../../src/config/index.js';
import {
  buildDebugClone,
  buildNodeShell,
  EXPIRES_AT_ANNOTATION,
  KIND_LABEL,
  MANAGED_LABEL,
  nameSuffix,
} from '../../src/debugpods/index.js';
import { createKubeClient, type KubeClient, loadKubeConfig, type Pod } from '../../src/kube/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { type CliRun, ROOT, runCli } from './run-cli.js';

let sim: KubeSim;
const WARM_UP_MS = 15 * 60_000;
let dir: string;
let kubeconfig: string;
/** A working directory without debugdead.yaml: configuration defaults. */
let plain: string;
/** A working directory whose debugdead.yaml changes what clones are built from. */
let configured: string;
let kube: KubeClient;

beforeAll(async () => {
  // The cluster's clock starts a quarter of an hour back and is fast-forwarded to now, so the scenario pods have
  // crash-looped up to the kubelet's 5-minute back-off; then it stands still, so every CLI run sees the same states
  // (each crash-looping container is in its back-off, not in its 2-second run).
  const clock = new ManualClock(Date.now() - WARM_UP_MS);
  sim = await startKubeSim({ clock, scenario: 'default' });
  clock.advance(WARM_UP_MS);
  dir = mkdtempSync(join(tmpdir(), 'debugdead-cli-'));
  kubeconfig = join(dir, 'kubeconfig');
  // The context's namespace is `default`; the scenario lives in `demo`.
  await sim.writeKubeconfig(kubeconfig);
  plain = join(dir, 'plain');
  configured = join(dir, 'configured');
  mkdirSync(plain);
  mkdirSync(configured);
  writeFileSync(
    join(configured, 'debugdead.yaml'),
    'debugClone:\n  helperImage: registry.example.com/tools/busybox:1.37-musl\n  defaultTtl: 30m\n  maxTtl: 2h\n',
  );
  kube = createKubeClient(loadKubeConfig({ kubeconfigPath: kubeconfig }), { timeoutMs: 5000 });
});

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], cwd = plain, env: Record<string, string> = {}) =>
  runCli(args, { cwd, env: { KUBECONFIG: kubeconfig, ...env } });

/** Output for an assertion message: what the process said when it surprised us. */
const said = (r: CliRun) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/** What no error message may look like: a stack frame, or client-node's dump of response headers. */
const RAW_ERROR = /\n\s+at |Headers|content-type|ApiException|HTTP-Code/i;

describe('debugdead diagnose', () => {
  it('--json prints exactly the documented shape for pods failing in different ways', async () => {
    const pods = ['oom', 'imagepull', 'multi'] as const;
    const runs = await Promise.all(pods.map((pod) => cli(['diagnose', pod, '--json', '-n', 'demo'])));
    const out: Record<string, any> = {};
    pods.forEach((pod, i) => {
      const r = runs[i] as CliRun;
      expect(r.code, said(r)).toBe(0);
      out[pod] = JSON.parse(r.stdout);
    });
    for (const pod of pods) {
      const d = out[pod];
      expect(Object.keys(d).sort()).toEqual([
        'containers',
        'events',
        'findings',
        'logsCut',
        'namespace',
        'phase',
        'pod',
        'redactions',
      ]);
      expect(typeof d.redactions).toBe('number');
      for (const n of d.logsCut) expect(Object.keys(n).sort()).toEqual(['command', 'container', 'instance', 'shown']);
      expect(d).toMatchObject({ pod, namespace: 'demo', phase: expect.any(String) });
      for (const c of d.containers) {
        expect(Object.keys(c).sort()).toEqual([
          'lastExitCode',
          'lastReason',
          'name',
          'reason',
          'restartCount',
          'state',
        ]);
        expect(typeof c.restartCount).toBe('number');
      }
      for (const f of d.findings) {
        expect(Object.keys(f).sort()).toEqual(['evidence', 'kind', 'recommendation', 'severity', 'summary']);
        expect(f.evidence.every((e: unknown) => typeof e === 'string')).toBe(true);
      }
      for (const e of d.events) {
        expect(Object.keys(e).sort()).toEqual(['ageSeconds', 'count', 'message', 'reason', 'type']);
      }
    }
    expect(out.oom.containers[0]).toMatchObject({ name: 'worker', lastExitCode: 137, lastReason: 'OOMKilled' });
    expect(out.oom.findings[0]).toMatchObject({ kind: 'OOMKilled', severity: 'critical' });
    expect(out.imagepull.containers[0]).toMatchObject({
      name: 'app',
      state: 'waiting',
      reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/),
      lastExitCode: null,
    });
    expect(out.imagepull.findings[0].kind).toBe('ImagePull');
    expect(out.multi.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'app', 'log-shipper']);
    expect(out.multi.containers[1]).toMatchObject({ state: 'waiting', reason: 'CrashLoopBackOff', lastExitCode: 1 });
    expect(out.multi.findings[0]).toMatchObject({ kind: 'ApplicationError' });
  });

  it('a pod or container that is not there exits 1 and suggests the close name, or the namespace holding the name', async () => {
    // Without -n the kubeconfig context's namespace (`default` here) is used, as kubectl does.
    const [typo, elsewhere, container] = await Promise.all([
      cli(['diagnose', 'crash-exit', '-n', 'demo']),
      cli(['diagnose', 'crash-exit1']),
      cli(['diagnose', 'multi', '-n', 'demo', '-c', 'db']),
    ]);
    expect(container.code, said(container)).toBe(1);
    expect(container.stderr).toBe('debugdead: Pod demo/multi has no container "db"; it has: web, app, log-shipper.\n');
    expect(typo.code, said(typo)).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      'debugdead: There is no pod "crash-exit" in namespace "demo".\nDid you mean: crash-exit1?\n',
    );
    expect(elsewhere.code, said(elsewhere)).toBe(1);
    expect(elsewhere.stderr).toMatch(/There is no pod "crash-exit1" in namespace "default"\./);
    expect(elsewhere.stderr).toMatch(/exists in namespace demo \(-n demo\)/);
  });

  it('a permission the user lacks, or an API that does not answer, exits 1 with what to do and no stack', async () => {
    const undoDeny = sim.rbac.deny({ verb: 'get', resource: 'pods', namespace: 'locked' });
    const undoHang = sim.faults.hang({ verb: 'get', resource: 'pods', namespace: 'slow' });
    const impatient = join(dir, 'impatient');
    mkdirSync(impatient);
    writeFileSync(join(impatient, 'debugdead.yaml'), 'kubernetes:\n  requestTimeout: 1s\n');
    try {
      const [forbidden, timeout] = await Promise.all([
        cli(['diagnose', 'web-1', '-n', 'locked']),
        cli(['diagnose', 'web-1', '-n', 'slow'], impatient),
      ]);
      expect(forbidden.code, said(forbidden)).toBe(1);
      expect(forbidden.stderr).toMatch(/may not get pods in namespace "locked"/);
      expect(forbidden.stderr).toMatch(/Grant verb "get" on resource "pods" through a Role in namespace "locked"/);
      expect(timeout.code, said(timeout)).toBe(1);
      expect(timeout.stderr).toMatch(/^debugdead: Gave up waiting for the Kubernetes API: reading pod slow\/web-1/);
      expect(timeout.stderr).toMatch(/Each call may take 1s \(kubernetes\.requestTimeout in debugdead\.yaml\)\.\n$/);
      for (const r of [forbidden, timeout]) {
        expect(r.stdout).toBe('');
        expect(r.stderr).not.toMatch(RAW_ERROR);
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      }
    } finally {
      undoDeny();
      undoHang();
    }
  });

  it('takes every target form the slash command takes: ns/pod, pod ns, pod/, and workloads as kubectl spells them', async () => {
    const forms = [
      ['demo/crash-exit1'],
      ['crash-exit1', 'demo'],
      ['pod/crash-exit1', '-n', 'demo'],
      ['deploy/crash-exit1', '-n', 'demo'],
      ['deployments.apps/crash-exit1', 'demo'],
    ];
    const runs = await Promise.all(forms.map((f) => cli(['diagnose', ...f, '--json'])));
    for (const r of runs) {
      expect(r.code, said(r)).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ namespace: 'demo', pod: 'crash-exit1' });
    }
    expect(JSON.parse(runs[3]!.stdout).workloadPods).toEqual([
      expect.objectContaining({ name: 'crash-exit1', health: 'failing', state: 'CrashLoopBackOff' }),
    ]);
    const [text, missing, twice] = await Promise.all([
      cli(['diagnose', 'deploy/crash-exit1', '-n', 'demo']),
      cli(['diagnose', 'sts/nope', '-n', 'demo']),
      cli(['diagnose', 'demo/crash-exit1', 'prod']),
    ]);
    expect(text.stdout).toMatch(
      /^Deployment "demo\/crash-exit1" has 1 pod\. Diagnosing the worst, "crash-exit1" \(CrashLoopBackOff, \d+ restarts\)\.\n\n/,
    );
    expect(missing.code, said(missing)).toBe(1);
    expect(missing.stderr).toBe('debugdead: There is no statefulset "nope" in namespace "demo".\n');
    expect(twice.code, said(twice)).toBe(2);
    expect(twice.stderr).toBe('debugdead: The namespace is given twice ("demo" and "prod").\n');
  });

  it('usage errors exit 2; a missing kubeconfig or a broken config file exit 1 with a sentence saying what to fix', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'logs:\n  tailLines: -5\nkubernetes: [unclosed\n');
    const [noPod, badName, unknown, noKubeconfig, brokenYaml] = await Promise.all([
      cli(['diagnose']),
      cli(['diagnose', 'Crash_Exit1', '-n', 'demo']),
      cli(['frobnicate', 'x']),
      cli(['diagnose', 'crash-exit1', '--kubeconfig', join(dir, 'nowhere')]),
      cli(['diagnose', 'crash-exit1'], plain, { DEBUGDEAD_CONFIG: broken }),
    ]);
    expect(noPod.code, said(noPod)).toBe(2);
    expect(noPod.stderr).toMatch(/^diagnose needs a pod name\n\nUsage:/);
    expect(badName.code, said(badName)).toBe(2);
    expect(badName.stderr).toMatch(/"Crash_Exit1" is not a valid pod name/);
    expect(unknown.code, said(unknown)).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    expect(noKubeconfig.code, said(noKubeconfig)).toBe(1);
    expect(noKubeconfig.stderr).toMatch(/kubeconfig \S+nowhere does not exist/);
    expect(brokenYaml.code, said(brokenYaml)).toBe(1);
    expect(brokenYaml.stderr).toMatch(/Invalid configuration \(.*broken\.yaml\)/);
    expect(brokenYaml.stderr).toMatch(/not valid YAML at line \d+/);
    for (const r of [noPod, badName, unknown, noKubeconfig, brokenYaml]) {
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(RAW_ERROR);
    }
  });
});

/** The YAML documents' comment header and the pod. */
function parseManifest(text: string): { comments: string[]; pod: Pod } {
  const comments = text
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^# ?/, ''));
  return { comments, pod: yaml.load(text) as Pod };
}

/** The `now` a manifest was built at, recovered from its expiry. */
function builtAt(pod: Pod, ttlSeconds: number): Date {
  const expires = pod.metadata?.annotations?.[EXPIRES_AT_ANNOTATION];
  expect(expires).toBeDefined();
  return new Date(Date.parse(expires as string) - ttlSeconds * 1000);
}

const plainJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('manifest previews', () => {
  it('clone-manifest prints the clone the bot would build from the config, and creates nothing', async () => {
    const [crash, multi] = await Promise.all([
      cli(['clone-manifest', 'crash-exit1', '-n', 'demo'], configured),
      cli(['clone-manifest', 'multi', '-n', 'demo']),
    ]);
    expect(crash.code, said(crash)).toBe(0);
    expect(multi.code, said(multi)).toBe(0);

    const { comments, pod } = parseManifest(crash.stdout);
    expect(pod.kind).toBe('Pod');
    expect(pod.metadata?.labels).toMatchObject({ [MANAGED_LABEL]: 'true', [KIND_LABEL]: 'clone' });
    expect(pod.metadata?.labels?.app).toBeUndefined();
    expect(pod.metadata?.ownerReferences).toBeUndefined();
    for (const c of pod.spec?.containers ?? []) {
      expect([c.livenessProbe, c.readinessProbe, c.startupProbe]).toEqual([undefined, undefined, undefined]);
    }
    expect(pod.spec?.initContainers?.[0]?.image).toBe('registry.example.com/tools/busybox:1.37-musl');
    expect(pod.spec?.activeDeadlineSeconds).toBe(7200);

    // Byte for byte what the builder makes of the same pod with the same config values.
    const config = loadConfig({}, configured);
    const source = await kube.readPod('demo', 'crash-exit1');
    const expected = buildDebugClone(
      source,
      {
        requestId: PREVIEW_REQUEST_ID,
        container: 'app',
        requestedBy: PREVIEW_REQUESTER,
        ttlSeconds: config.debugClone.defaultTtlSeconds,
        maxTtlSeconds: config.debugClone.maxTtlSeconds,
        helperImage: config.debugClone.helperImage,
        keepClaims: config.debugClone.keepClaims,
      },
      { suffix: nameSuffix(PREVIEW_REQUEST_ID), now: builtAt(pod, 1800) },
    );
    expect(pod).toEqual(plainJson(expected.pod));
    expect(comments).toContain(`Shell: ${expected.execCommand}`);
    expect(comments).toContain("Original command: /.debugdead/busybox sh -c 'node dist/server.js'");
    for (const note of expected.notes) expect(comments).toContain(`  ${note}`);
    expect(comments.join('\n')).toMatch(/Target container: app: the failing container \(CrashLoopBackOff, exit 1\)/);
    expect(comments.join('\n')).toMatch(/Nothing was created/);

    const m = parseManifest(multi.stdout);
    expect(m.comments.join('\n')).toMatch(/Target container: app: the failing container/);
    expect(m.pod.spec?.containers.map((c) => c.name)).toEqual(['web', 'app', 'log-shipper']);
    expect(m.pod.spec?.containers[1]?.command?.[0]).toBe('/.debugdead/busybox');
    expect(m.pod.spec?.initContainers?.[0]?.image).toBe('busybox:1.37-musl');

    const clones = await kube.listManagedPods(`${MANAGED_LABEL}=true`);
    expect(clones).toEqual([]);
  });

  it('node-shell-manifest prints the privileged shell the bot would build, and refuses a node that does not exist', async () => {
    const [shell, missing] = await Promise.all([
      cli(['node-shell-manifest', 'node-1']),
      cli(['node-shell-manifest', 'node-9']),
    ]);
    expect(shell.code, said(shell)).toBe(0);
    const { comments, pod } = parseManifest(shell.stdout);
    const config = loadConfig({}, plain);
    const expected = buildNodeShell(
      'node-1',
      {
        requestId: PREVIEW_REQUEST_ID,
        node: 'node-1',
        requestedBy: PREVIEW_REQUESTER,
        ttlSeconds: config.nodeShell.defaultTtlSeconds,
        maxTtlSeconds: config.nodeShell.maxTtlSeconds,
        image: config.nodeShell.image,
        namespace: config.nodeShell.namespace,
        mountHostRoot: config.nodeShell.mountHostRoot,
      },
      { suffix: nameSuffix(PREVIEW_REQUEST_ID), now: builtAt(pod, config.nodeShell.defaultTtlSeconds) },
    );
    expect(pod).toEqual(plainJson(expected.pod));
    expect(pod.metadata).toMatchObject({ namespace: 'debugdead-nodeshell', labels: { [KIND_LABEL]: 'node-shell' } });
    expect(pod.spec?.nodeName).toBe('node-1');
    expect(comments).toContain(`Shell: ${expected.execCommand}`);

    expect(missing.code, said(missing)).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('debugdead: There is no node "node-9".\n');
  });
});

describe('kubectl plugin', () => {
  it('`kubectl debugdead diagnose crash-exit1 -n demo` prints the verdict, exit code and finding, secrets removed', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(join(ROOT, 'bin', 'debugdead'), join(bin, 'kubectl-debugdead'));
    const r = await runCli(['debugdead', 'diagnose', 'crash-exit1', '-n', 'demo'], {
      cwd: plain,
      command: 'kubectl',
      env: { KUBECONFIG: kubeconfig, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(r.code, said(r)).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^demo\/crash-exit1 — CrashLoopBackOff, exit 1 \(\d+ restarts\)$/m);
    expect(r.stdout).toMatch(/Last exit\s+app: exit 1 \(Error\), general application error/);
    expect(r.stdout).toMatch(
      /\[critical\] ApplicationError \(app\): app crashes with exit 1 after \d+s: Error: connect ECONNREFUSED/,
    );
    expect(r.stdout).toMatch(/→ Read the error lines above/);
    expect(r.stdout).toMatch(/Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container app/);
    for (const secret of ['hunter2', 's3cr3tSignature', 'eyJhbGciOiJIUzI1NiJ9']) expect(r.stdout).not.toContain(secret);
    expect(r.stdout).toMatch(/^\d+ secrets redacted from logs and events\.$/m);
  });
});
