import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  buildDebugClone,
  buildNodeShell,
  type CloneRequest,
  isManagedPod,
  MANAGED_LABEL,
  TOOLS_NAME,
} from '../../src/debugpods/index.js';
import { isBestEffort, isGuaranteed } from '../../src/debugpods/pod-facts.js';
import type { Container, Pod } from '../../src/kube/types.js';
import { arbitraryPodWithTarget, deepFreeze } from './arbitrary-pod.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const lifetime = fc
  .tuple(fc.integer({ min: 1, max: 7 * 24 * 3600 }), fc.integer({ min: 1, max: 7 * 24 * 3600 }))
  .map(([a, b]) => ({ ttlSeconds: Math.min(a, b), maxTtlSeconds: Math.max(a, b) }));
const ids = fc.record({
  suffix: fc.stringMatching(/^[a-z0-9]{5}$/),
  now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
});
const options = fc.record({
  keepClaims: fc.boolean(),
  sameNode: fc.boolean(),
  keepInitContainers: fc.boolean(),
  onlyTarget: fc.boolean(),
});
const cloneCase = fc
  .record({
    source: arbitraryPodWithTarget,
    lifetime,
    ids,
    options,
    requestId: fc.string({ minLength: 1, maxLength: 80 }),
  })
  .map(({ source, lifetime, ids, options, requestId }) => ({
    source: source.pod,
    ids,
    request: {
      requestId,
      container: source.target,
      requestedBy: 'U01ALICE',
      helperImage: 'busybox:1.37-musl',
      ...lifetime,
      ...options,
    } satisfies CloneRequest,
  }));

const everyContainer = (pod: Pod): Container[] => [
  ...(pod.spec?.initContainers ?? []),
  ...(pod.spec?.containers ?? []),
];

/** Reasons the API server would reject the pod, or that it is not plain JSON; empty when valid. */
function invalidity(pod: Pod): string[] {
  const problems: string[] = [];
  const name = pod.metadata?.name ?? '';
  if (!DNS_LABEL.test(name)) problems.push(`name ${name} is not a DNS label of at most 63 characters`);
  if (pod.apiVersion !== 'v1' || pod.kind !== 'Pod') problems.push('not a v1 Pod');
  if (!pod.spec?.containers.length) problems.push('no containers');
  const names = everyContainer(pod).map((c) => c.name);
  if (new Set(names).size !== names.length) problems.push(`duplicate container names ${names}`);
  const volumes = new Set((pod.spec?.volumes ?? []).map((v) => v.name));
  if (volumes.size !== (pod.spec?.volumes ?? []).length) problems.push('duplicate volume names');
  for (const c of everyContainer(pod)) {
    for (const ref of [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])]) {
      if (!volumes.has(ref.name)) problems.push(`${c.name} uses missing volume ${ref.name}`);
    }
    for (const ref of c.volumeDevices ?? []) {
      const v = pod.spec?.volumes?.find((x) => x.name === ref.name);
      if (!v?.persistentVolumeClaim && !v?.ephemeral) problems.push(`${c.name} block device on non-claim ${ref.name}`);
    }
  }
  for (const [key, value] of Object.entries(pod.metadata?.labels ?? {})) {
    if (value.length > 63 || !LABEL_VALUE.test(value)) problems.push(`label ${key}=${value} is not a valid value`);
  }
  // Lifecycle sleep actions must be shorter than the grace period (pod validation).
  const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
  for (const c of everyContainer(pod)) {
    for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) {
      if (h?.sleep && !(h.sleep.seconds < grace))
        problems.push(`${c.name} sleeps ${h.sleep.seconds} s, grace ${grace}`);
    }
  }
  // On hostNetwork the API server defaults hostPort to containerPort: the port the original holds on its node.
  if (pod.spec?.hostNetwork && everyContainer(pod).some((c) => c.ports?.length)) problems.push('ports on hostNetwork');
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined)
    problems.push('claims to be a mirror pod');
  const deadline = pod.spec?.activeDeadlineSeconds;
  if (!Number.isInteger(deadline) || (deadline ?? 0) < 1) problems.push('activeDeadlineSeconds missing');
  // Plain data: what `kubectl create -f` and the CLI's YAML preview read back unchanged (js-yaml throws on undefined).
  try {
    if (JSON.stringify(yaml.load(yaml.dump(pod))) !== JSON.stringify(pod)) problems.push('YAML round trip changes it');
  } catch (e) {
    problems.push(`not plain data: ${(e as Error).message}`);
  }
  return problems;
}

