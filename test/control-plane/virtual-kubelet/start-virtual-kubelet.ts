import { readFile } from 'node:fs/promises';
import { type Clock, RealClock } from '../../sim/kube/clock.js';
import { type ContainerRule, Kubelet, type KubeletOptions } from '../../sim/kube/kubelet/index.js';
import { MemoryStore } from '../../sim/kube/store.js';
import { readControlPlaneRelease } from '../control-plane-release.js';
import { issueCertificate } from '../generate-certificates.js';
import { type ClientTls, requestUrl } from '../request-url.js';
import type { ControlPlane } from '../start-control-plane.js';
import { startVirtualNode, type VirtualNode } from '../virtual-node/index.js';
import { type NodeCall, WriteForwarder } from './forward-writes.js';
import { mirrorNodePods, type NodePodsMirror } from './mirror-node-pods.js';
import { readScenario } from './read-scenario.js';
import { serveKubeletApi } from './serve-kubelet-api.js';

type Json = any;

/** The release of the control plane it joins, as a kubeadm node's kubelet matches it. */
const KUBELET_VERSION = readControlPlaneRelease().kubernetes;
/** As a kubelet introduces itself: the API server records its writes under the field manager `kubelet`. */
const KUBELET_USER_AGENT = `kubelet/${KUBELET_VERSION} (linux/amd64) debugdead-virtual-kubelet`;

export interface VirtualKubeletOptions {
  /**
   * The control plane to join: its server, its CA's files (to issue the nodes' certificates, in
   * `certificates.dir`) and the admin TLS (whose CA also signed the API server's kubelet client certificate).
   */
  plane: Pick<ControlPlane, 'server' | 'certificates' | 'adminTls'>;
  /** Nodes to register and run pods for. @defaultValue the scenario's nodes, else ['node-1'] */
  nodeNames?: string[];
  /**
   * A simulator scenario (`default`, `workloads`, `all`, `empty`; see test/sim/kube/scenarios) to set up once the
   * nodes are ready: its objects are created as the admin, its rules follow `rules`, its Nodes are registered.
   */
  scenario?: string;
  /** Container behaviour rules, before the built-in image catalogue (see test/sim/kube/kubelet/behaviour.ts). */
  rules?: ContainerRule[];
  /** Time for the behaviour rules (back-off, probes, exits). @defaultValue a RealClock */
  clock?: Clock;
  /** Timings of the kubelet (sync delay, stop time, config retry). */
  kubelet?: Omit<KubeletOptions, 'rules'>;
  /** Capacity of each node. @defaultValue { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity?: Record<string, string>;
  /** Writes the API server refused, and other trouble. @defaultValue silent */
  log?: (line: string) => void;
}

export interface VirtualKubelet {
  nodes: VirtualNode[];
  /** The kubelet API port every node advertises (status.daemonEndpoints.kubeletEndpoint.Port) on 127.0.0.1. */
  port: number;
  /** The behaviour rules engine, shared with the in-process simulator; `addRule` applies to containers started later. */
  kubelet: Kubelet;
  /** Adds a container behaviour rule after the existing ones. */
  addRule(rule: ContainerRule): void;
  /** Resolves once every status, deletion and Event written so far has been answered by the API server. */
  idle(): Promise<void>;
  /** Stops the kubelet, its watches, Lease renewals and the kubelet API; pods and Nodes stay in the cluster. */
  stop(): Promise<void>;
}

/**
 * The simulator's kubelet (test/sim/kube/kubelet: images, exits, OOM, probes, back-off, pull and config errors,
 * per-instance logs, Events) running pods for Nodes registered with a real API server. Each node registers and
 * renews its Lease, watches its pods and writes their status, deletions and Events with its own identity
 * (`system:node:<name>` in `system:nodes`, judged by the Node authorizer and NodeRestriction). The rules act on a
 * local mirror of the node's pods (the same MemoryStore the simulator uses); a forwarder carries the kubelet's writes
 * to the API server. Logs are served on the kubelet API, which `kubectl logs` reaches through the API server's
 * proxy.
 */
