import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performTask, type TaskPorts } from '../../src/agent/perform-task.js';
import { approvalPolicyFromConfig, namespaceAllowed } from '../../src/approvals/index.js';
import type { Task, TaskKind } from '../../src/clusters/index.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import { localClusterOps } from '../../src/conversation/cluster-ops.js';
import { markExpiryLocally } from '../../src/conversation/mark-expiry.js';
import { createKubeClient, loadKubeConfig } from '../../src/kube/index.js';
import { examinePod } from '../../src/pipeline/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

/** What a task's answer looks like once it crossed the queue (BullMQ keeps return values as JSON). */
const overTheQueue = (v: unknown) => JSON.parse(JSON.stringify(v ?? null));

describe("an agent's tasks against its own cluster (the Kubernetes simulator)", () => {
  let kube: KubeSim;
  let dir: string;
  let ports: TaskPorts;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perform-task-'));
    kube = await startKubeSim({ scenario: 'default', clock: new ManualClock() });
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    const built = buildConfig(
      { namespaces: { deny: ['kube-system', 'secret-*'] } },
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DEBUGDEAD_SIGNING_KEY: 'k'.repeat(40) },
    );
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const config: Config = built.config;
    const client = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'kubeconfig') }), { timeoutMs: 5000 });
    const now = () => new Date();
    ports = {
      kube: client,
      examine: (ref) => examinePod(client, ref, config, now),
      markExpiry: markExpiryLocally(client),
      ops: localClusterOps(client, config, now),
      namespaceAllowed: (ns) => namespaceAllowed(approvalPolicyFromConfig(config), ns).ok,
      limits: { maxTailLines: 1000, maxLimitBytes: 1 << 20 },
    };
  });
  afterAll(async () => {
    await kube?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const task = (kind: TaskKind, body: unknown): Task => ({
    kind,
    cluster: 'prod-us',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    body,
  });

  it('workload-of names the Deployment of a ReplicaSet pod, and a gone pod as NotFound data', async () => {
    expect(
      overTheQueue(await performTask(task('workload-of', { namespace: 'demo', pod: 'crash-exit1' }), ports)),
    ).toEqual({ ok: true, workload: { namespace: 'demo', kind: 'Deployment', name: 'crash-exit1' } });
    const gone = overTheQueue(await performTask(task('workload-of', { namespace: 'demo', pod: 'nope' }), ports));
    expect(gone).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
  });

  it('workload finds the worst pod, and a missing workload is NotFound as data that survives the queue', async () => {
    const found = overTheQueue(
      await performTask(task('workload', { namespace: 'demo', workload: { kind: 'Deployment', name: 'oom' } }), ports),
    );
    expect(found).toMatchObject({ ok: true, pod: 'oom', standings: [{ name: 'oom' }] });
    const missing = overTheQueue(
      await performTask(task('workload', { namespace: 'demo', workload: { kind: 'StatefulSet', name: 'db' } }), ports),
    );
    expect(missing).toMatchObject({ ok: false, reason: 'kube', error: { kind: 'NotFound' } });
  });

  it('more-logs answers the redacted diagnosis only: never the pod, never a secret', async () => {
    const read = async () =>
      overTheQueue(
        await performTask(
          task('more-logs', {
            namespace: 'demo',
            pod: 'crash-exit1',
            container: 'app',
            opts: { tailLines: 50_000, limitBytes: 4 << 20 },
          }),
          ports,
        ),
      );
    // Once the container has run and crashed, its logs hold the connection string with its password.
    (kube.clock as ManualClock).advance(5 * 60_000);
    let answer = await read();
    for (let i = 0; i < 50 && !answer.diagnosis?.logs?.[0]?.previous; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await read();
    }
    expect(answer.ok).toBe(true);
    expect(JSON.stringify(answer.diagnosis.logs)).toContain('postgres://checkout:');
    expect(answer.pod).toBeUndefined();
    expect(answer.diagnosis.pod.name).toBe('crash-exit1');
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });

  it('locate finds a workload by kind and name', async () => {
    const locate = (workload: unknown) => performTask(task('locate', { namespace: 'demo', workload }), ports);
    expect(await locate({ kind: 'Deployment', name: 'oom' })).toBe(true);
    expect(await locate({ kind: 'Deployment', name: 'checkout' })).toBe(false);
  });

  it.each<[TaskKind, unknown]>([
    ['workload-of', { namespace: 'kube-system', pod: 'coredns' }],
    ['workload', { namespace: 'secret-stuff', workload: { kind: 'Deployment', name: 'vault' } }],
    ['more-logs', { namespace: 'kube-system', pod: 'x', container: 'y', opts: { tailLines: 1, limitBytes: 1 } }],
    ['diagnose', { namespace: 'kube-system', pod: 'coredns' }],
    ['locate', { namespace: 'kube-system', pod: 'coredns' }],
  ])('%s in a namespace this cluster denies is refused, signed or not', async (kind, body) => {
    await expect(performTask(task(kind, body), ports)).rejects.toThrow(/namespace .* is not allowed in this cluster/);
  });

  it.each<[TaskKind, unknown]>([
    ['workload-of', { namespace: 'demo', pod: '../etc' }],
    ['more-logs', { namespace: 'demo', pod: 'crash-exit1', container: 'app', opts: { tailLines: 'all' } }],
    ['workload', { namespace: 'demo', workload: { kind: 'Secret', name: 'x' } }],
    ['groups', { namespace: 'demo' }],
  ])('%s with body %j is refused', async (kind, body) => {
    await expect(performTask(task(kind, body), ports)).rejects.toThrow(/malformed|does not do/);
  });
});
