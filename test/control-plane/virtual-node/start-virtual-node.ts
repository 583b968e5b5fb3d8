import { readFile } from 'node:fs/promises';
import { issueCertificate } from '../generate-certificates.js';
import { type ClientTls, requestUrl, type UrlResponse } from '../request-url.js';
import type { ControlPlane } from '../start-control-plane.js';
import { buildLease } from './build-lease.js';
import { buildNode, type NodeSpecInput } from './build-node.js';

export interface VirtualNodeOptions {
  name: string;
  /** Lease renewal period. @defaultValue 10000 (the kubelet's: a quarter of the 40 s lease) */
  renewIntervalMs?: number;
  capacity?: NodeSpecInput['capacity'];
  kubeletPort?: number;
  labels?: NodeSpecInput['labels'];
  kubeletVersion?: string;
}

export interface VirtualNode {
  name: string;
  /** The node's own client TLS: user system:node:<name>, group system:nodes. */
  tls: ClientTls;
  /** Lease renewals that succeeded so far. */
  renewals(): number;
  /** Stops renewing the Lease (the node goes Unknown after the grace period); the Node stays. */
  stop(): Promise<void>;
}

/**
 * Registers a Node as a kubelet does, with the kubelet's own identity (so the Node authorizer and the
 * NodeRestriction admission plugin judge every write), then renews its Lease in kube-node-lease.
 */
export async function startVirtualNode(
  plane: Pick<ControlPlane, 'server' | 'certificates' | 'adminTls'>,
  options: VirtualNodeOptions,
): Promise<VirtualNode> {
  const pair = await issueCertificate(plane.certificates.dir, {
    file: `node-${options.name}`,
    commonName: `system:node:${options.name}`,
    organizations: ['system:nodes'],
  });
  const tls: ClientTls = {
    ca: plane.adminTls.ca,
    cert: await readFile(pair.cert, 'utf8'),
    key: await readFile(pair.key, 'utf8'),
  };
  const call = async (method: string, path: string, body?: unknown): Promise<UrlResponse> =>
    requestUrl(method, `${plane.server}${path}`, { tls, body });
  const must = (res: UrlResponse, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.body}`);
    return JSON.parse(res.body);
  };

  let created = await call(
    'POST',
    '/api/v1/nodes',
    buildNode({
      name: options.name,
      now: new Date(),
      ...(options.capacity ? { capacity: options.capacity } : {}),
      ...(options.kubeletPort ? { kubeletPort: options.kubeletPort } : {}),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.kubeletVersion ? { kubeletVersion: options.kubeletVersion } : {}),
    }),
  );
  // A kubelet restarting finds its Node already registered.
  if (created.status === 409) created = await call('GET', `/api/v1/nodes/${options.name}`);
  const node = must(created, `registering node ${options.name}`);
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${options.name}`;

  let resourceVersion: string | undefined;
  let renewals = 0;
  const renew = async () => {
    const lease = buildLease({ node: options.name, nodeUid: node.metadata.uid, now: new Date(), resourceVersion });
    let res = resourceVersion
      ? await call('PUT', leasePath, lease)
      : await call('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease);
    if (res.status === 409) {
      // Someone else wrote it (or it exists from an earlier run): read the current version and renew over it.
      const current = await call('GET', leasePath);
      if (current.status === 200) {
        const rv = JSON.parse(current.body).metadata.resourceVersion;
        res = await call('PUT', leasePath, { ...lease, metadata: { ...lease.metadata, resourceVersion: rv } });
      }
    }
    const saved = must(res, `renewing the Lease of ${options.name}`);
    resourceVersion = saved.metadata.resourceVersion;
    renewals += 1;
  };
  await renew();

  let stopped = false;
  let pending: Promise<void> | undefined;
  const timer = setInterval(() => {
    // One renewal at a time; a failed one is retried at the next tick, as the kubelet's lease controller does.
    if (stopped || pending) return;
    pending = renew()
      .catch(() => {})
      .finally(() => {
        pending = undefined;
      });
  }, options.renewIntervalMs ?? 10_000);
  timer.unref();
  return {
    name: options.name,
    tls,
    renewals: () => renewals,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await pending;
    },
  };
}
