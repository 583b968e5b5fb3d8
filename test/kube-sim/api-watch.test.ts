import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';

let sim: KubeSim;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let clock: ManualClock;
const aborts: AbortController[] = [];

interface Seen {
  events: { type: string; name: string; object: Record<string, unknown> }[];
  done: Promise<unknown>;
}

/** Opens a client-node Watch and records what arrives. */
async function watch(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<Seen> {
  const events: Seen['events'] = [];
  let finish: (e: unknown) => void = () => {};
  const done = new Promise((r) => {
    finish = r;
  });
  const ctl = await new k8s.Watch(kc).watch(
    path,
    query,
    (type, obj) => events.push({ type, name: obj?.metadata?.name, object: obj }),
    (err) => finish(err ?? 'closed'),
  );
  aborts.push(ctl);
  return { events, done };
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

const pod = (name: string, labels: Record<string, string> = { app: 'web' }): k8s.V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, historySize: 50 });
  const file = join(mkdtempSync(join(tmpdir(), 'kube-sim-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'w' } } });
  await new Promise((r) => setImmediate(r));
});

afterEach(() => {
  for (const a of aborts.splice(0)) a.abort();
});

afterAll(async () => {
  await sim?.close();
});

describe('watch', () => {
  it('without a resourceVersion starts with a synthetic ADDED for every existing pod', async () => {
    await core.createNamespacedPod({ namespace: 'w', body: pod('existing-1') });
    await core.createNamespacedPod({ namespace: 'w', body: pod('existing-2') });
    const w = await watch('/api/v1/namespaces/w/pods');
    await until(() => w.events.length >= 2);
    expect(w.events.filter((e) => e.type === 'ADDED').map((e) => e.name)).toEqual(
      expect.arrayContaining(['existing-1', 'existing-2']),
    );
  });

  it('from a resourceVersion replays only later changes, then streams new ones', async () => {
    const list = await core.listNamespacedPod({ namespace: 'w' });
    const rv = list.metadata?.resourceVersion as string;
    await core.createNamespacedPod({ namespace: 'w', body: pod('after-list') });
    const w = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv });
    await until(() => w.events.some((e) => e.name === 'after-list'));
    expect(w.events.map((e) => e.name)).not.toContain('existing-1');
    await core.patchNamespacedPod(
      { namespace: 'w', name: 'after-list', body: { metadata: { labels: { seen: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(() => w.events.some((e) => e.type === 'MODIFIED' && e.name === 'after-list'));
  });

  it('honours label and field selectors, and a pod leaving the selector arrives as DELETED', async () => {
    const byLabel = await watch('/api/v1/namespaces/w/pods', {
      labelSelector: 'app=sel',
      resourceVersion: (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion,
    });
    const byName = await watch('/api/v1/namespaces/w/pods', { fieldSelector: 'metadata.name=sel-2' });
    await core.createNamespacedPod({ namespace: 'w', body: pod('sel-1', { app: 'sel' }) });
    await core.createNamespacedPod({ namespace: 'w', body: pod('sel-2', { app: 'other' }) });
    await until(() => byLabel.events.length >= 1 && byName.events.length >= 1);
    // The scheduler's status writes (PodScheduled=False) arrive as MODIFIED; only the selected pods appear.
    expect(new Set(byLabel.events.map((e) => e.name))).toEqual(new Set(['sel-1']));
    expect(new Set(byName.events.map((e) => e.name))).toEqual(new Set(['sel-2']));
    expect(byLabel.events[0]?.type).toBe('ADDED');
    await core.patchNamespacedPod(
      { namespace: 'w', name: 'sel-1', body: { metadata: { labels: { app: 'gone' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(() => byLabel.events.some((e) => e.type === 'DELETED'));
    expect(byLabel.events.at(-1)).toMatchObject({ type: 'DELETED', name: 'sel-1' });
  });

  it('several watchers each get every event', async () => {
    const rv = (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion;
    const ws = await Promise.all([1, 2, 3].map(() => watch('/api/v1/namespaces/w/pods', { resourceVersion: rv })));
    for (let i = 0; i < 5; i++) await core.createNamespacedPod({ namespace: 'w', body: pod(`fan-${i}`) });
    for (const w of ws)
      await until(() => w.events.filter((e) => e.name.startsWith('fan-') && e.type === 'ADDED').length === 5);
  });

  it('sends BOOKMARK events only when allowWatchBookmarks is set', async () => {
    const rv = (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion;
    const withMarks = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv, allowWatchBookmarks: true });
    const without = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv });
    clock.advance(61_000);
    await until(() => withMarks.events.some((e) => e.type === 'BOOKMARK'));
    const mark = withMarks.events.find((e) => e.type === 'BOOKMARK');
    expect(mark?.object).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    expect(without.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await watch('/api/v1/namespaces/w/pods', { timeoutSeconds: 5 });
    clock.advance(5_000);
    await expect(w.done).resolves.toBeDefined();
  });

  it('a resourceVersion older than the history window answers an ERROR event with 410 Expired', async () => {
    const old = (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion as string;
    for (let i = 0; i < 60; i++)
      await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: `churn-${i}` } } });
    const w = await watch('/api/v1/namespaces/w/pods', { resourceVersion: old });
    await until(() => w.events.length === 1);
    expect(w.events[0]?.type).toBe('ERROR');
    expect(w.events[0]?.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(String(w.events[0]?.object.message)).toMatch(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  it('a forced expiry ends open watches with 410 and makes their resourceVersion unusable', async () => {
    const rv = (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion as string;
    await core.createNamespacedPod({ namespace: 'w', body: pod('before-expiry') });
    const w = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv });
    await until(() => w.events.length >= 1);
    await new Promise((r) => setTimeout(r, 20));
    sim.faults.expireWatches();
    await until(() => w.events.some((e) => e.type === 'ERROR'));
    expect(w.events.at(-1)).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    await w.done;
    const again = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv });
    await until(() => again.events.length === 1);
    expect(again.events[0]?.object).toMatchObject({ code: 410 });
  });

  it('a dropped stream ends the watch mid-way, after the given number of events', async () => {
    const rv = (await core.listNamespacedPod({ namespace: 'w' })).metadata?.resourceVersion;
    const w = await watch('/api/v1/namespaces/w/pods', { resourceVersion: rv });
    sim.faults.dropWatches({ afterEvents: 2 });
    for (let i = 0; i < 4; i++) await core.createNamespacedPod({ namespace: 'w', body: pod(`drop-${i}`) });
    await w.done;
    // Two events of any kind (the scheduler's status writes count too), then the connection is cut.
    expect(w.events).toHaveLength(2);
  });

  it('a DELETED event carries the deleted object at its deletion resourceVersion', async () => {
    const created = await core.createNamespacedPod({ namespace: 'w', body: pod('to-delete') });
    const w = await watch('/api/v1/namespaces/w/pods', {
      resourceVersion: created.metadata?.resourceVersion,
      fieldSelector: 'metadata.name=to-delete',
    });
    await core.deleteNamespacedPod({ namespace: 'w', name: 'to-delete' });
    await until(() => w.events.some((e) => e.type === 'DELETED'));
    const del = w.events.find((e) => e.type === 'DELETED');
    expect(Number((del?.object.metadata as { resourceVersion: string } | undefined)?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
  });
});

describe('client-node informer', () => {
  it('lists, then follows adds, updates and deletes', async () => {
    const path = '/api/v1/namespaces/w/pods';
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedPod({ namespace: 'w' }));
    const seen: string[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    await informer.start();
    try {
      await core.createNamespacedPod({ namespace: 'w', body: pod('informed') });
      await core.patchNamespacedPod(
        { namespace: 'w', name: 'informed', body: { metadata: { labels: { x: 'y' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedPod({ namespace: 'w', name: 'informed' });
      await until(() => seen.includes('delete informed'));
      expect(seen).toEqual(
        expect.arrayContaining(['add existing-1', 'add informed', 'update informed', 'delete informed']),
      );
    } finally {
      await informer.stop();
    }
  });
});
