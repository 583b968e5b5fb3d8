import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/index.js';
import type { ContainerStatus, Pod } from '../../src/kube/types.js';

const status = (name: string, state: ContainerStatus['state']): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
});

function podWith(debugState: ContainerStatus['state'] | undefined): Pod {
  return {
    metadata: { name: 'web-1', namespace: 'shop', uid: 'u', creationTimestamp: new Date('2026-12-01T09:00:00Z') },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'app', image: 'web:1' }],
      ephemeralContainers: [{ name: 'debugger-abcde', image: 'busybox', targetContainerName: 'app' }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ ...status('app', { running: {} }), ready: true, image: 'web:1' }],
      ...(debugState ? { ephemeralContainerStatuses: [status('debugger-abcde', debugState)] } : {}),
    },
  };
}

const facts = (pod: Pod) => ({
  pod,
  events: { ok: true as const, value: [] },
  logs: [],
  owners: { ok: true as const, value: [] },
  now: new Date('2026-12-01T10:00:00Z'),
});

describe('ephemeral (debug) containers in a diagnosis', () => {
  it.each([
    ['running', { running: {} }, 'running', undefined],
    ['ended at its TTL', { terminated: { exitCode: 0, reason: 'Completed' } }, 'terminated', 'Completed'],
    ['killed', { terminated: { exitCode: 137, reason: 'Error' } }, 'terminated', 'Error'],
    ['pulling', { waiting: { reason: 'ErrImagePull', message: 'not found' } }, 'waiting', 'ErrImagePull'],
    ['not reported yet', undefined, 'unknown', undefined],
  ] as const)(
    'are listed among the containers with their state (%s), and are never the failure',
    (_n, state, name, reason) => {
      const d = diagnose(facts(podWith(state as ContainerStatus['state'])));
      const debug = d.containers.find((c) => c.name === 'debugger-abcde');
      expect(debug).toMatchObject({ kind: 'ephemeral', state: name, failing: false });
      expect(debug?.reason).toBe(reason);
      expect(d.findings.some((f) => f.container === 'debugger-abcde')).toBe(false);
      expect(d.containers.map((c) => c.name)).toEqual(['app', 'debugger-abcde']);
      // The app runs and is ready: the pod is healthy, whatever its debug container does.
      expect(d.findings[0]?.kind).toBe('Healthy');
      expect(d.pod.restarts).toBe(0);
    },
  );
});
