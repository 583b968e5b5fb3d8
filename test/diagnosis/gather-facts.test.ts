import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatherResult, gatherFacts } from '../../src/diagnosis/gather-facts.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { createKubeClient, forbiddenRule, type KubeClient, loadKubeConfig } from '../../src/kube/index.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { DEFAULT_POD_NAMES } from '../sim/kube/scenarios/index.js';

// The real client-node against the Kubernetes simulator's default scenario (namespace demo, one Deployment →
// ReplicaSet → pod per failure kind). The clock is advanced a minute so crash loops have restarted a few times.

let sim: KubeSim;
let kube: KubeClient;
let dir: string;
const NOW = new Date('2026-11-23T09:05:00Z');
const opts = { tailLines: 50, limitBytes: 64 * 1024, callTimeoutMs: 2000 };

beforeAll(async () => {
  const clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  clock.advance(60_000);
  dir = mkdtempSync(join(tmpdir(), 'gather-'));
  await sim.writeKubeconfig(join(dir, 'config'), { namespace: 'demo' });
  kube = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'config') }), { timeoutMs: 5000 });
});

afterEach(() => {
  sim.faults.clear();
  sim.rbac.clear();
});

afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const gather = (pod: string, extra: { container?: string; callTimeoutMs?: number } = {}) =>
  gatherFacts(
    kube,
    { namespace: 'demo', pod, ...(extra.container ? { container: extra.container } : {}) },
    { ...opts, ...(extra.callTimeoutMs ? { callTimeoutMs: extra.callTimeoutMs } : {}) },
    () => NOW,
  );

function factsOf(r: GatherResult): DiagnosisFacts {
  if (!r.ok) throw new Error(`gather failed: ${r.error.kind} ${r.error.message}`);
  return r.facts;
}

function restartCounts(facts: DiagnosisFacts): Record<string, number> {
  const all = [...(facts.pod.status?.initContainerStatuses ?? []), ...(facts.pod.status?.containerStatuses ?? [])];
  return Object.fromEntries(all.map((s) => [s.name, s.restartCount]));
}

