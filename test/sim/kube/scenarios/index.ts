import { buildNode } from './build-objects.js';
import { loadDefaultScenario } from './default-scenario.js';
import { createOrKeep, type ScenarioContext } from './scenario-context.js';
import { loadWorkloadsScenario } from './workloads-scenario.js';

export { buildDaemonSet, buildJob, buildStatefulSet } from './build-controllers.js';
export {
  buildNamespace,
  buildNode,
  buildWorkload,
  defaultPodSpec,
  type NodeOptions,
  type WorkloadSpec,
} from './build-objects.js';
export { DEFAULT_APPS, DEFAULT_POD_NAMES, DEFAULT_RULES } from './default-scenario.js';
export { type FillOptions, fillPods } from './fill-pods.js';
export type { ScenarioContext } from './scenario-context.js';
export { WORKLOAD_RULES } from './workloads-scenario.js';

const SCENARIOS: Record<string, (ctx: ScenarioContext) => void> = {
  /** Namespace `demo`: one pod per failure kind (see default-scenario.ts). */
  default: loadDefaultScenario,
  /** Namespace `shop`: failing pods under a Deployment, StatefulSet, Job and DaemonSet, and a bare pod. */
  workloads: loadWorkloadsScenario,
  /** Both of the above. */
  all: (ctx) => {
    loadDefaultScenario(ctx);
    loadWorkloadsScenario(ctx);
  },
  /** Nothing but three empty nodes: for tests that bring their own pods. */
  empty: (ctx) => {
    for (let i = 1; i <= 3; i++) createOrKeep(ctx.store, 'nodes', buildNode(`node-${i}`, { index: i }));
  },
};

/** The scenarios `loadScenario` knows. */
export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);

/**
 * Loads a named scenario into the cluster: its objects into the store and its container rules into the kubelet.
 * Throws naming the known scenarios when the name is unknown.
 */
export async function loadScenario(name: string, ctx: ScenarioContext): Promise<void> {
  const load = SCENARIOS[name];
  if (!load) throw new Error(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  load(ctx);
}