describe('buildDebugClone, whatever the pod', () => {
  it('returns a pod the API server would accept', () => {
    fc.assert(
      fc.property(cloneCase, ({ source, request, ids }) => {
        const { pod } = buildDebugClone(source, request, ids);
        expect(invalidity(pod)).toEqual([]);
        expect(JSON.parse(JSON.stringify(pod))).toEqual(pod);
        // The kubelet's QoS class counts init containers; the clone keeps the source's class.
        if (isGuaranteed(source.spec!)) expect(isGuaranteed(pod.spec!)).toBe(true);
        expect(isBestEffort(pod.spec!)).toBe(isBestEffort(source.spec!));
      }),
      { numRuns: 200 },
    );
  });

  it('carries our labels and none of the source labels, owners, probes or hostPorts', () => {
    fc.assert(
      fc.property(cloneCase, ({ source, request, ids }) => {
        const { pod } = buildDebugClone(source, request, ids);
        expect(isManagedPod(pod)).toBe(true);
        expect(pod.metadata!.labels![MANAGED_LABEL]).toBe('true');
        // No key=value of the source survives, so no Service selector that matched the source matches the clone.
        const kept = Object.entries(source.metadata?.labels ?? {}).filter(([k, v]) => pod.metadata!.labels![k] === v);
        expect(kept).toEqual([]);
        expect(pod.metadata!.ownerReferences).toBeUndefined();
        expect(everyContainer(pod).filter((c) => c.livenessProbe || c.readinessProbe || c.startupProbe)).toEqual([]);
        expect(
          everyContainer(pod)
            .flatMap((c) => c.ports ?? [])
            .filter((p) => p.hostPort),
        ).toEqual([]);
        expect(pod.spec!.restartPolicy).toBe('Never');
        expect(pod.spec!.activeDeadlineSeconds).toBe(request.maxTtlSeconds);
      }),
      { numRuns: 200 },
    );
  });

  it('puts the busybox injector first and the target asleep on it', () => {
    fc.assert(
      fc.property(cloneCase, ({ source, request, ids }) => {
        const { pod } = buildDebugClone(source, request, ids);
        expect(pod.spec!.initContainers![0]!.name).toBe(TOOLS_NAME);
        const target = everyContainer(pod).find((c) => c.name === request.container)!;
        expect(target.command).toEqual(['/.debugdead/busybox', 'sleep', String(request.maxTtlSeconds)]);
        expect(target.args).toBeUndefined();
        expect(target.volumeMounts).toContainEqual({ name: TOOLS_NAME, mountPath: '/.debugdead' });
      }),
      { numRuns: 200 },
    );
  });

  it('never changes the source pod (deep-frozen) and gives the same pod for the same ids', () => {
    fc.assert(
      fc.property(cloneCase, ({ source, request, ids }) => {
        const before = structuredClone(source);
        const frozen = deepFreeze(source);
        const first = buildDebugClone(frozen, request, ids);
        expect(frozen).toEqual(before);
        expect(buildDebugClone(frozen, request, ids)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildNodeShell, whatever the node', () => {
  const nodeName = fc
    .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
    .map((parts) => parts.join('.'));

  it('returns a privileged pod with a valid name on that node, carrying our labels', () => {
    fc.assert(
      fc.property(nodeName, lifetime, ids, (node, life, theIds) => {
        const req = { requestId: 'r', node, requestedBy: 'U1', image: 'busybox:1.37-musl', ...life };
        const { pod } = buildNodeShell(node, req, theIds);
        expect(invalidity(pod)).toEqual([]);
        expect(pod.spec!.nodeName).toBe(node);
        expect(isManagedPod(pod)).toBe(true);
        expect(buildNodeShell(node, req, theIds)).toEqual(buildNodeShell(node, req, theIds));
      }),
      { numRuns: 200 },
    );
  });
});
