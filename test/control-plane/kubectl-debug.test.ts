import type * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideCloneOffer } from '../../src/actions/index.js';
import { buildDebugClone } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { forCreate, REFUSED, SHAPES, type Shape } from '../debugpods/clone-corpus.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { diffPods, type PodDifference } from './diff-pods.js';
import {
  type DifferenceContext,
  explainDifferences,
  INTENDED_DIFFERENCES,
  type IntendedDifference,
} from './kubectl-debug-differences.js';
import { type CorpusClients, corpusClients, prepareCorpusCluster } from './prepare-corpus-cluster.js';
import { runKubectl } from './run-kubectl.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';

// Our clone against the tool it improves on: for every pod of the clone corpus, the real `kubectl debug POD
// --copy-to=X --container=C -- sleep 3600` (every other flag at its default) and our clone are both created in a real
// kube-apiserver, read back, and compared field by field. Every difference must be a row of INTENDED_DIFFERENCES,
// and every row must still occur. Skipped without the binaries (`npm run control-plane:build`).
const missing = findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);

const MAX_TTL_SECONDS = 3600;

/** The Status message of a refused create. */
const refusal = (e: unknown): string => {
  const body = (e as k8s.ApiException<string>).body;
  try {
    return JSON.parse(body).message;
  } catch {
    return String(e);
  }
};

suite(
  missing
    ? `kubectl debug --copy-to against a debug clone: skipped. ${missing}`
    : 'kubectl debug --copy-to against a debug clone',
  () => {
    let plane: ControlPlane;
    let api: CorpusClients;
    /** Which shapes each row explained a difference in. */
    const seen = new Map<IntendedDifference, Set<string>>();

    beforeAll(async () => {
      plane = await startControlPlane();
      api = corpusClients(plane.kubeconfig);
      await prepareCorpusCluster(api, true);
    }, 240_000);

    afterAll(async () => {
      await plane?.stop();
    }, 60_000);

    /** `kubectl debug` on the source; its copy as stored, or the refusal. */
    async function kubectlCopy(ns: string, source: string, copy: string, container: string, flags: string[] = []) {
      const args = ['debug', '-n', ns, source, `--copy-to=${copy}`, `--container=${container}`, ...flags];
      const run = await runKubectl(plane.kubeconfig, [...args, '--', 'sleep', '3600']);
      if (run.code !== 0) return { outcome: `refused: ${run.stderr.trim().split('\n').at(-1)}` };
      return { outcome: 'created', pod: await api.core.readNamespacedPod({ namespace: ns, name: copy }) };
    }

    /** Our clone of the stored source, as the bot would offer and create it; its stored pod, or why there is none. */
    async function ourClone(fixture: Pod, created: Pod, container: string, index: number) {
      const offer = decideCloneOffer(fixture, container);
      if (offer.kind === 'none') return { outcome: `not offered: ${offer.reason}` };
      let built: ReturnType<typeof buildDebugClone>;
      try {
        built = buildDebugClone(
          created,
          {
            requestId: `kd-${index}`,
            container,
            requestedBy: 'U01ALICE',
            ttlSeconds: 600,
            maxTtlSeconds: MAX_TTL_SECONDS,
            helperImage: 'busybox:1.37-musl',
            ...(offer.kind === 'optional-refs' ? { optionalRefs: offer.refs } : {}),
          },
          { suffix: 'k7d3b', now: new Date() },
        );
      } catch (e) {
        return { outcome: `refused: ${(e as Error).message}` };
      }
      const ns = created.metadata!.namespace!;
      try {
        return { outcome: 'created', pod: await api.core.createNamespacedPod({ namespace: ns, body: built.pod }) };
      } catch (e) {
        return { outcome: `refused by the API server: ${refusal(e)}` };
      }
    }

    const shapes = [...SHAPES, ...REFUSED];
    it.each(shapes)('$name: each difference from kubectl debug --copy-to is an intended one', async (shape: Shape) => {
      const index = shapes.indexOf(shape);
      const fixture = shape.source();
      const ns = fixture.metadata!.namespace!;
      const body = forCreate(fixture);
      body.metadata!.name = `${body.metadata!.name!.slice(0, 50)}-${index}`;
      const created = await api.core.createNamespacedPod({ namespace: ns, body });
      const name = created.metadata!.name!;

      const ours = await ourClone(fixture, created, shape.container, index);
      let theirs = await kubectlCopy(ns, name, `kubectl-copy-${index}`, shape.container);
      const diffs: PodDifference[] = [];
      if (ours.outcome !== theirs.outcome) diffs.push({ path: 'pod', ours: ours.outcome, kubectl: theirs.outcome });
      // A copy refused for want of a node gets the flag that keeps it there, so its fields are compared too.
      if (!theirs.pod && /nodeName/.test(theirs.outcome))
        theirs = await kubectlCopy(ns, name, `kubectl-copy-${index}-same-node`, shape.container, ['--same-node']);
      if (ours.pod && theirs.pod) diffs.push(...diffPods(ours.pod, theirs.pod));

      const ctx: DifferenceContext = {
        source: created,
        target: shape.container,
        maxTtlSeconds: MAX_TTL_SECONDS,
        ...(ours.pod ? { clone: ours.pod } : {}),
      };
      const { explained, unexplained } = explainDifferences(diffs, ctx);
      for (const [row] of explained) seen.set(row, (seen.get(row) ?? new Set()).add(shape.name));
      expect(unexplained, 'differences no row of kubectl-debug-differences.ts explains').toEqual([]);
    });

    it('every listed difference still occurs in some pod of the corpus', () => {
      const stale = INTENDED_DIFFERENCES.filter((row) => !seen.has(row)).map((row) => `${row.field}: ${row.ours}`);
      expect(stale, 'rows of kubectl-debug-differences.ts that no pod shows any more').toEqual([]);
    });
  },
);
