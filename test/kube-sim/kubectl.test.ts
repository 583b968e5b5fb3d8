import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

// The real kubectl (the installed dispatcher picks kubectl 1.32 from /version) against the simulator, with the
// default scenario advanced 40 s so that every failure kind has shown itself.

let sim: KubeSim;
let clock: ManualClock;
let kubeconfig: string;
let ticker: NodeJS.Timeout | undefined;

/** A fresh HOME and discovery cache for each run: kubectl caches discovery on disk for hours. */
function env(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  return { PATH: process.env.PATH, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: join(home, 'cache') };
}

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', args, { env: env(), timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Lets cluster time run (the kubelet finishing a graceful stop) while kubectl waits on a watch. */
function runClock(): void {
  ticker ??= setInterval(() => clock.advance(500), 20);
}

function stopClock(): void {
  if (ticker) clearInterval(ticker);
  ticker = undefined;
}

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig, { namespace: 'demo' });
  for (let i = 0; i < 40; i++) clock.advance(1000);
});

afterAll(async () => {
  stopClock();
  await sim?.close();
});

describe('kubectl against the simulator', () => {
  it('get pods shows READY, STATUS and RESTARTS as kubectl computes them', async () => {
    const r = await kubectl('get', 'pods');
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const row = (name: string): string[] => (lines.find((l) => l.startsWith(`${name} `)) ?? '').split(/\s{2,}/);
    expect(row('crash-exit1')[2]).toMatch(/^(CrashLoopBackOff|Error|Running)$/);
    expect(row('crash-exit1')[3]).toMatch(/^[1-9]\d* \(\d+s ago\)$/);
    expect(row('imagepull')[2]).toMatch(/^(ImagePullBackOff|ErrImagePull)$/);
    expect(row('configerr')[2]).toBe('CreateContainerConfigError');
    expect(row('pending')[2]).toBe('Pending');
    expect(row('init-crash')[2]).toMatch(/^Init:(CrashLoopBackOff|Error)$/);
    expect(row('healthy')).toEqual(['healthy', '1/1', 'Running', '0', '40s']);
  });

  it('get pods -o wide adds IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    const r = await kubectl('get', 'pods', '-o', 'wide');
    expect(r.stdout.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    expect(r.stdout).toMatch(/\npending\s+0\/1\s+Pending\s+0\s+40s\s+<none>\s+<none>\s+<none>\s+<none>/);
  });

  it('describe pod shows the last state, its exit code and the events', async () => {
    const r = await kubectl('describe', 'pod', 'crash-exit1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1\n/);
    expect(r.stdout).toMatch(/Restart Count:\s+[1-9]/);
    expect(r.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/);
    expect(r.stdout).toMatch(
      /Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container app in pod crash-exit1_demo\(/,
    );
  });

  it('logs -p prints the previous instance', async () => {
    const r = await kubectl('logs', '-p', 'crash-exit1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fatal: could not connect to the database after 3 attempts, exiting');
  });

  it('logs -p of a container that never terminated is refused with the kubelet message', async () => {
    const r = await kubectl('logs', '-p', 'healthy');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/previous terminated container "\S+" in pod "healthy" not found/);
  });

  it('logs of an unknown container names the pod', async () => {
    const r = await kubectl('logs', 'crash-exit1', '-c', 'nope');
    expect(r.stderr).toContain('container nope is not valid for pod crash-exit1');
  });

  it('get events --field-selector involvedObject.name=X lists only that pod’s events', async () => {
    const r = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=oom');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row).toMatch(/\spod\/oom\s/);
    expect(r.stdout).toMatch(/Warning\s+BackOff\s+pod\/oom/);
  });

  it('an unsupported field selector is refused by the server', async () => {
    const r = await kubectl('get', 'events', '--field-selector', 'message=x');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('field label not supported: message');
  });

  it('create -f accepts a valid pod and rejects an unknown field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      good,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-file\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n',
    );
    await writeFile(
      bad,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad-file\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    bogus: 1\n',
    );
    const ok = await kubectl('create', '-f', good);
    expect(ok.stdout.trim()).toBe('pod/from-file created');
    const refused = await kubectl('create', '-f', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('strict decoding error: unknown field "spec.containers[0].bogus"');
    expect(sim.store.get('pods', 'demo', 'bad-file')).toBeUndefined();
  });

  it('delete pod returns once the kubelet has stopped the pod', async () => {
    runClock();
    try {
      const r = await kubectl('delete', 'pod', 'from-file');
      expect(r.stdout.trim()).toBe('pod "from-file" deleted');
      expect(sim.store.get('pods', 'demo', 'from-file')).toBeUndefined();
    } finally {
      stopClock();
    }
  });

  it('get pods -w streams a change', async () => {
    const child: ChildProcess = spawn('kubectl', ['get', 'pods', '-w', '--field-selector', 'metadata.name=healthy'], {
      env: env(),
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    try {
      for (let i = 0; i < 200 && !out.includes('healthy'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/healthy\s+1\/1\s+Running/);
      const pod = sim.store.get('pods', 'demo', 'healthy');
      sim.store.update('pods', {
        ...pod,
        metadata: { ...pod?.metadata, deletionTimestamp: '2026-11-23T09:10:00Z', deletionGracePeriodSeconds: 30 },
      });
      for (let i = 0; i < 200 && !out.includes('Terminating'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/healthy\s+1\/1\s+Terminating/);
    } finally {
      child.kill();
    }
  });
});

describe('kubectl against the standalone server (npm run sim:kube)', () => {
  it('starts, writes a kubeconfig, and kubectl lists the default scenario in namespace demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-main-'));
    const file = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sim/kube/main.ts', '--kubeconfig', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout?.on('data', (d) => {
        out += String(d);
      });
      for (let i = 0; i < 400 && !out.includes('kubeconfig written'); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/^kube-sim listening on http:\/\/127\.0\.0\.1:\d+\n/);
      const r = await new Promise<string>((resolve) => {
        const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
        execFile(
          'kubectl',
          ['get', 'pods', '-o', 'name'],
          { env: { PATH: process.env.PATH, KUBECONFIG: file, HOME: home, KUBECACHEDIR: join(home, 'cache') } },
          (_e, stdout) => resolve(stdout),
        );
      });
      expect(r.trim().split('\n').sort()).toEqual(
        [
          'configerr',
          'crash-exit1',
          'healthy',
          'imagepull',
          'init-crash',
          'liveness',
          'multi',
          'oom',
          'pending',
          'scratch-crash',
        ].map((n) => `pod/${n}`),
      );
    } finally {
      child.kill('SIGTERM');
    }
  });
});
