import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/kube/types.js';
import { forCreate, REFUSED, SHAPES } from '../debugpods/clone-corpus.js';
import { decodeKubeProtobuf, PROTOBUF_MEDIA_TYPE } from '../sim/kube/protobuf/decode-kube-protobuf.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { type CorpusClients, corpusClients, prepareCorpusCluster } from './prepare-corpus-cluster.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';

// The simulator's protobuf decoder against Kubernetes' own encoder: kube-apiserver answers a GET in protobuf or in
// JSON as asked, so each object it stores, in both encodings, must decode to the same thing. The objects are the
// clone corpus (defaults, admission, managedFields, probes with int-or-string ports, quantities, times) and one of
// each other kind the simulator serves. Skipped without the binaries (`npm run control-plane:build`).
const missing = findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined;
const suite = missing ? describe.skip : describe;
if (missing) console.warn(missing);

const NS = 'protobuf';

/** Objects besides the corpus pods, by API path (the collection) and body. */
const OTHERS: [string, Record<string, unknown>][] = [
  [`/api/v1/namespaces/${NS}/configmaps`, { metadata: { name: 'cm' }, data: { a: '1' }, binaryData: { b: 'AAEC' } }],
  [`/api/v1/namespaces/${NS}/secrets`, { metadata: { name: 's' }, type: 'Opaque', data: { token: 'c2VjcmV0' } }],
  [
    `/api/v1/namespaces/${NS}/services`,
    {
      metadata: { name: 'svc' },
      spec: {
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9100, targetPort: 9100 },
        ],
      },
    },
  ],
  [`/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: 'sa', labels: { team: 'a' } } }],
  [
    `/apis/apps/v1/namespaces/${NS}/deployments`,
    {
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { limits: { memory: '64Mi' } } }] },
        },
      },
    },
  ],
  [
    `/apis/batch/v1/namespaces/${NS}/jobs`,
    {
      metadata: { name: 'job' },
      spec: {
        completions: 3,
        completionMode: 'Indexed',
        suspend: true,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1.37' }] } },
      },
    },
  ],
  [
    `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`,
    {
      metadata: { name: 'lease' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: '2026-12-07T04:00:00.123456Z' },
    },
  ],
];

suite(missing ? `protobuf bodies decoded as JSON: skipped. ${missing}` : 'protobuf bodies decoded as JSON', () => {
  let plane: ControlPlane;
  let api: CorpusClients;

  /** GET `path` from kube-apiserver as the admin, asking for `accept`; the raw body. */
  function fetchAs(path: string, accept: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const { ca, cert, key } = plane.adminTls;
      const req = request(`${plane.server}${path}`, { headers: { accept }, ca, cert, key }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`GET ${path}: ${res.statusCode} ${Buffer.concat(chunks)}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  async function expectSameObject(path: string) {
    // Both reads of one version: a controller (the scheduler) may write the object between them.
    for (let attempt = 0; ; attempt++) {
      const [pb, json] = [await fetchAs(path, PROTOBUF_MEDIA_TYPE), await fetchAs(path, 'application/json')];
      expect(pb.subarray(0, 4).toString('latin1')).toBe('k8s\0');
      const [decoded, want] = [decodeKubeProtobuf(pb), JSON.parse(json.toString('utf8'))];
      const version = (o: unknown) => (o as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
      if (version(decoded) !== version(want) && attempt < 5) continue;
      expect(decoded).toEqual(want);
      return;
    }
  }

  beforeAll(async () => {
    plane = await startControlPlane();
    api = corpusClients(plane.kubeconfig);
    await prepareCorpusCluster(api, true, [NS]);
  }, 240_000);

  afterAll(async () => {
    await plane?.stop();
  }, 60_000);

  it.each([...SHAPES, ...REFUSED])('$name: the pod decodes from protobuf to its JSON', async ({ source }) => {
    const body: Pod = forCreate(source());
    const ns = body.metadata!.namespace!;
    body.metadata!.name = `pb-${body.metadata!.name!.slice(0, 40)}`;
    await api.core.createNamespacedPod({ namespace: ns, body }).catch(() => undefined);
    await expectSameObject(`/api/v1/namespaces/${ns}/pods/${body.metadata!.name}`);
  });

  it.each(OTHERS)('%s: each kind decodes from protobuf to its JSON', async (collection, body) => {
    const { ca, cert, key } = plane.adminTls;
    const created = await new Promise<string>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        `${plane.server}${collection}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, ca, cert, key },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => (res.statusCode === 201 ? resolve(text) : reject(new Error(text))));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    expect(JSON.parse(created).metadata.name).toBe((body.metadata as { name: string }).name);
    await expectSameObject(`${collection}/${(body.metadata as { name: string }).name}`);
  });

  it.each([
    ['a namespace', '/api/v1/namespaces/protobuf'],
    ['a node-less PriorityClass', '/apis/scheduling.k8s.io/v1/priorityclasses/edge-critical'],
    ['a RuntimeClass with overhead', '/apis/node.k8s.io/v1/runtimeclasses/kata'],
    ['the default ServiceAccount', `/api/v1/namespaces/${NS}/serviceaccounts/default`],
  ])('%s decodes from protobuf to its JSON', async (_what, path) => {
    await expectSameObject(path);
  });
});
