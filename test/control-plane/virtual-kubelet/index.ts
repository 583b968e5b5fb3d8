// The simulator's kubelet rules acting through a real API server: Nodes, pod status, Events, logs, deletion.
export { buildStatusPatch } from './build-status-patch.js';
export { type ConfigReference, listConfigReferences } from './list-config-references.js';
export { type LogRequest, parseLogRequest } from './parse-log-request.js';
export {
  type PlanOptions,
  planScenarioRequests,
  type ScenarioNode,
  type ScenarioRequest,
} from './plan-scenario-requests.js';
export { type RealScenario, readScenario } from './read-scenario.js';
export { startVirtualKubelet, type VirtualKubelet, type VirtualKubeletOptions } from './start-virtual-kubelet.js';