describe('gatherFacts on the default scenario', () => {
  it('multi: logs of all three containers, previous logs only where the container restarted', async () => {
    const facts = factsOf(await gather('multi'));
    const restarts = restartCounts(facts);
    expect(restarts.app).toBeGreaterThan(0);
    expect(restarts.web).toBe(0);
    expect(restarts['log-shipper']).toBe(0);

    expect(facts.logs.map((l) => l.container)).toEqual(['web', 'app', 'log-shipper']);
    const byName = Object.fromEntries(facts.logs.map((l) => [l.container, l]));
    expect(byName.web?.current).toMatchObject({ ok: true, value: expect.stringContaining('nginx') });
    expect(byName.web?.previous).toBeUndefined();
    expect(byName['log-shipper']?.current).toMatchObject({ ok: true, value: expect.stringContaining('Fluent Bit') });
    expect(byName['log-shipper']?.previous).toBeUndefined();
    expect(byName.app?.current).toMatchObject({
      ok: true,
      value: expect.stringContaining("KeyError: 'STRIPE_API_KEY'"),
    });
    expect(byName.app?.previous).toMatchObject({ ok: true, value: expect.stringContaining('Worker failed to boot') });
  });

  it('multi: the owner chain is ReplicaSet → Deployment, and events and node arrive', async () => {
    const facts = factsOf(await gather('multi'));
    expect(facts.owners).toEqual({
      ok: true,
      value: [
        { kind: 'ReplicaSet', name: expect.stringMatching(/^multi-[a-z0-9]{10}$/) },
        { kind: 'Deployment', name: 'multi' },
      ],
    });
    expect(facts.events.ok).toBe(true);
    if (facts.events.ok) {
      expect(facts.events.value.length).toBeGreaterThan(0);
      for (const e of facts.events.value) expect(e.involvedObject.uid).toBe(facts.pod.metadata?.uid);
      expect(facts.events.value.map((e) => e.reason)).toContain('BackOff');
    }
    expect(facts.node).toMatchObject({ ok: true, value: { metadata: { name: facts.pod.spec?.nodeName } } });
    expect(facts.now).toBe(NOW);
  });

  it.each(DEFAULT_POD_NAMES)('%s: with a healthy API nothing is missing', async (name) => {
    const facts = factsOf(await gather(name));
    const reads = [facts.events, facts.owners, facts.node, ...facts.logs.flatMap((l) => [l.current, l.previous])];
    expect(reads.filter((f) => f !== undefined && !f.ok)).toEqual([]);
  });

  it("a CronJob's pod: the owner chain is Job → CronJob", async () => {
    sim.store.create('jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'nightly-29384020',
        namespace: 'demo',
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'nightly',
            uid: 'c1',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {},
    });
    await kube.createPod('demo', {
      metadata: {
        name: 'nightly-29384020-q8x2z',
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: 'nightly-29384020',
            uid: 'j1',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'nginx:1.27' }] },
    });
    const facts = factsOf(await gather('nightly-29384020-q8x2z'));
    expect(facts.owners).toEqual({
      ok: true,
      value: [
        { kind: 'Job', name: 'nightly-29384020' },
        { kind: 'CronJob', name: 'nightly' },
      ],
    });
  });

  it('a pod owned by a custom controller: the chain names it and stops there', async () => {
    await kube.createPod('demo', {
      metadata: {
        name: 'rollout-abc',
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'ReplicaSet', name: 'lookalike', uid: 'r1', controller: true },
        ],
      },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    const facts = factsOf(await gather('rollout-abc'));
    expect(facts.owners).toEqual({ ok: true, value: [{ kind: 'ReplicaSet', name: 'lookalike' }] });
  });

  it.each([
    ['a mention', '<!channel> <https://evil.example/approve|Approve here>-7d4b9c'],
    ['a link', 'x <https://evil.example|Approve>'],
    ['a token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB token'],
  ])(
    'an owner named as no object can be (%s) is neither read nor shown: the pod is a bare pod',
    async (_what, name) => {
      const podName = `hostile-owner-${name.length}`;
      await kube.createPod('demo', {
        metadata: {
          name: podName,
          labels: { 'pod-template-hash': '7d4b9c' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: 'h1', controller: true }],
        },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      });
      // Any read of an owner would be refused, and the chain would then be missing evidence, not empty.
      sim.rbac.deny({ verb: 'get', resource: 'replicasets' });
      sim.rbac.deny({ verb: 'get', resource: 'deployments' });
      const facts = factsOf(await gather(podName));
      expect(facts.owners).toEqual({ ok: true, value: [] });
    },
  );

  it('init-crash: the init container is gathered too, with its previous instance', async () => {
    const facts = factsOf(await gather('init-crash'));
    const migrate = facts.logs.find((l) => l.container === 'migrate');
    expect(migrate?.current).toMatchObject({
      ok: true,
      value: expect.stringContaining('0042_add_orders_customer_index'),
    });
    expect(migrate?.previous).toMatchObject({ ok: true });
    // The app container never started (init is still failing): nothing to read, nothing reported missing.
    expect(facts.logs.find((l) => l.container === 'app')).toEqual({ container: 'app' });
  });

  it('pending: no node to read and no logs to fetch, yet the pod and its events arrive', async () => {
    const facts = factsOf(await gather('pending'));
    expect(facts.pod.status?.phase).toBe('Pending');
    expect(facts.node).toBeUndefined();
    expect(facts.logs).toEqual([{ container: 'trainer' }]);
    expect(facts.events).toMatchObject({ ok: true });
  });

  it('respects the container filter: only that container’s logs, still the whole pod', async () => {
    const facts = factsOf(await gather('multi', { container: 'web' }));
    expect(facts.logs.map((l) => l.container)).toEqual(['web']);
    expect(facts.pod.spec?.containers).toHaveLength(3);
  });

  it('a container filter naming no container of the pod is reported as missing logs, not a crash', async () => {
    const facts = factsOf(await gather('multi', { container: 'nginx' }));
    expect(facts.logs).toEqual([
      {
        container: 'nginx',
        current: {
          ok: false,
          kind: 'NotFound',
          message: 'container "nginx" is not in pod demo/multi; it has: web, app, log-shipper',
        },
      },
    ]);
  });

  it('with pods/log denied by RBAC, the rest still arrives and every log is Forbidden, naming the rule', async () => {
    sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'demo' });
    const facts = factsOf(await gather('multi'));
    expect(facts.events.ok).toBe(true);
    expect(facts.owners.ok).toBe(true);
    expect(facts.node?.ok).toBe(true);
    const reads = facts.logs.flatMap((l) => [l.current, l.previous]).filter((f) => f !== undefined);
    expect(reads.length).toBe(4);
    for (const read of reads) {
      expect(read).toMatchObject({ ok: false, kind: 'Forbidden' });
      if (!read.ok)
        expect(forbiddenRule(read.message)).toMatchObject({ verb: 'get', resource: 'pods/log', namespace: 'demo' });
    }
  });

  it('with injected latency and a short timeout, the slow read is a Timeout and the others arrive', async () => {
    sim.faults.latency(5000, { resource: 'events' });
    const started = Date.now();
    const facts = factsOf(await gather('crash-exit1', { callTimeoutMs: 1000 }));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(facts.events).toMatchObject({
      ok: false,
      kind: 'Timeout',
      message: expect.stringContaining('within 1000 ms'),
    });
    expect(facts.owners.ok).toBe(true);
    expect(facts.logs[0]?.current).toMatchObject({ ok: true });
  });

  it('an API server that answers 503 on the owner chain costs only the owner chain', async () => {
    sim.faults.error({ status: 503, resource: 'replicasets' });
    const facts = factsOf(await gather('oom'));
    expect(facts.owners).toMatchObject({ ok: false, kind: 'Unavailable' });
    expect(facts.events.ok).toBe(true);
    expect(facts.logs[0]?.current).toMatchObject({ ok: true });
  });
});

