import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import {
  decodeKubeProtobuf,
  encodeKubeProtobuf,
  PROTOBUF_MEDIA_TYPE,
} from '../sim/kube/protobuf/decode-kube-protobuf.js';
import { REPO_ROOT } from '../support/render-deploy.js';

// Typed clients send protobuf bodies. The simulator decodes them into the JSON the same body would be, so a body
// means the same, and is refused the same, in either encoding; the refusals it cannot share with JSON (the envelope)
// are worded as kube-apiserver v1.37 words them (measured with curl against test/control-plane's real server).
// Decoding itself is checked against kube-apiserver's own encoder in test/control-plane/protobuf-decoding.test.ts.

let sim: KubeSim;

/** POSTs (or `method`s) a body as the given media type; the status and the JSON answer. */
async function send(method: string, path: string, body: Buffer | string, contentType: string) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sim.token}`, 'Content-Type': contentType },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}
const asProtobuf = (path: string, body: Buffer, method = 'POST') => send(method, path, body, PROTOBUF_MEDIA_TYPE);
const asJson = (path: string, body: unknown, method = 'POST') =>
  send(method, path, JSON.stringify(body), 'application/json');

/** What two stored objects share, without what the server assigns (identity, time, random names). */
function withoutIdentity(o: Record<string, any>) {
  const { uid, resourceVersion, creationTimestamp, name, labels, ...metadata } = o.metadata;
  const { 'kubernetes.io/metadata.name': _, ...rest } = labels ?? {};
  // The ServiceAccount admission's token volume has a random suffix.
  const same = JSON.stringify({ ...o, metadata: { ...metadata, labels: rest } }).replace(
    /kube-api-access-\w{5}/g,
    'kube-api-access',
  );
  return JSON.parse(same);
}

const PODS = '/api/v1/namespaces/pb/pods';
/** kube-apiserver's wire bytes for one thing: the magic, an envelope, a message. */
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

beforeAll(async () => {
  sim = await startKubeSim({ clock: new ManualClock() });
  await asJson('/api/v1/namespaces', { metadata: { name: 'pb' } });
});

afterAll(async () => {
  await sim?.close();
});

describe('protobuf request bodies', () => {
  it('a Namespace sent as protobuf is stored as the same Namespace sent as JSON', async () => {
    const labels = { team: 'payments', 'pod-security.kubernetes.io/enforce': 'restricted' };
    const pb = await asProtobuf(
      '/api/v1/namespaces',
      encodeKubeProtobuf('v1', 'Namespace', { metadata: { name: 'from-protobuf', labels } }),
    );
    const json = await asJson('/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'from-json', labels },
    });
    expect([pb.status, json.status]).toEqual([201, 201]);
    expect(pb.json.metadata.labels).toEqual({ ...labels, 'kubernetes.io/metadata.name': 'from-protobuf' });
    expect(withoutIdentity(pb.json)).toEqual(withoutIdentity(json.json));
  });

  it('a pod with probes, quantities, int-or-string ports and a projected volume means the same in both', async () => {
    const container = (port: Record<string, unknown>) => ({
      name: 'app',
      image: 'nginx:1.27',
      resources: { limits: { memory: { string: '64Mi' } }, requests: { cpu: { string: '100m' } } },
      readinessProbe: { handler: { httpGet: { path: '/ready', port } }, periodSeconds: 5 },
      volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
    });
    const spec = (port: Record<string, unknown>) => ({
      containers: [container(port)],
      volumes: [
        {
          name: 'cfg',
          volumeSource: {
            projected: { sources: [{ configMap: { localObjectReference: { name: 'cfg' }, optional: true } }] },
          },
        },
      ],
      terminationGracePeriodSeconds: 0,
    });
    const named = await asProtobuf(
      PODS,
      encodeKubeProtobuf('v1', 'Pod', { metadata: { name: 'named-port' }, spec: spec({ type: 1, strVal: 'http' }) }),
    );
    const numbered = await asProtobuf(
      PODS,
      encodeKubeProtobuf('v1', 'Pod', { metadata: { name: 'numbered-port' }, spec: spec({ type: 0, intVal: 8080 }) }),
    );
    expect([named.status, numbered.status]).toEqual([201, 201]);
    const [c] = named.json.spec.containers;
    // (the memory request defaulted from the limit, as for JSON)
    expect(c.resources).toEqual({ limits: { memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } });
    expect(c.readinessProbe.httpGet.port).toBe('http');
    expect(numbered.json.spec.containers[0].readinessProbe.httpGet.port).toBe(8080);
    expect(named.json.spec.volumes[0]).toEqual({
      name: 'cfg',
      projected: { sources: [{ configMap: { name: 'cfg', optional: true } }], defaultMode: 420 },
    });
    // A pointer set to zero is kept: 0 s of grace is not "unset".
    expect(named.json.spec.terminationGracePeriodSeconds).toBe(0);
    const json = await asJson(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'json-port' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            resources: { limits: { memory: '64Mi' }, requests: { cpu: '100m' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
        volumes: [{ name: 'cfg', projected: { sources: [{ configMap: { name: 'cfg', optional: true } }] } }],
        terminationGracePeriodSeconds: 0,
      },
    });
    expect(withoutIdentity(named.json)).toEqual(withoutIdentity(json.json));
  });

  it('an invalid pod is refused with the same 422 in protobuf as in JSON', async () => {
    const pb = await asProtobuf(PODS, encodeKubeProtobuf('v1', 'Pod', { metadata: { name: 'empty' }, spec: {} }));
    const json = await asJson(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: {} });
    expect(pb.status).toBe(422);
    expect(pb.json).toEqual(json.json);
    expect(pb.json.message).toBe('Pod "empty" is invalid: spec.containers: Required value');
  });

  it.each([
    [
      'another kind of the same version',
      'v1',
      'Secret',
      'Secret in version "v1" cannot be handled as a Pod: converting (v1.Secret) to (core.Pod): unknown conversion',
    ],
    [
      'a kind of another group',
      'apps/v1',
      'Deployment',
      'Deployment in version "v1" cannot be handled as a Pod: converting (v1.Deployment) to (core.Pod): unknown conversion',
    ],
    [
      'a kind no group has',
      'v2',
      'Thing',
      'Thing in version "v2" cannot be handled as a Pod: no kind "Thing" is registered for version "v2" in scheme "pkg/runtime/scheme.go:111"',
    ],
  ])(
    '%s, sent to pods, is refused in both encodings as kube-apiserver refuses it',
    async (_what, apiVersion, kind, message) => {
      const pb = await asProtobuf(
        PODS,
        encodeKubeProtobuf(apiVersion, kind, { metadata: { name: 'x' } }, 'k8s.io.api.core.v1.Secret'),
      );
      const json = await asJson(PODS, { apiVersion, kind, metadata: { name: 'x' } });
      expect([pb.status, pb.json.reason, pb.json.message]).toEqual([400, 'BadRequest', message]);
      expect(json.json.message).toBe(message);
    },
  );

  it.each([
    [
      'JSON text',
      Buffer.from('{"kind":"Pod"}'),
      'the object provided is unrecognized (must be of type Pod): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Pod"})',
    ],
    [
      'the magic alone',
      bytes('k8s\0'),
      'the object provided is unrecognized (must be of type Pod): empty body (6b387300)',
    ],
    [
      'a truncated message',
      bytes('k8s\0', [0x0a, 0x09, 0x0a, 0x02], 'v1', [0x12, 0x03], 'Pod', [0x12, 0x03, 0xff, 0xff, 0xff]),
      'Pod in version "v1" cannot be handled as a Pod: unexpected EOF',
    ],
  ])('%s is refused with kube-apiserver’s 400', async (_what, body, message) => {
    const r = await asProtobuf(PODS, body);
    expect([r.status, r.json.reason, r.json.message]).toEqual([400, 'BadRequest', message]);
  });

  it('a patch has no protobuf form: 415', async () => {
    const r = await asProtobuf(`${PODS}/named-port`, encodeKubeProtobuf('v1', 'Pod', {}), 'PATCH');
    expect(r.status).toBe(415);
  });

  it('a SelfSubjectAccessReview in protobuf is answered in JSON', async () => {
    const review = (verb: string) =>
      encodeKubeProtobuf('authorization.k8s.io/v1', 'SelfSubjectAccessReview', {
        metadata: {},
        spec: { resourceAttributes: { namespace: 'pb', verb, group: '', resource: 'pods', subresource: 'log' } },
      });
    const undo = sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'pb' });
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const [get, list] = [await asProtobuf(path, review('get')), await asProtobuf(path, review('list'))];
    undo();
    expect([get.status, get.json.status.allowed, list.json.status.allowed]).toEqual([201, false, true]);
    // Zero-valued strings a typed client always writes are left out, as their JSON encoding does.
    expect(get.json.spec.resourceAttributes).toEqual({
      namespace: 'pb',
      verb: 'get',
      resource: 'pods',
      subresource: 'log',
    });
  });

  it('a Pod carrying ephemeral containers (the pods/ephemeralcontainers body) decodes with its inlined fields', () => {
    const decoded = decodeKubeProtobuf(
      encodeKubeProtobuf('v1', 'Pod', {
        metadata: { name: 'web', resourceVersion: '7' },
        spec: {
          containers: [{ name: 'app', image: 'nginx' }],
          ephemeralContainers: [
            {
              ephemeralContainerCommon: { name: 'debugger', image: 'busybox:1.37', stdin: true, tty: false },
              targetContainerName: 'app',
            },
          ],
        },
      }),
    );
    expect(decoded).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', resourceVersion: '7' },
      spec: {
        containers: [{ name: 'app', image: 'nginx' }],
        ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.37', stdin: true, targetContainerName: 'app' }],
      },
    });
  });
});

describe('real kubectl against the standalone simulator (npm run sim:kube)', () => {
  let child: ChildProcess;
  let kubeconfig: string;
  const home = mkdtempSync(join(tmpdir(), 'kubectl-pb-'));

  const kubectl = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const env = { PATH: process.env.PATH, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: join(home, 'cache') };
      execFile('kubectl', args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  beforeAll(async () => {
    kubeconfig = join(home, 'kubeconfig');
    // What `npm run sim:kube -- --kubeconfig F --no-scenario` runs, without npm in between.
    const tsx = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    child = spawn(
      process.execPath,
      ['--import', tsx, join(REPO_ROOT, 'test/sim/kube/main.ts'), '--kubeconfig', kubeconfig, '--no-scenario'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('kubeconfig written to')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sim:kube exited (${code}): ${out}`)));
    });
  }, 30_000);

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('create namespace, create serviceaccount, run, auth can-i --as and debug --copy-to all succeed', async () => {
    expect(await kubectl('create', 'namespace', 'shop')).toMatchObject({ code: 0, stdout: 'namespace/shop created\n' });
    expect(await kubectl('create', 'serviceaccount', 'web', '-n', 'shop')).toMatchObject({
      code: 0,
      stdout: 'serviceaccount/web created\n',
    });
    expect(
      await kubectl(
        'run',
        'web',
        '-n',
        'shop',
        '--image=nginx:1.27',
        '--labels=app=web',
        '--overrides',
        '{"spec":{"serviceAccountName":"web"}}',
      ),
    ).toMatchObject({ code: 0, stdout: 'pod/web created\n' });
    expect(
      await kubectl(
        'auth',
        'can-i',
        'get',
        'pods',
        '-n',
        'shop',
        '--as',
        'system:serviceaccount:debugdead-system:debugdead',
      ),
    ).toMatchObject({ code: 0, stdout: 'yes\n' });
    const debug = await kubectl(
      'debug',
      'web',
      '-n',
      'shop',
      '--copy-to=web-copy',
      '--container=web',
      '--',
      'sleep',
      '3600',
    );
    expect(debug.code, debug.stderr).toBe(0);

    const get = async (name: string) =>
      JSON.parse((await kubectl('get', 'pod', name, '-n', 'shop', '-o', 'json')).stdout);
    const [source, copy] = [await get('web'), await get('web-copy')];
    expect(copy.spec.containers[0].command).toEqual(['sleep', '3600']);
    expect(copy.spec.serviceAccountName).toBe('web');
    // The copy sent in protobuf is the source's spec (but for the command), and kubectl's legacy profile drops labels.
    const { command, ...copied } = copy.spec.containers[0];
    expect(copied).toEqual(source.spec.containers[0]);
    expect(copy.metadata.labels).toBeUndefined();
  });
});
