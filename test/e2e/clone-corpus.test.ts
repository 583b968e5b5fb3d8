import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCloneOffer } from '../../src/actions/index.js';
import { buildDebugClone, DebugPodError } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import {
  CORPUS_PRIORITY_CLASS,
  CORPUS_RUNTIME_CLASS,
  falseNotes,
  forCreate,
  REFUSED,
  SHAPES,
} from '../debugpods/clone-corpus.js';
import { windowsIisPod } from '../debugpods/cluster-pod-shapes.js';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { buildNode } from '../sim/kube/scenarios/build-objects.js';

// A corpus of pod shapes as `kubectl get -o json` prints them. Each source is created in the simulator (so the
// original holds its node's ports and resources), read back as the bot reads it, cloned, and the clone created
// through the API: it must be accepted, reach Running where it can be scheduled, and every note must be true of
// the pod the API server stored. A shape a clone cannot help is refused up front, with the reason.

let sim: KubeSim;
let core: k8s.CoreV1Api;
const clock = new ManualClock();

const usedNames = new Set<string>();

/**
 * What the bot's readPod returns: the stored source, with the server's own fields. Shapes derived from one another
 * share a name; later ones get a suffix.
 */
async function createSource(pod: Pod): Promise<Pod> {
  const body = forCreate(pod);
  const md = body.metadata!;
  const key = () => `${md.namespace}/${md.name}`;
  for (let i = 2; usedNames.has(key()); i++) md.name = `${pod.metadata!.name!.slice(0, 58)}-s${i}`;
  usedNames.add(key());
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences'] as const)
    delete md[f];
  delete body.status;
  const ns = md.namespace ?? 'default';
  await core.createNamespacedPod({ namespace: ns, body });
  return core.readNamespacedPod({ namespace: ns, name: md.name! });
}

beforeAll(async () => {
  sim = await startKubeSim({ clock });
  const file = join(mkdtempSync(join(tmpdir(), 'clone-corpus-')), 'kubeconfig');
  await sim.writeKubeconfig(file);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  core = kc.makeApiClient(k8s.CoreV1Api);
  const big = { cpu: '32', memory: '128Gi' };
  for (const [i, name, labels] of [
    [1, 'worker-1', {}],
    [2, 'worker-2', { 'runtime/kata': 'true' }],
    [3, 'worker-3', {}],
    [4, 'node-a', {}],
    [5, 'cp-1', { 'node-role.kubernetes.io/control-plane': '' }],
    [6, 'arm-1', { 'kubernetes.io/arch': 'arm64', pool: 'web' }],
  ] as const)
    sim.store.create('nodes', buildNode(name, { index: i, ...big, labels }));
  await kc.makeApiClient(k8s.SchedulingV1Api).createPriorityClass({ body: CORPUS_PRIORITY_CLASS });
  await kc.makeApiClient(k8s.NodeV1Api).createRuntimeClass({ body: CORPUS_RUNTIME_CLASS });
  const sources = [...SHAPES, ...REFUSED].map((s) => s.source());
  for (const ns of new Set(sources.map((p) => p.metadata!.namespace ?? 'default')))
    await core.createNamespace({ body: { metadata: { name: ns } } }).catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  for (const p of sources) {
    const sa = p.spec?.serviceAccountName;
    if (sa)
      await core
        .createNamespacedServiceAccount({ namespace: p.metadata!.namespace!, body: { metadata: { name: sa } } })
        .catch(() => undefined);
  }
  // The objects the sources mount exist; the Secret lacks the key the missing-key shape reads.
  await core.createNamespacedConfigMap({
    namespace: 'data',
    body: { metadata: { name: 'db-config' }, data: { a: 'b' } },
  });
  await core.createNamespacedSecret({
    namespace: 'shop',
    body: { metadata: { name: 'db' }, stringData: { user: 'app' } },
  });
});

afterAll(async () => {
  await sim?.close();
});

/** Moves cluster time until the pod's target container runs, or gives up; returns the stored pod. */
async function untilRunning(ns: string, name: string, container: string): Promise<Pod> {
  for (let i = 0; i < 120; i++) {
    const pod = sim.store.get('pods', ns, name) as Pod | undefined;
    const status = [...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.initContainerStatuses ?? [])].find(
      (s) => s.name === container,
    );
    if (status?.state?.running) return pod!;
    clock.advance(500);
    await new Promise((r) => setImmediate(r));
  }
  const pod = sim.store.get('pods', ns, name) as Pod;
  throw new Error(`${name} not running: ${JSON.stringify(pod?.status)}`);
}

describe(`a corpus of ${SHAPES.length + REFUSED.length} pod shapes, cloned into the simulator`, () => {
  it.each(SHAPES)('$name: the clone is accepted, runs, and its notes are true', async ({ source, container }) => {
    const fixture = source();
    const offer = decideCloneOffer(fixture, container);
    expect(offer.kind).not.toBe('none');
    const read = await createSource(fixture);
    const built = buildDebugClone(
      read,
      {
        requestId: `corpus-${fixture.metadata!.name}`,
        container,
        requestedBy: 'U01ALICE',
        ttlSeconds: 600,
        maxTtlSeconds: 3600,
        helperImage: 'busybox:1.37-musl',
        ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
      },
      { suffix: 'c0rp5', now: new Date('2026-12-01T10:00:00Z') },
    );
    const ns = read.metadata!.namespace!;
    const created = await core.createNamespacedPod({ namespace: ns, body: built.pod });
    expect(falseNotes(built, created, read)).toEqual([]);
    const running = await untilRunning(ns, created.metadata!.name!, container);
    expect(falseNotes(built, running, read)).toEqual([]);
  });

  it.each(REFUSED)('$name: no clone, and the reason up front', ({ source, container }) => {
    const offer = decideCloneOffer(source(), container);
    expect(offer).toMatchObject({ kind: 'none', reason: expect.any(String), fix: expect.any(String) });
  });

  it('refuses to build a Windows clone, saying why', () => {
    expect(() =>
      buildDebugClone(
        windowsIisPod(),
        {
          requestId: 'r',
          container: 'iis',
          requestedBy: 'U1',
          ttlSeconds: 60,
          maxTtlSeconds: 60,
          helperImage: 'busybox',
        },
        { suffix: 'abcde', now: new Date() },
      ),
    ).toThrow(DebugPodError);
  });
});