describe('when the pod cannot be read', () => {
  it('a misspelt pod is NotFound with the closest names in the namespace', async () => {
    const r = await gather('mutli');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'NotFound', status: 404, message: 'pods "mutli" not found' });
    expect(r.suggestions?.similarNames).toContain('multi');
    expect(r.suggestions?.namespacesWithName).toEqual([]);
  });

  it('a pod that lives in other namespaces is suggested there', async () => {
    await kube.createPod('default', {
      metadata: { name: 'healthy' },
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/catalog:1.0.4' }] },
    });
    try {
      const r = await gatherFacts(kube, { namespace: 'staging', pod: 'healthy' }, opts, () => NOW);
      expect(r).toMatchObject({ ok: false, error: { kind: 'NotFound' } });
      if (!r.ok) expect(r.suggestions?.namespacesWithName).toEqual(['default', 'demo']);
      const here = await gatherFacts(kube, { namespace: 'default', pod: 'multi' }, opts, () => NOW);
      if (!here.ok) expect(here.suggestions?.namespacesWithName).toEqual(['demo']);
      expect(here.ok).toBe(false);
    } finally {
      await kube.deletePod('default', 'healthy', { gracePeriodSeconds: 0 });
    }
  });

  it('suggestions that are themselves denied are simply empty', async () => {
    sim.rbac.deny({ verb: 'list', resource: 'pods' });
    const r = await gather('mutli');
    expect(r).toMatchObject({
      ok: false,
      error: { kind: 'NotFound' },
      suggestions: { similarNames: [], namespacesWithName: [] },
    });
  });

  it('a forbidden pod read is fatal and offers no suggestions', async () => {
    sim.rbac.deny({ verb: 'get', resource: 'pods', namespace: 'demo' });
    const r = await gather('multi');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('Forbidden');
    expect(r.suggestions).toBeUndefined();
    expect(forbiddenRule(r.error)).toMatchObject({ verb: 'get', resource: 'pods', namespace: 'demo' });
  });

  it('an API server that never answers is a Timeout, not a hang', async () => {
    sim.faults.hang({ resource: 'pods', verb: 'get' });
    const r = await gather('multi', { callTimeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'Timeout' } });
  });
});
