import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { humanDuration, podRow } from '../sim/kube/server/index.js';

let sim: KubeSim;
let clock: ManualClock;

async function get(
  path: string,
  accept = 'application/json',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${sim.token}`, Accept: accept } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

beforeAll(async () => {
  clock = new ManualClock();
  sim = await startKubeSim({ clock, scenario: 'default' });
  for (let i = 0; i < 30; i++) clock.advance(1000);
});

afterAll(async () => {
  await sim?.close();
});

describe('discovery', () => {
  it('/version reports minor 32', async () => {
    expect((await get('/version')).body).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: expect.stringMatching(/^v1\.32\./),
    });
  });

  it('/api/v1 lists pods with its log, status and ephemeralcontainers subresources', async () => {
    const names = ((await get('/api/v1')).body.resources as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/log',
        'pods/status',
        'pods/ephemeralcontainers',
        'events',
        'nodes',
        'namespaces',
        'serviceaccounts',
      ]),
    );
  });

  it('/apis lists apps and batch, whose resource lists name the workloads', async () => {
    const groups = ((await get('/apis')).body.groups as { name: string }[]).map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'batch']));
    const apps = ((await get('/apis/apps/v1')).body.resources as { name: string }[]).map((r) => r.name);
    expect(apps).toEqual(expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']));
  });

  it('/openapi/v3 documents a fieldValidation parameter on the pod PATCH operation', async () => {
    const root = (await get('/openapi/v3')).body as { paths: Record<string, { serverRelativeURL: string }> };
    const doc = (await get(root.paths['api/v1']?.serverRelativeURL as string)).body as {
      paths: Record<
        string,
        Record<string, { parameters: { name: string }[]; 'x-kubernetes-group-version-kind': unknown }>
      >;
    };
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(patch?.parameters.map((p) => p.name)).toContain('fieldValidation');
  });

  it('an unknown path is a 404 Status', async () => {
    const r = await get('/api/v1/widgets');
    expect(r).toEqual({
      status: 404,
      body: expect.objectContaining({
        kind: 'Status',
        reason: 'NotFound',
        message: 'the server could not find the requested resource',
      }),
    });
  });
});

describe('Table output', () => {
  it('pods come back as a meta.k8s.io/v1 Table with kubectl’s columns, wide ones at priority 1', async () => {
    const { body } = await get('/api/v1/namespaces/demo/pods', TABLE);
    expect(body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    const cols = body.columnDefinitions as { name: string; priority: number }[];
    expect(cols.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ]);
    const rows = body.rows as { cells: string[]; object: { kind: string; metadata: { name: string } } }[];
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
    const healthy = rows.find((r) => r.cells[0] === 'healthy');
    expect(healthy?.cells.slice(0, 5)).toEqual(['healthy', '1/1', 'Running', '0', '30s']);
  });

  it('includeObject=Object carries the whole pod in each row', async () => {
    const { body } = await get('/api/v1/namespaces/demo/pods/healthy?includeObject=Object', TABLE);
    const row = (body.rows as { object: { kind: string; spec: unknown } }[])[0];
    expect(row?.object.kind).toBe('Pod');
    expect(row?.object.spec).toBeDefined();
  });

  it('events come back as a Table with LAST SEEN, TYPE, REASON, OBJECT and MESSAGE', async () => {
    const { body } = await get('/api/v1/namespaces/demo/events?fieldSelector=involvedObject.name%3Dpending', TABLE);
    const cols = (body.columnDefinitions as { name: string; priority: number }[])
      .filter((c) => c.priority === 0)
      .map((c) => c.name);
    expect(cols).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    const rows = body.rows as { cells: unknown[] }[];
    expect(
      rows.some((r) => r.cells[2] === 'FailedScheduling' && r.cells[3] === 'pod/pending' && r.cells[1] === 'Warning'),
    ).toBe(true);
  });
});

describe('Table output for the other kinds kubectl shows', () => {
  it.each([
    [
      '/api/v1/nodes',
      ['Name', 'Status', 'Roles', 'Age', 'Version'],
      'node-1',
      [/^Ready$/, /^<none>$/, /^30s$/, /^v1\.\d+\.\d+$/],
    ],
    [
      '/api/v1/namespaces/demo/services',
      ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
      'healthy',
      [/^ClusterIP$/, /^10\.96\./, /^<none>$/, /^\d+\/TCP$/, /^30s$/],
    ],
    [
      '/apis/apps/v1/namespaces/demo/deployments',
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
      'healthy',
      [/^\d\/1$/, /^\d$/, /^\d$/, /^30s$/],
    ],
  ])('%s has kubectl’s columns', async (path, columns, name, cells) => {
    const { body } = await get(path, TABLE);
    expect(
      (body.columnDefinitions as { name: string; priority: number }[])
        .filter((c) => c.priority === 0)
        .map((c) => c.name),
    ).toEqual(columns);
    const row = (body.rows as { cells: unknown[] }[]).find((r) => r.cells[0] === name);
    cells.forEach((re, i) => {
      expect(String(row?.cells[i + 1])).toMatch(re);
    });
  });
});

const NOW = Date.parse('2026-11-23T10:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();
const base = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({
  metadata: { name: 'p', creationTimestamp: ago(600), ...meta },
  spec: { containers: [{ name: 'app' }], ...spec },
  status,
});

describe('pod STATUS as kubectl computes it', () => {
  it.each([
    [
      'CrashLoopBackOff',
      base(
        {},
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(30) } },
            },
          ],
        },
      ),
      ['p', '0/1', 'CrashLoopBackOff', '4 (30s ago)', '10m'],
    ],
    [
      'Init:Error',
      base(
        { initContainers: [{ name: 'init' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'init', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } },
          ],
        },
      ),
      ['p', '0/1', 'Init:Error', '0', '10m'],
    ],
    [
      'Init:0/1',
      base(
        { initContainers: [{ name: 'init' }] },
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }] },
      ),
      ['p', '0/1', 'Init:0/1', '0', '10m'],
    ],
    [
      'Init:ExitCode',
      base(
        { initContainers: [{ name: 'init' }] },
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 2 } } }] },
      ),
      ['p', '0/1', 'Init:ExitCode:2', '0', '10m'],
    ],
    [
      'ErrImagePull',
      base(
        {},
        {
          phase: 'Pending',
          containerStatuses: [{ name: 'app', restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }],
        },
      ),
      ['p', '0/1', 'ErrImagePull', '0', '10m'],
    ],
    [
      'Completed',
      base(
        { restartPolicy: 'Never' },
        {
          phase: 'Succeeded',
          containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        },
      ),
      ['p', '0/1', 'Completed', '0', '10m'],
    ],
    [
      'Terminating',
      base(
        {},
        { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
        { deletionTimestamp: ago(0) },
      ),
      ['p', '1/1', 'Terminating', '0', '10m'],
    ],
    [
      'OOMKilled',
      base(
        {},
        {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'app',
              restartCount: 1,
              state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
              lastState: {},
            },
          ],
        },
      ),
      ['p', '0/1', 'OOMKilled', '1', '10m'],
    ],
    [
      'NotReady',
      base(
        { containers: [{ name: 'a' }, { name: 'b' }] },
        {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'b', ready: true, state: { running: {} } },
          ],
        },
      ),
      ['p', '1/2', 'NotReady', '0', '10m'],
    ],
  ])('%s', (_name, pod, cells) => {
    expect(podRow(pod, NOW).slice(0, 5)).toEqual(cells);
  });
});

describe('humanDuration (the AGE column)', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3600_000 + 60_000, '3h1m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 3600_000, '3d1h'],
    [30 * 86400_000, '30d'],
  ])('%i ms is %s', (ms, s) => {
    expect(humanDuration(ms)).toBe(s);
  });
});

describe('workload status follows the pods', () => {
  it('a Deployment whose pod is ready is available; a crashing one is not', async () => {
    const ok = (await get('/apis/apps/v1/namespaces/demo/deployments/healthy')).body as {
      status: { readyReplicas?: number; conditions: { type: string; status: string; reason: string }[] };
    };
    expect(ok.status.readyReplicas).toBe(1);
    expect(ok.status.conditions.find((c) => c.type === 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
    });
    const bad = (await get('/apis/apps/v1/namespaces/demo/deployments/crash-exit1')).body as {
      status: {
        readyReplicas?: number;
        unavailableReplicas?: number;
        conditions: { type: string; status: string; reason: string }[];
      };
    };
    expect(bad.status.readyReplicas).toBeUndefined();
    expect(bad.status.unavailableReplicas).toBe(1);
    expect(bad.status.conditions.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
  });
});