export async function startVirtualKubelet(options: VirtualKubeletOptions): Promise<VirtualKubelet> {
  const { plane } = options;
  const log = options.log ?? (() => {});
  const clock = options.clock ?? new RealClock();
  const scenario = options.scenario ? await readScenario(options.scenario, clock) : undefined;
  const scenarioNodes = new Map((scenario?.nodes ?? []).map((n) => [n.name, n]));
  const nodeNames = options.nodeNames ?? (scenario ? [...scenarioNodes.keys()] : ['node-1']);
  const store = new MemoryStore({ clock });
  const rules = [...(options.rules ?? []), ...(scenario?.rules ?? [])];
  const kubelet = new Kubelet(store, clock, { ...options.kubelet, rules });
  const tlsByNode = new Map<string, ClientTls>();
  const call: NodeCall = (node, method, path, body, contentType) => {
    const tls = tlsByNode.get(node) ?? tlsByNode.values().next().value;
    return requestUrl(method, `${plane.server}${path}`, {
      tls,
      body,
      ...(contentType ? { contentType } : {}),
      timeoutMs: 10_000,
      userAgent: KUBELET_USER_AGENT,
    });
  };
  const forwarder = new WriteForwarder(store, call, log);

  const serving = await issueCertificate(plane.certificates.dir, {
    file: 'virtual-kubelet-serving',
    commonName: 'virtual-kubelet',
    altNames: ['IP:127.0.0.1', 'DNS:localhost'],
  });
  const api = await serveKubeletApi({
    cert: await readFile(serving.cert, 'utf8'),
    key: await readFile(serving.key, 'utf8'),
    clientCa: plane.adminTls.ca ?? '',
    findPod: (ns, name) => {
      const pod = store.peek('pods', ns, name);
      if (!pod?.spec?.nodeName || !tlsByNode.has(pod.spec.nodeName)) return undefined;
      const spec = pod.spec;
      const all: Json[] = [
        ...(spec.initContainers ?? []),
        ...(spec.containers ?? []),
        ...(spec.ephemeralContainers ?? []),
      ];
      return { containers: all.map((c) => c.name) };
    },
    readLog: (ns, name, params) => kubelet.readLog(ns, name, params),
    isRunning: (ns, name, container) => {
      const status = store.peek('pods', ns, name)?.status ?? {};
      const all: Json[] = [
        ...(status.initContainerStatuses ?? []),
        ...(status.containerStatuses ?? []),
        ...(status.ephemeralContainerStatuses ?? []),
      ];
      return !!all.find((c) => c.name === container)?.state?.running;
    },
    now: () => clock.now(),
  });

  const nodes: VirtualNode[] = [];
  const mirrors: NodePodsMirror[] = [];
  const stop = async () => {
    for (const m of mirrors) m.stop();
    kubelet.stop();
    forwarder.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    await api.close();
  };
  try {
    for (const name of nodeNames) {
      const wanted = scenarioNodes.get(name);
      const capacity = options.capacity ?? wanted?.capacity;
      const node = await startVirtualNode(plane, {
        name,
        kubeletPort: api.port,
        ...(capacity ? { capacity } : {}),
        ...(wanted ? { labels: wanted.labels } : {}),
        kubeletVersion: KUBELET_VERSION,
      });
      nodes.push(node);
      tlsByNode.set(name, node.tls);
      const res = await call(name, 'GET', `/api/v1/nodes/${name}`);
      if (res.status !== 200) throw new Error(`reading node ${name}: HTTP ${res.status} ${res.body}`);
      forwarder.fromApi(() => store.create('nodes', JSON.parse(res.body)));
    }
    kubelet.start();
    for (const name of nodeNames) {
      mirrors.push(
        mirrorNodePods({
          node: name,
          server: plane.server,
          tls: tlsByNode.get(name)!,
          store,
          forwarder,
          call,
          onError: log,
        }),
      );
    }
    await Promise.all(mirrors.map((m) => m.synced));
    // A new Node carries node.kubernetes.io/not-ready:NoSchedule (TaintNodesByCondition) until the node-lifecycle
    // controller sees it Ready; pods created before then get a FailedScheduling event first.
    await Promise.all(nodeNames.map((name) => untainted(call, name, Date.now() + 60_000)));
    await scenario?.apply(plane);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    nodes,
    port: api.port,
    kubelet,
    addRule: (rule) => kubelet.addRule(rule),
    idle: () => forwarder.idle(),
    stop,
  };
}

/** Resolves once the Node has no `node.kubernetes.io/not-ready` taint; throws after `deadline`. */
async function untainted(call: NodeCall, name: string, deadline: number): Promise<void> {
  for (;;) {
    const res = await call(name, 'GET', `/api/v1/nodes/${name}`);
    const taints: Json[] = res.status === 200 ? (JSON.parse(res.body).spec?.taints ?? []) : [{}];
    if (!taints.some((t) => t.key === 'node.kubernetes.io/not-ready' || t.key === undefined)) return;
    if (Date.now() > deadline) throw new Error(`node ${name} still tainted not-ready: ${res.body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
