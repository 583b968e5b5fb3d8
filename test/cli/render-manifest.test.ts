import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../src/cli/render-manifest.js';
import type { BuiltPod } from '../../src/debugpods/index.js';

const built = (notes: string[], extra: Partial<BuiltPod> = {}): BuiltPod => ({
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1-debug-abcde', namespace: 'prod', labels: { 'debugdead.io/managed': 'true' } },
    spec: { containers: [{ name: 'app', image: 'img:1', command: ['/bin/sleep', '3600'] }] },
  },
  notes,
  execCommand: 'kubectl exec -it -n prod web-1-debug-abcde -c app -- sh',
  ...extra,
});

describe('renderManifest', () => {
  it('puts the header, the notes, the original command and the shell line on top as comments', () => {
    const text = renderManifest(built(['PVC `data` swapped for emptyDir'], { originalCommand: 'node server.js' }), [
      'Debug clone of prod/web-1.',
    ]);
    expect(text.split('\n').slice(0, 6)).toEqual([
      '# Debug clone of prod/web-1.',
      '# Notes:',
      '#   PVC `data` swapped for emptyDir',
      '# Original command: node server.js',
      '# Shell: kubectl exec -it -n prod web-1-debug-abcde -c app -- sh',
      'apiVersion: v1',
    ]);
  });

  it('drops undefined fields and writes no YAML anchors for objects used twice', () => {
    const shared = { memory: '64Mi' };
    const b = built([]);
    const container = b.pod.spec?.containers[0];
    if (container) container.resources = { requests: shared, limits: shared, claims: undefined };
    const text = renderManifest(b, []);
    expect(text).not.toMatch(/[&*]ref_/);
    expect(yaml.load(text)).toEqual(JSON.parse(JSON.stringify(b.pod)));
  });

  it('whatever the notes say, the output parses back to exactly the pod', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), fc.string(), (notes, header) => {
        const b = built(notes, { originalCommand: header });
        const text = renderManifest(b, [header]);
        expect(yaml.load(text)).toEqual(b.pod);
        // Every line before the document is a comment.
        const head = text.slice(0, text.indexOf('apiVersion: v1')).split('\n').filter(Boolean);
        for (const line of head) expect(line.startsWith('#')).toBe(true);
      }),
    );
  });
});
