import { describe, expect, it } from 'vitest';
import { pickCloneTarget } from '../../src/cli/pick-clone-target.js';
import { diagnose } from '../../src/diagnosis/index.js';
import type { ContainerStatus, Pod } from '../../src/kube/index.js';

const NOW = new Date('2026-11-23T10:00:00Z');

const crashing = (name: string, restartCount = 4, exitCode = 1): ContainerStatus => ({
  name,
  image: `img/${name}`,
  imageID: '',
  ready: false,
  restartCount,
  started: false,
  state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${name}` } },
  lastState: {
    terminated: {
      exitCode,
      reason: 'Error',
      startedAt: new Date('2026-11-23T09:59:00Z'),
      finishedAt: new Date('2026-11-23T09:59:02Z'),
    },
  },
});

const running = (name: string, restartCount = 0, lastExit?: number): ContainerStatus => ({
  name,
  image: `img/${name}`,
  imageID: '',
  ready: true,
  restartCount,
  started: true,
  state: { running: { startedAt: new Date('2026-11-23T09:59:58Z') } },
  ...(lastExit !== undefined
    ? {
        lastState: {
          terminated: {
            exitCode: lastExit,
            reason: 'Error',
            startedAt: new Date('2026-11-23T09:59:00Z'),
            finishedAt: new Date('2026-11-23T09:59:02Z'),
          },
        },
      }
    : {}),
});

function pod(statuses: ContainerStatus[], init: ContainerStatus[] = []): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'prod', uid: 'u1', creationTimestamp: new Date('2026-11-23T09:00:00Z') },
    spec: {
      restartPolicy: 'Always',
      nodeName: 'node-1',
      initContainers: init.map((s) => ({ name: s.name, image: s.image })),
      containers: statuses.map((s) => ({ name: s.name, image: s.image })),
    },
    status: {
      phase: init.length ? 'Pending' : 'Running',
      containerStatuses: statuses,
      ...(init.length ? { initContainerStatuses: init } : {}),
    },
  };
}

const diagnosisOf = (p: Pod) =>
  diagnose({ pod: p, events: { ok: true, value: [] }, logs: [], owners: { ok: true, value: [] }, now: NOW });

describe('pickCloneTarget', () => {
  it.each([
    {
      shape: 'one crash-looping container',
      pod: pod([crashing('app')]),
      container: 'app',
      why: /^the failing container \(CrashLoopBackOff, exit 1\)$/,
    },
    {
      shape: 'a crashing app between healthy sidecars',
      pod: pod([running('web'), crashing('app'), running('log-shipper')]),
      container: 'app',
      why: /^the failing container/,
    },
    {
      shape: 'two crashing containers',
      pod: pod([crashing('api'), running('web'), crashing('worker', 2, 137)]),
      container: 'api',
      why: /also failing: worker \(choose with -c\)$/,
    },
    {
      shape: 'a crash-looping container caught between two crashes',
      pod: pod([running('web'), running('app', 6, 1)]),
      container: 'app',
      why: /^the container that keeps restarting \(6 restarts, last exit 1\)$/,
    },
    {
      shape: 'a healthy pod',
      pod: pod([running('web'), running('app')]),
      container: 'web',
      why: /^no container is failing; the first app container$/,
    },
    {
      shape: 'a crashing init container',
      pod: pod(
        [
          {
            ...running('app'),
            ready: false,
            started: false,
            state: { waiting: { reason: 'PodInitializing' } },
          },
        ],
        [crashing('migrate')],
      ),
      container: 'migrate',
      why: /^the failing container \(CrashLoopBackOff, exit 1\)$/,
    },
  ])('$shape: clones $container', ({ pod: p, container, why }) => {
    const target = pickCloneTarget(diagnosisOf(p), undefined);
    expect(target).toMatchObject({ ok: true, container });
    if (target.ok) expect(target.why).toMatch(why);
  });

  it('-c wins over the failing container when the pod has it', () => {
    const d = diagnosisOf(pod([running('web'), crashing('app')]));
    expect(pickCloneTarget(d, 'web')).toEqual({ ok: true, container: 'web', why: 'chosen with -c' });
  });

  it('-c naming a container the pod lacks lists the ones it has', () => {
    const d = diagnosisOf(pod([running('web'), crashing('app')]));
    expect(pickCloneTarget(d, 'db')).toEqual({
      ok: false,
      message: 'Pod prod/web-1 has no container "db"; it has: web, app.',
    });
  });
});
