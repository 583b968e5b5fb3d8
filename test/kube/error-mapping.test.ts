import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, forbiddenRule, isKubeError, type KubeClient, loadKubeConfig } from '../../src/kube/index.js';
import { writeKubeconfig } from './write-kubeconfig.js';

// A fake API server answering real Kubernetes Status JSON , driven through the real
// @kubernetes/client-node, so the mapping is tested on what the client really throws.

const SA = 'system:serviceaccount:debugdead-system:debugdead';

function status(code: number, reason: string, message: string, details: object = {}) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code };
}

const answers: Record<string, { code: number; body: unknown; delayMs?: number; contentType?: string }> = {
  'GET /api/v1/namespaces/demo/pods/missing': {
    code: 404,
    body: status(404, 'NotFound', 'pods "missing" not found', { name: 'missing', kind: 'pods' }),
  },
  'GET /api/v1/namespaces/prod/pods/web-1/log': {
    code: 403,
    body: status(
      403,
      'Forbidden',
      `pods "web-1" is forbidden: User "${SA}" cannot get resource "pods/log" in API group "" in the namespace "prod"`,
    ),
  },
  'GET /api/v1/nodes/node-1': {
    code: 403,
    body: status(
      403,
      'Forbidden',
      `nodes "node-1" is forbidden: User "${SA}" cannot get resource "nodes" in API group "" at the cluster scope`,
    ),
  },
  'POST /api/v1/namespaces/demo/pods': {
    code: 409,
    body: status(409, 'AlreadyExists', 'pods "web-1-debug" already exists', { name: 'web-1-debug', kind: 'pods' }),
  },
  'POST /api/v1/namespaces/strict/pods': {
    code: 422,
    body: status(422, 'Invalid', 'Pod "bad" is invalid: spec.containers[0].image: Required value', {
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }],
    }),
  },
  'GET /api/v1/namespaces/demo/pods/web-1/log': {
    code: 400,
    body: status(400, 'BadRequest', 'previous terminated container "app" in pod "web-1" not found'),
  },
  'GET /api/v1/namespaces/demo/pods/boom': {
    code: 500,
    body: status(500, 'InternalError', 'Internal error occurred: etcdserver: leader changed'),
  },
  'GET /api/v1/namespaces/demo/pods/busy': {
    code: 429,
    body: status(429, 'TooManyRequests', 'Too many requests, please try again later.'),
  },
  'GET /api/v1/namespaces/demo/pods/slow-server': {
    code: 504,
    body: status(
      504,
      'Timeout',
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    ),
  },
  'GET /api/v1/namespaces/demo/pods/behind-proxy': {
    code: 502,
    body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    contentType: 'text/html',
  },
  'GET /api/v1/namespaces/demo/pods/revoked': { code: 401, body: status(401, 'Unauthorized', 'Unauthorized') },
  'DELETE /api/v1/namespaces/demo/pods/gone': {
    code: 404,
    body: status(404, 'NotFound', 'pods "gone" not found', { name: 'gone', kind: 'pods' }),
  },
  'GET /api/v1/namespaces/demo/pods/hangs': {
    code: 200,
    body: { kind: 'Pod', metadata: { name: 'hangs' } },
    delayMs: 800,
  },
};

