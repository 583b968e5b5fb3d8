import type { Clock } from '../../sim/kube/clock.js';
import type { ContainerRule } from '../../sim/kube/kubelet/index.js';
import { loadScenario } from '../../sim/kube/scenarios/index.js';
import { MemoryStore } from '../../sim/kube/store.js';
import { requestUrl } from '../request-url.js';
import type { ControlPlane } from '../start-control-plane.js';
import {
  type PlanOptions,
  planScenarioRequests,
  type ScenarioNode,
  type ScenarioRequest,
} from './plan-scenario-requests.js';

/** A scenario read for the real control plane: its container rules, its Nodes, and the creates that set it up. */
export interface RealScenario {
  rules: ContainerRule[];
  nodes: ScenarioNode[];
  /** The creates, in order (see planScenarioRequests). */
  requests: ScenarioRequest[];
  /**
   * Creates the scenario's objects as the admin (an object that already exists is kept), waiting after each new
   * namespace for its `default` ServiceAccount: pods cannot be created in a namespace before the controller manager
   * has made it.
   */
  apply(plane: Pick<ControlPlane, 'server' | 'adminTls'>): Promise<void>;
}

/**
 * Reads a simulator scenario (test/sim/kube/scenarios: `default`, `workloads`, `all`, `empty`) for the real control
 * plane: the scenario loads into a scratch store as it does for the simulator, and what it loaded becomes user
 * creates (see planScenarioRequests; `keepPodNames` keeps the pods' literal names, as the e2e tests' real backend
 * needs), rules for the virtual kubelet and the Nodes to register. The one loader of both.
 */
export async function readScenario(name: string, clock: Clock, options: PlanOptions = {}): Promise<RealScenario> {
  const store = new MemoryStore({ clock });
  const rules: ContainerRule[] = [];
  const resources = new Set<string>();
  store.subscribe((change) => resources.add(change.resource));
  await loadScenario(name, { store, clock, kubelet: { addRule: (rule) => rules.push(rule) } });
  const byResource = Object.fromEntries([...resources].map((r) => [r, store.list(r)]));
  const { requests, nodes } = planScenarioRequests(byResource, options);
  return {
    rules,
    nodes,
    requests,
    apply: async (plane) => {
      for (const r of requests) {
        const res = await requestUrl('POST', `${plane.server}${r.path}`, { tls: plane.adminTls, body: r.body });
        if (res.status >= 300 && res.status !== 409) {
          throw new Error(`scenario ${name}: POST ${r.path} ${r.body.metadata.name}: HTTP ${res.status} ${res.body}`);
        }
        if (r.path === '/api/v1/namespaces') await waitForDefaultServiceAccount(plane, r.body.metadata.name);
      }
    },
  };
}

async function waitForDefaultServiceAccount(plane: Pick<ControlPlane, 'server' | 'adminTls'>, namespace: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await requestUrl('GET', `${plane.server}/api/v1/namespaces/${namespace}/serviceaccounts/default`, {
      tls: plane.adminTls,
    });
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${namespace} after 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
