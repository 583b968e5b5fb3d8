import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cli/run-cli.js';

// The standalone simulator (`npm run sim:kube`, in real time) and the real kubectl: `kubectl debug --target` adds an
// ephemeral container through pods/ephemeralcontainers (a GET of the pod, then a strategic merge patch in JSON), the
// kubelet runs it, and debugdead's diagnosis of the pod lists it among its containers with its state.

let sim: ChildProcess | undefined;
let kubeconfig: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  const env = { PATH: process.env.PATH, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: join(home, 'cache') };
  return new Promise((resolve) => {
    execFile('kubectl', args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'sim-kube-')), 'kubeconfig');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/sim/kube/main.ts'), '--kubeconfig', kubeconfig],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  sim = child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start: ${out}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('kubeconfig written')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited (${code}): ${out}`)));
  });
}, 40_000);

afterAll(() => {
  sim?.kill('SIGTERM');
});

describe('kubectl debug --target against the standalone simulator', () => {
  it('adds a running ephemeral container, which a later diagnosis lists with its state', async () => {
    // The default scenario's `healthy` pod runs from the start; give the kubelet a moment to start it.
    let ready = '';
    for (let i = 0; i < 40 && ready !== 'true'; i++) {
      ready = (await kubectl('get', 'pod', 'healthy', '-o', 'jsonpath={.status.containerStatuses[0].ready}')).stdout;
      if (ready !== 'true') await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready).toBe('true');

    const debug = await kubectl(
      'debug',
      'healthy',
      '-it',
      '--attach=false',
      '--image=busybox:1.37-musl',
      '--target=app',
      '--container=debugger-kubectl',
      '--profile=general',
    );
    expect(debug).toMatchObject({ code: 0 });
    expect(debug.stdout).toContain('Targeting container "app"');

    let state = '';
    for (let i = 0; i < 40 && !state.includes('running'); i++) {
      state = (await kubectl('get', 'pod', 'healthy', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state}'))
        .stdout;
      if (!state.includes('running')) await new Promise((r) => setTimeout(r, 250));
    }
    // `sh` with stdin open waits for input, as it does in a real container.
    expect(state).toContain('running');
    const spec = JSON.parse(
      (await kubectl('get', 'pod', 'healthy', '-o', 'jsonpath={.spec.ephemeralContainers[0]}')).stdout,
    );
    expect(spec).toMatchObject({
      name: 'debugger-kubectl',
      image: 'busybox:1.37-musl',
      targetContainerName: 'app',
      stdin: true,
      tty: true,
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
    });

    // A second one with the same name is refused as the API server refuses it.
    const again = await kubectl(
      'debug',
      'healthy',
      '-it',
      '--attach=false',
      '--image=busybox:1.37-musl',
      '--target=app',
      '--container=app',
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/Duplicate value: "app"/);

    const diagnosis = await runCli(['diagnose', 'healthy', '-n', 'demo'], {
      cwd: mkdtempSync(join(tmpdir(), 'cli-')),
      env: { KUBECONFIG: kubeconfig, DEBUGDEAD_SIGNING_KEY: 'k'.repeat(32) },
    });
    expect(diagnosis.code).toBe(0);
    expect(diagnosis.stdout).toMatch(/debugger-kubectl\s+ephemeral\s+.*running/);
  });
});