let server: Server;
let dir: string;
let kube: KubeClient;
let refusedUrl: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = answers[`${req.method} ${path}`];
    req.resume();
    const send = () => {
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status(404, 'NotFound', 'the server could not find the requested resource')));
        return;
      }
      res.writeHead(answer.code, {
        'content-type': answer.contentType ?? 'application/json',
        'audit-id': 'header-that-must-not-leak',
      });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    };
    if (answer?.delayMs) setTimeout(send, answer.delayMs).unref();
    else send();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(join(tmpdir(), 'kube-errors-'));
  writeKubeconfig(join(dir, 'config'), `http://127.0.0.1:${port}`);
  kube = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'config') }), { timeoutMs: 5000 });

  // A port that was open a moment ago and is now closed: connection refused.
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  refusedUrl = `http://127.0.0.1:${closedPort}`;
  writeKubeconfig(join(dir, 'refused'), refusedUrl);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('every API failure becomes a KubeError with a message a person can read', () => {
  const pod = { metadata: { name: 'web-1-debug' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
  it.each([
    ['404 on a pod read', () => kube.readPod('demo', 'missing'), 'NotFound', 404, 'pods "missing" not found'],
    [
      '403 on pods/log',
      () => kube.readLog('prod', 'web-1', { container: 'app' }),
      'Forbidden',
      403,
      `pods "web-1" is forbidden: User "${SA}" cannot get resource "pods/log" in API group "" in the namespace "prod"`,
    ],
    ['409 on create', () => kube.createPod('demo', pod), 'Conflict', 409, 'pods "web-1-debug" already exists'],
    [
      '422 on create',
      () => kube.createPod('strict', pod),
      'Invalid',
      422,
      'Pod "bad" is invalid: spec.containers[0].image: Required value',
    ],
    [
      '400 from the kubelet on previous logs',
      () => kube.readLog('demo', 'web-1', { container: 'app', previous: true }),
      'Invalid',
      400,
      'previous terminated container "app" in pod "web-1" not found',
    ],
    [
      '500 internal error',
      () => kube.readPod('demo', 'boom'),
      'Unavailable',
      500,
      'Internal error occurred: etcdserver: leader changed',
    ],
    [
      '429 throttling',
      () => kube.readPod('demo', 'busy'),
      'Unavailable',
      429,
      'Too many requests, please try again later.',
    ],
    [
      "504 from the apiserver's own deadline",
      () => kube.readPod('demo', 'slow-server'),
      'Timeout',
      504,
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    ],
    ['502 HTML from a proxy', () => kube.readPod('demo', 'behind-proxy'), 'Unavailable', 502, '502 Bad Gateway'],
  ] as const)('%s', async (_name, call, kind, code, message) => {
    const err = await failure(call());
    expect(isKubeError(err)).toBe(true);
    expect(err).toMatchObject({ kind, status: code, message });
    // client-node's ApiException text embeds headers and the raw body: none of it reaches our message.
    expect((err as Error).message).not.toMatch(/HTTP-Code|Headers|audit-id|header-that-must-not-leak/);
  });

  it('a 401 says the credentials were rejected and is Forbidden (retrying will not help)', async () => {
    const err = await failure(kube.readPod('demo', 'revoked'));
    expect(err).toMatchObject({ kind: 'Forbidden', status: 401 });
    expect((err as Error).message).toMatch(/credentials.*401 Unauthorized/);
  });

  it('a server that never answers becomes a Timeout naming the operation and the deadline', async () => {
    const started = Date.now();
    const err = await failure(kube.withTimeout(300).readPod('demo', 'hangs'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toMatchObject({ kind: 'Timeout', status: undefined });
    expect((err as Error).message).toBe(
      `reading pod demo/hangs: no answer from the Kubernetes API at ${kube.server} within 300 ms`,
    );
  });

  it('the same client with a longer deadline waits for a slow answer', async () => {
    const patient = kube.withTimeout(300).withTimeout(5000);
    expect(patient.timeoutMs).toBe(5000);
    await expect(patient.readPod('demo', 'hangs')).resolves.toMatchObject({ metadata: { name: 'hangs' } });
  });

  it('a refused connection is Unavailable and names the server', async () => {
    const refused = createKubeClient(loadKubeConfig({ kubeconfigPath: join(dir, 'refused') }), { timeoutMs: 2000 });
    const err = await failure(refused.readPod('demo', 'web-1'));
    expect(err).toMatchObject({ kind: 'Unavailable', status: undefined });
    expect((err as Error).message).toBe(
      `reading pod demo/web-1: cannot reach the Kubernetes API at ${refusedUrl} (connection refused)`,
    );
  });

  it('sequential calls reuse one connection (client-node alone opens one per call)', async () => {
    await failure(kube.readPod('demo', 'missing'));
    const before = connections;
    for (let i = 0; i < 5; i++) await failure(kube.readPod('demo', 'missing'));
    expect(connections - before).toBe(0);
  });

  it('deleting a pod that is already gone counts as done', async () => {
    await expect(kube.deletePod('demo', 'gone')).resolves.toBe('already-gone');
  });

  it('a 403 on pods/log names the missing RBAC rule', async () => {
    const err = await failure(kube.readLog('prod', 'web-1', { container: 'app' }));
    expect(forbiddenRule(err as Error)).toEqual({
      user: SA,
      verb: 'get',
      resource: 'pods/log',
      apiGroup: '',
      namespace: 'prod',
      clusterScope: false,
    });
  });

  it('a 403 on a cluster-scoped read names the rule at cluster scope', async () => {
    const err = await failure(kube.readNode('node-1'));
    expect(err).toMatchObject({ kind: 'Forbidden' });
    expect(forbiddenRule(err as Error)).toEqual({
      user: SA,
      verb: 'get',
      resource: 'nodes',
      apiGroup: '',
      clusterScope: true,
    });
  });
});
