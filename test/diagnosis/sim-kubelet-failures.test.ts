/**
 * New failure classes end to end through the Kubernetes simulator: its kubelet runs the pods (test/sim/kube/kubelet),
 * the real gatherer reads them over HTTP with client-node, and the diagnosis names the cause. The cluster clock is
 * manual, so "running for ten minutes" takes no time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, gatherFacts } from '../../src/diagnosis/index.js';
import { createKubeClient, type KubeClient, loadKubeConfig } from '../../src/kube/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';

let sim: KubeSim;
let clock: ManualClock;
let kube: KubeClient;
let dir: string;

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  dir = mkdtempSync(join(tmpdir(), 'sim-failures-'));
  await sim.writeKubeconfig(join(dir, 'config'), { namespace: 'demo' });
  kube = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'config') }), { timeoutMs: 5000 });
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Advances the cluster clock in one-second steps, letting the kubelet's reactions run. */
async function run(seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000);
    sim.kubelet.flush();
    await new Promise((r) => setImmediate(r));
  }
}

async function diagnosePod(pod: string) {
  const gathered = await gatherFacts(
    kube,
    { namespace: 'demo', pod },
    { tailLines: 200, limitBytes: 256 * 1024, callTimeoutMs: 3000 },
    () => new Date(clock.now()),
  );
  if (!gathered.ok) throw new Error(gathered.error.message);
  return diagnose(gathered.facts);
}

function create(app: string, spec: object): void {
  const w = buildWorkload({ namespace: 'demo', app, spec, createdAt: new Date(clock.now()).toISOString() });
  sim.store.create('pods', w.pod);
  sim.kubelet.flush();
}

describe('through the kube simulator', () => {
  it('an init container looping on a name that does not resolve is named, with what it loops on', async () => {
    // busybox's nslookup in a wait-for loop, printing every two seconds for as long as it runs.
    sim.kubelet.addRule({
      image: 'ghcr.io/acme/wait-for',
      behaviour: {
        kind: 'run',
        logs: Array.from({ length: 600 }, (_, i) => [
          { at: i * 2, text: 'Server:    10.96.0.10' },
          { at: i * 2, text: "nslookup: can't resolve 'orders-db.demo.svc.cluster.local'" },
          { at: i * 2 + 1, text: 'waiting for orders-db' },
        ]).flat(),
      },
    });
    create('orders', {
      initContainers: [{ name: 'wait-db', image: 'ghcr.io/acme/wait-for:1.0' }],
      containers: [{ name: 'app', image: 'ghcr.io/acme/orders:3.1.0' }],
    });
    await run(60);
    const early = await diagnosePod('orders');
    expect(early.pod.status).toBe('Init:0/1');
    expect(early.findings[0]).toMatchObject({ kind: 'InitContainerFailure', severity: 'info' });
    expect(early.findings[0]?.summary).toMatch(
      /^init container wait-db is still running \(\d+s\); the app containers wait for it: nslookup: can.t resolve/,
    );

    await run(600);
    const d = await diagnosePod('orders');
    expect(d.verdict).toMatch(
      /^demo\/orders — Init:0\/1, init container wait-db has run for 1\dm without completing, so the app containers never start: nslookup: can't resolve 'orders-db\.demo\.svc\.cluster\.local'$/,
    );
    expect(d.findings[0]).toMatchObject({ kind: 'InitContainerFailure', container: 'wait-db', action: 'clone' });
    expect(d.findings[0]?.recommendation).toMatch(/does not resolve/);
  });

  it('a failing postStart hook is blamed, not the SIGKILL the kubelet sent after it', async () => {
    sim.kubelet.addRule({
      image: 'ghcr.io/acme/cache-warmer',
      command: '/hooks/warm.sh',
      behaviour: {
        kind: 'exit',
        exitCode: 7,
        afterSeconds: 0.2,
        logs: ['curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused'],
      },
    });
    create('warmer', {
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/cache-warmer:2.0.0',
          lifecycle: { postStart: { exec: { command: ['/hooks/warm.sh'] } } },
        },
      ],
    });
    await run(5);
    const events = sim.store.list('events', 'demo').filter((e) => e.involvedObject?.name === 'warmer');
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toEqual(
      expect.arrayContaining(['FailedPostStartHook: PostStartHook failed', 'Killing: FailedPostStartHook']),
    );

    await run(60);
    const d = await diagnosePod('warmer');
    expect(d.findings[0]).toMatchObject({ kind: 'LifecycleHook', container: 'app', severity: 'critical' });
    expect(d.verdict).toMatch(
      /^demo\/warmer — (CrashLoopBackOff|PostStartHookError), exit 137, postStart hook failed \(\d+ restarts?\)$/,
    );
    expect(d.findings[0]?.summary).toMatch(/^app's postStart hook fails/);
    expect(d.findings[0]?.evidence).toContain('postStart hook: exec ["/hooks/warm.sh"]');
  });

  it('shows the hook output when it is read while the kubelet reports PostStartHookError', async () => {
    // Right after a kill, before the next start: the waiting message carries the hook's own words.
    let seen: string | undefined;
    for (let i = 0; i < 400 && !seen; i++) {
      clock.advance(250);
      sim.kubelet.flush();
      await new Promise((r) => setImmediate(r));
      const s = sim.store.get('pods', 'demo', 'warmer')?.status?.containerStatuses?.[0];
      if (s?.state?.waiting?.reason === 'PostStartHookError') seen = s.state.waiting.message;
    }
    expect(seen).toMatch(
      /^Exec lifecycle hook \(\[\/hooks\/warm\.sh\]\) for Container "app" in Pod "warmer_demo\([0-9a-f-]+\)" failed - error: command '\/hooks\/warm\.sh' exited with 7: curl: \(7\) .*Connection refused\n, message: "curl: \(7\) .*Connection refused\\n"$/,
    );
    const d = await diagnosePod('warmer');
    expect(d.findings[0]?.summary).toBe(
      "app's postStart hook fails: curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused, so the kubelet kills the container",
    );
  });
});
