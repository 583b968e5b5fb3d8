/**
 * The simulated Kubernetes cluster for tests and demos: the API server (test/sim/kube/server) and the simulated
 * kubelet/scheduler (test/sim/kube/kubelet) over one MemoryStore.
 *
 *   const sim = await startKubeSim({ clock: new ManualClock(), scenario: 'default' });
 *   await sim.writeKubeconfig(file);          // client-node: KubeConfig.loadFromFile(file); kubectl: KUBECONFIG=file
 *   sim.clock.advance(30_000);                // pods crash, back off, restart
 *   sim.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'demo' });
 *   sim.faults.error({ status: 429, verb: 'list', retryAfterSeconds: 2, times: 1 });
 *   await sim.close();
 *
 * Requests with a bearer token must carry `sim.token`; requests without one (kubectl: client-go sends kubeconfig
 * credentials only over TLS) act as the same user. Watches close after `watchTimeoutSeconds` of cluster time.
 */
import { writeFile } from 'node:fs/promises';
import { type Clock, RealClock } from './clock.js';
import { Kubelet } from './kubelet/kubelet.js';
import { DEFAULT_TOKEN, type DenyRule, type Faults, KubeApiServer, type RecordedRequest } from './server/index.js';
import { MemoryStore } from './store.js';

export type { Clock } from './clock.js';
export { ManualClock, RealClock } from './clock.js';
export type {
  DenyRule,
  ErrorFault,
  FaultMatch,
  Faults,
  LogParams,
  LogReader,
  RecordedRequest,
} from './server/index.js';
export { MemoryStore } from './store.js';

/** Options of {@link startKubeSim}. */
export interface KubeSimOptions {
  /** Port on 127.0.0.1. @defaultValue 0 (a free port) */
  port?: number;
  /** The cluster's clock; tests pass a ManualClock and advance it. @defaultValue new RealClock() */
  clock?: Clock;
  /** A scenario from test/sim/kube/scenarios to load. @defaultValue none */
  scenario?: string;
  /** Fill the cluster with this many running pods (scale tests). @defaultValue 0 */
  pods?: number;
  /** Changes kept for watch resume before 410 Expired. @defaultValue 10000 */
  historySize?: number;
  /** Server-side watch timeout when clients give none. @defaultValue 1800 */
  watchTimeoutSeconds?: number;
  /** Events expire this long after their last write, as with kube-apiserver's --event-ttl; 0 keeps them. @defaultValue 3600 */
  eventTTLSeconds?: number;
}

/** A running simulated cluster. */
export interface KubeSim {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  store: MemoryStore;
  clock: Clock;
  kubelet: Kubelet;
  server: KubeApiServer;
  /** The bearer token the kubeconfig carries. */
  token: string;
  /**
   * Writes a kubeconfig for this cluster (context `kube-sim` selected) that client-node and kubectl both accept: the
   * bot's (the token's user), or with `user` one whose every request is that user's (KubeApiServer.listenAs).
   */
  writeKubeconfig(path: string, opts?: { namespace?: string; user?: string }): Promise<void>;
  /** Fault injection: latency, error answers, hangs, watch drops, forced 410. */
  faults: Faults;
  rbac: {
    deny(rule: DenyRule): () => void;
    clear(): void;
    /** Every kind of request the bot's token made and RBAC allowed: the bot's actual use of its roles. */
    recorded(): RecordedRequest[];
  };
  close(): Promise<void>;
}

/** A kubeconfig (YAML) for a simulated cluster at `url`. */
export function kubeconfigYaml(url: string, token: string, namespace = 'default'): string {
  // Plain http: client-node needs `insecure-skip-tls-verify: true` on the cluster entry to accept it.
  return `apiVersion: v1
kind: Config
clusters:
- name: kube-sim
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
users:
- name: kube-sim-user
  user:
    token: ${token}
contexts:
- name: kube-sim
  context:
    cluster: kube-sim
    user: kube-sim-user
    namespace: ${namespace}
current-context: kube-sim
preferences: {}
`;
}

/** Starts the simulated API server and kubelet on 127.0.0.1, loading a scenario when asked. */
export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const clock = opts.clock ?? new RealClock();
  const store = new MemoryStore({ clock, historySize: opts.historySize });
  const server = new KubeApiServer({
    store,
    clock,
    watchTimeoutSeconds: opts.watchTimeoutSeconds,
    eventTTLSeconds: opts.eventTTLSeconds,
  });
  const kubelet = new Kubelet(store, clock);
  server.logs = kubelet;
  server.execs = kubelet;
  const url = await server.listen(opts.port ?? 0);
  if (opts.scenario || opts.pods) {
    const { loadScenario, fillPods } = await import('./scenarios/index.js');
    if (opts.scenario) await loadScenario(opts.scenario, { store, clock, kubelet });
    if (opts.pods) await fillPods({ store, clock, kubelet }, opts.pods);
  }
  kubelet.start();
  return {
    url,
    store,
    clock,
    kubelet,
    server,
    token: DEFAULT_TOKEN,
    writeKubeconfig: async (path, o = {}) =>
      writeFile(path, kubeconfigYaml(o.user ? await server.listenAs(o.user) : url, DEFAULT_TOKEN, o.namespace)),
    faults: server.faults,
    rbac: {
      deny: (rule) => server.rbac.deny(rule),
      clear: () => server.rbac.clear(),
      recorded: () => server.rbac.recorded(),
    },
    close: async () => {
      kubelet.stop();
      await server.close();
    },
  };
}
