import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/kube/types.js';
import { diffPods } from './diff-pods.js';
import { explainDifferences, replaceDifferencesSection } from './kubectl-debug-differences.js';

// The pure half of the kubectl comparison (kubectl-debug.test.ts runs it on a real control plane): the field-by-field
// diff, the rows that explain it, and the README table rendered from those rows.

const pod = (spec: Partial<NonNullable<Pod['spec']>>, metadata: Pod['metadata'] = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', resourceVersion: '7', ...metadata },
  spec: { containers: [{ name: 'app', image: 'x' }], ...spec },
});

describe('diffPods', () => {
  it.each([
    ['identical pods', pod({}), pod({}), []],
    [
      'server bookkeeping and run state',
      pod({}),
      { ...pod({}, { uid: 'u2', resourceVersion: '9' }), status: { phase: 'Running' } },
      [],
    ],
    [
      'a container field, named by the container',
      pod({
        containers: [
          { name: 'side', image: 'y' },
          { name: 'app', image: 'x', command: ['a'] },
        ],
      }),
      pod({
        containers: [
          { name: 'app', image: 'x', command: ['b'] },
          { name: 'side', image: 'y' },
        ],
      }),
      [{ path: 'spec.containers[app].command', ours: ['a'], kubectl: ['b'] }],
    ],
    [
      'a field on one side only, once',
      pod({}),
      pod({ containers: [{ name: 'app', image: 'x', livenessProbe: { exec: { command: ['true'] } } }] }),
      [{ path: 'spec.containers[app].livenessProbe', ours: undefined, kubectl: { exec: { command: ['true'] } } }],
    ],
    [
      'labels key by key, a missing map as an empty one',
      pod({}, { labels: { a: '1' } }),
      pod({}),
      [{ path: 'metadata.labels[a]', ours: '1', kubectl: undefined }],
    ],
    [
      'the QoS class',
      { ...pod({}), status: { qosClass: 'Burstable' } },
      { ...pod({}), status: { qosClass: 'BestEffort' } },
      [{ path: 'status.qosClass', ours: 'Burstable', kubectl: 'BestEffort' }],
    ],
  ] as [string, Pod, Pod, unknown][])('%s', (_what, ours, kubectl, want) => {
    expect(diffPods(ours, kubectl)).toEqual(want);
  });
});

describe('the intended differences', () => {
  const ctx = {
    source: pod({}, { annotations: { 'prometheus.io/scrape': 'true' } }),
    target: 'app',
    maxTtlSeconds: 3600,
  };

  it('explain the differences they describe, and nothing else', () => {
    const { explained, unexplained } = explainDifferences(
      [
        { path: 'spec.restartPolicy', ours: 'Never', kubectl: 'Always' },
        { path: 'metadata.annotations[prometheus.io/scrape]', ours: undefined, kubectl: 'true' },
        { path: 'spec.containers[app].image', ours: 'busybox', kubectl: 'x' },
        { path: 'spec.restartPolicy', ours: 'OnFailure', kubectl: 'Always' },
      ],
      ctx,
    );
    expect(explained.map(([row]) => row.field)).toEqual(['`spec.restartPolicy`', '`metadata.annotations`']);
    expect(unexplained.map((d) => `${d.path}=${d.ours}`)).toEqual([
      'spec.containers[app].image=busybox',
      'spec.restartPolicy=OnFailure',
    ]);
  });

  it('do not explain dropping an annotation the pod reads', () => {
    const source = pod(
      {
        containers: [
          {
            name: 'app',
            image: 'x',
            env: [{ name: 'I', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['idx']" } } }],
          },
        ],
      },
      { annotations: { idx: '2' } },
    );
    const drop = { path: 'metadata.annotations[idx]', ours: undefined, kubectl: '2' };
    expect(explainDifferences([drop], { ...ctx, source }).unexplained).toEqual([drop]);
  });

  it('are the README’s table (npx tsx test/control-plane/render-kubectl-differences.ts --write)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(replaceDifferencesSection(readme));
  });
});
