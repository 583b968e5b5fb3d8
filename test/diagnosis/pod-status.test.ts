import { describe, expect, it } from 'vitest';
import { podStatus } from '../../src/diagnosis/index.js';
import { container, crashLooping, pod, running, SCENARIOS, terminated, waiting } from './fixtures.js';

const img = 'ghcr.io/acme/api:1';

describe('podStatus shows what kubectl get pods would', () => {
  it.each([
    { scenario: 'crash-exit1', status: 'CrashLoopBackOff' },
    { scenario: 'oom', status: 'CrashLoopBackOff' },
    { scenario: 'liveness', status: 'CrashLoopBackOff' },
    { scenario: 'imagepull', status: 'ImagePullBackOff' },
    { scenario: 'configerr', status: 'CreateContainerConfigError' },
    { scenario: 'pending', status: 'Pending' },
    { scenario: 'init-crash', status: 'Init:CrashLoopBackOff' },
    { scenario: 'scratch', status: 'CrashLoopBackOff' },
    { scenario: 'multi', status: 'CrashLoopBackOff' },
    { scenario: 'healthy', status: 'Running' },
    { scenario: 'evicted', status: 'Evicted' },
    { scenario: 'deadline', status: 'DeadlineExceeded' },
    { scenario: 'exit0', status: 'CrashLoopBackOff' },
    { scenario: 'sidecar', status: 'Init:CrashLoopBackOff' },
  ] as const)('$scenario shows $status', ({ scenario, status }) => {
    expect(podStatus(SCENARIOS[scenario]().pod)).toBe(status);
  });

  const two = [container('a', img), container('b', img)];
  const initialized = [{ type: 'Initialized', status: 'True' }];
  const notInitialized = [{ type: 'Initialized', status: 'False' }];

  it.each([
    {
      name: 'the second of two init containers running',
      status: 'Init:1/2',
      p: pod('x', {
        phase: 'Pending',
        initContainers: two,
        containers: [container('app', img)],
        conditions: notInitialized,
        initStatuses: [terminated('a', img, { exitCode: 0, reason: 'Completed' }), running('b', img, { ready: false })],
        statuses: [waiting('app', img, 'PodInitializing')],
      }),
    },
    {
      name: 'the first init container not started yet',
      status: 'Init:0/2',
      p: pod('x', {
        phase: 'Pending',
        initContainers: two,
        containers: [container('app', img)],
        conditions: notInitialized,
        initStatuses: [waiting('a', img, 'PodInitializing'), waiting('b', img, 'PodInitializing')],
      }),
    },
    {
      name: 'an init container that failed under restartPolicy Never',
      status: 'Init:Error',
      p: pod('x', {
        phase: 'Failed',
        restartPolicy: 'Never',
        initContainers: two,
        containers: [container('app', img)],
        conditions: notInitialized,
        initStatuses: [terminated('a', img, { exitCode: 1, reason: 'Error' }), waiting('b', img, 'PodInitializing')],
      }),
    },
    {
      name: 'an init container terminated without a reason',
      status: 'Init:ExitCode:3',
      p: pod('x', {
        phase: 'Pending',
        initContainers: two,
        containers: [container('app', img)],
        conditions: notInitialized,
        initStatuses: [terminated('a', img, { exitCode: 3, reason: '' })],
      }),
    },
    {
      name: 'an init container killed by a signal without a reason',
      status: 'Init:Signal:9',
      p: pod('x', {
        phase: 'Pending',
        initContainers: two,
        containers: [container('app', img)],
        conditions: notInitialized,
        initStatuses: [terminated('a', img, { exitCode: 137, reason: '', signal: 9 })],
      }),
    },
    {
      name: 'a first pull failing',
      status: 'ErrImagePull',
      p: pod('x', {
        phase: 'Pending',
        containers: [container('app', img)],
        statuses: [waiting('app', img, 'ErrImagePull')],
      }),
    },
    {
      name: 'a container still being created',
      status: 'ContainerCreating',
      p: pod('x', {
        phase: 'Pending',
        containers: [container('app', img)],
        statuses: [waiting('app', img, 'ContainerCreating')],
      }),
    },
    {
      name: 'a finished job pod',
      status: 'Completed',
      p: pod('x', {
        phase: 'Succeeded',
        restartPolicy: 'Never',
        containers: [container('app', img)],
        statuses: [terminated('app', img, { exitCode: 0, reason: 'Completed' })],
      }),
    },
    {
      name: 'a failed job pod',
      status: 'Error',
      p: pod('x', {
        phase: 'Failed',
        restartPolicy: 'Never',
        containers: [container('app', img)],
        statuses: [terminated('app', img, { exitCode: 1, reason: 'Error' })],
      }),
    },
    {
      name: 'a job pod killed by the OOM killer',
      status: 'OOMKilled',
      p: pod('x', {
        phase: 'Failed',
        restartPolicy: 'Never',
        containers: [container('app', img)],
        statuses: [terminated('app', img, { exitCode: 137, reason: 'OOMKilled' })],
      }),
    },
    {
      name: 'one container completed while another still runs, pod not ready',
      status: 'NotReady',
      p: pod('x', {
        restartPolicy: 'OnFailure',
        containers: two,
        conditions: [...initialized, { type: 'Ready', status: 'False' }],
        statuses: [terminated('a', img, { exitCode: 0, reason: 'Completed' }), running('b', img)],
      }),
    },
    {
      name: 'one container completed while another still runs, pod ready',
      status: 'Running',
      p: pod('x', {
        restartPolicy: 'OnFailure',
        containers: two,
        conditions: [...initialized, { type: 'Ready', status: 'True' }],
        statuses: [terminated('a', img, { exitCode: 0, reason: 'Completed' }), running('b', img)],
      }),
    },
    {
      name: 'the first container wins when several wait',
      status: 'CrashLoopBackOff',
      p: pod('x', {
        containers: two,
        statuses: [
          crashLooping('x', 'a', img, { exitCode: 1, reason: 'Error' }, { restarts: 2 }),
          waiting('b', img, 'ImagePullBackOff'),
        ],
      }),
    },
    {
      name: 'a running pod being deleted',
      status: 'Terminating',
      p: pod('x', { deleting: true, containers: [container('app', img)], statuses: [running('app', img)] }),
    },
    {
      name: 'a started native sidecar and a running app',
      status: 'Running',
      p: pod('x', {
        initContainers: [container('proxy', img, { restartPolicy: 'Always' })],
        containers: [container('app', img)],
        conditions: [...initialized, { type: 'Ready', status: 'True' }],
        initStatuses: [running('proxy', img, { started: true })],
        statuses: [running('app', img)],
      }),
    },
    {
      name: 'a pod held back by scheduling gates',
      status: 'SchedulingGated',
      p: pod('x', {
        phase: 'Pending',
        nodeName: null,
        containers: [container('app', img)],
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
    },
    {
      name: 'a pod with no status at all',
      status: 'Unknown',
      p: { metadata: { name: 'bare' } },
    },
  ])('$name shows $status', ({ p, status }) => {
    expect(podStatus(p)).toBe(status);
  });
});
