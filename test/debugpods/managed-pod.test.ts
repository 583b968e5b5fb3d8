import { describe, expect, it } from 'vitest';
import {
  buildDebugClone,
  buildNodeShell,
  cloneName,
  debugPodKind,
  expiresAt,
  isManagedPod,
  MANAGED_SELECTOR,
  nameSuffix,
  requestIdOf,
  shellJoin,
  toLabelValue,
} from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import { plainDeploymentPod } from './pod-shapes.js';

const now = new Date('2026-11-23T09:15:00Z');
const clone = buildDebugClone(
  plainDeploymentPod(),
  {
    requestId: 'req/42',
    container: 'app',
    requestedBy: 'U1',
    ttlSeconds: 600,
    maxTtlSeconds: 3600,
    helperImage: 'busybox:1.37-musl',
  },
  { suffix: 'abcde', now },
).pod;
const shell = buildNodeShell(
  'node-a',
  { requestId: 'req-7', node: 'node-a', requestedBy: 'U1', ttlSeconds: 60, maxTtlSeconds: 60, image: 'busybox' },
  { suffix: 'abcde', now },
).pod;

describe('managed pod marks', () => {
  it('recognises clones and node shells as ours, and a workload pod as not ours', () => {
    expect([isManagedPod(clone), isManagedPod(shell), isManagedPod(plainDeploymentPod())]).toEqual([true, true, false]);
    expect([debugPodKind(clone), debugPodKind(shell), debugPodKind(plainDeploymentPod())]).toEqual([
      'clone',
      'node-shell',
      undefined,
    ]);
    expect(MANAGED_SELECTOR).toBe('debugdead.io/managed=true');
  });

  it('reads back when a pod expires: now plus its TTL', () => {
    expect(expiresAt(clone)).toEqual(new Date('2026-11-23T09:25:00Z'));
    expect(expiresAt(shell)).toEqual(new Date('2026-11-23T09:16:00Z'));
  });

  it('has no expiry for a pod without the annotation or with an unreadable one', () => {
    const garbled: Pod = { metadata: { annotations: { 'debugdead.io/expires-at': 'tomorrow-ish' } } };
    expect(expiresAt(plainDeploymentPod())).toBeUndefined();
    expect(expiresAt(garbled)).toBeUndefined();
  });

  it('reads back the exact request id even when the label had to be sanitised', () => {
    expect(requestIdOf(clone)).toBe('req/42');
    expect(clone.metadata!.labels!['debugdead.io/request-id']).toBe('req-42');
    expect(requestIdOf(plainDeploymentPod())).toBeUndefined();
  });
});

describe('names and words', () => {
  it('derives the same 5-character suffix from the same request id, so a retried job finds its pod', () => {
    expect(nameSuffix('req-1')).toBe(nameSuffix('req-1'));
    expect(nameSuffix('req-1')).not.toBe(nameSuffix('req-2'));
    expect(nameSuffix('req-1')).toMatch(/^[a-z0-9]{5}$/);
  });

  it.each([
    ['web-1', 'web-1-debug-abcde'],
    ['Web.Pod_1', 'web-pod-1-debug-abcde'],
    ['', 'pod-debug-abcde'],
    [`${'x'.repeat(50)}.${'y'.repeat(20)}`, `${'x'.repeat(50)}-debug-abcde`],
  ])('clone name for %j is %j', (source, want) => {
    expect(cloneName(source, 'abcde')).toBe(want);
  });

  it.each([
    ['req-1', 'req-1'],
    ['a b/c', 'a-b-c'],
    ['--x--', 'x'],
    ['z'.repeat(80), 'z'.repeat(63)],
  ])('label value for %j is %j', (text, want) => {
    expect(toLabelValue(text)).toBe(want);
  });

  it.each([
    [['node', 'server.js'], 'node server.js'],
    [['sh', '-c', 'echo $HOME'], "sh -c 'echo $HOME'"],
    [['echo', "it's"], "echo 'it'\\''s'"],
    [['printf', ''], "printf ''"],
  ])('shell line for %j is %s', (words, want) => {
    expect(shellJoin(words)).toBe(want);
  });
});
