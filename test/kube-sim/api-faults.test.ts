import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;

async function failure(p: Promise<unknown>): Promise<k8s.ApiException<string>> {
  try {
    await p;
  } catch (e) {
    return e as k8s.ApiException<string>;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ManualClock() });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterEach(() => {
  sim.faults.clear();
});

afterAll(async () => {
  await sim?.close();
});

describe('fault injection', () => {
  it('429 comes with Retry-After and a TooManyRequests Status', async () => {
    sim.faults.error({ status: 429, verb: 'list', resource: 'pods', retryAfterSeconds: 3 });
    const e = await failure(core.listNamespacedPod({ namespace: 'default' }));
    expect(e.code).toBe(429);
    expect(e.headers['retry-after']).toBe('3');
    expect(JSON.parse(e.body)).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
  });

  it.each([
    [500, 'InternalError'],
    [503, 'ServiceUnavailable'],
  ])('%i answers a %s Status on the matching route only', async (status, reason) => {
    sim.faults.error({ status, path: '/api/v1/namespaces/default/pods' });
    const e = await failure(core.listNamespacedPod({ namespace: 'default' }));
    expect(e.code).toBe(status);
    expect(JSON.parse(e.body)).toMatchObject({ reason, code: status });
    await expect(core.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeDefined();
  });

  it('an error armed for a number of times lapses after them', async () => {
    sim.faults.error({ status: 503, resource: 'namespaces', times: 2 });
    expect((await failure(core.listNamespace())).code).toBe(503);
    expect((await failure(core.listNamespace())).code).toBe(503);
    await expect(core.listNamespace()).resolves.toBeDefined();
  });

  it('latency delays the answer', async () => {
    sim.faults.latency(150, { resource: 'namespaces' });
    const t0 = Date.now();
    await core.readNamespace({ name: 'default' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('a hanging request never answers, so only a client timeout ends it', async () => {
    sim.faults.hang({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' });
    const res = fetch(`${sim.url}/api/v1/namespaces/default/configmaps`, {
      headers: { Authorization: `Bearer ${sim.token}` },
      signal: AbortSignal.timeout(200),
    });
    await expect(res).rejects.toThrow(/timeout|aborted/i);
  });
});
