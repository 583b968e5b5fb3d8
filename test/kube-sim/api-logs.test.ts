import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let core: k8s.CoreV1Api;

async function statusOf(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return JSON.parse((e as k8s.ApiException<string>).body);
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  const clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  for (let i = 0; i < 40; i++) clock.advance(1000);
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await sim?.close();
});

describe('pods/log', () => {
  it('previous=true answers the last crashed instance', async () => {
    const text = await core.readNamespacedPodLog({ namespace: 'demo', name: 'crash-exit1', previous: true });
    expect(text).toContain('fatal: could not connect to the database after 3 attempts, exiting');
  });

  it('tailLines and limitBytes cut the answer', async () => {
    const tail = await core.readNamespacedPodLog({
      namespace: 'demo',
      name: 'crash-exit1',
      previous: true,
      tailLines: 1,
    });
    expect(tail.trim().split('\n')).toHaveLength(1);
    const limited = await core.readNamespacedPodLog({
      namespace: 'demo',
      name: 'crash-exit1',
      previous: true,
      limitBytes: 10,
    });
    expect(limited.length).toBeLessThanOrEqual(10);
  });

  it('timestamps=true prefixes each line with an RFC 3339 time', async () => {
    const text = await core.readNamespacedPodLog({
      namespace: 'demo',
      name: 'crash-exit1',
      previous: true,
      timestamps: true,
      tailLines: 2,
    });
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
  });

  it('a pod with several containers needs one named, and the server lists them', async () => {
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'demo', name: 'multi' }));
    expect(s.code).toBe(400);
    expect(s.message).toMatch(/^a container name must be specified for pod multi, choose one of: \[\S+ \S+ \S+\]$/);
  });

  it('an unknown container is a 400 naming the pod', async () => {
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'demo', name: 'crash-exit1', container: 'nope' }));
    expect(s).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'container nope is not valid for pod crash-exit1',
    });
  });

  it('a missing pod is a 404', async () => {
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'demo', name: 'ghost' }));
    expect(s).toMatchObject({ code: 404, message: 'pods "ghost" not found' });
  });

  it('an unscheduled pod answers 200 with an empty body', async () => {
    expect(await core.readNamespacedPodLog({ namespace: 'demo', name: 'pending' })).toBe('');
  });

  it('previous logs of a container that never terminated are refused by the kubelet', async () => {
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'demo', name: 'healthy', previous: true }));
    expect(s.code).toBe(400);
    expect(s.message).toMatch(/^previous terminated container "\S+" in pod "healthy" not found$/);
  });

  it('a negative tailLines is a 422 from PodLogOptions validation', async () => {
    const s = await statusOf(core.readNamespacedPodLog({ namespace: 'demo', name: 'crash-exit1', tailLines: -1 }));
    expect(s).toMatchObject({
      code: 422,
      message:
        'PodLogOptions "crash-exit1" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    });
  });
});

describe('pods/log follow=true', () => {
  it('answers the log so far and ends the stream once the container is not running', async () => {
    const res = await fetch(`${sim.url}/api/v1/namespaces/demo/pods/crash-exit1/log?follow=true`, {
      headers: { Authorization: `Bearer ${sim.token}` },
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    // Whatever state the crash loop is in, within a back-off period and a run the stream has ended.
    const clock = sim.clock as ManualClock;
    for (let i = 0; i < 40; i++) {
      clock.advance(10_000);
      await new Promise((r) => setTimeout(r, 30));
    }
    const ended = await Promise.race([pump.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    expect(ended).toBe(true);
    expect(text).toContain('checkout-api v2.14.1 starting');
  });
});
