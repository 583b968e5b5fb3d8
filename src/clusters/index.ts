// The front door of src/clusters: many clusters, one Slack app (README "Many clusters").

export { agentAclRules, agentAclUser } from './agent-acl.js';
export {
  AgentGone,
  type AgentHealth,
  agentHealth,
  describeAge,
  HEARTBEAT_DEFAULTS,
  type Heartbeat,
  parseHeartbeat,
} from './agent-health.js';
export { CLUSTER_NAME, type ClusterChannel, clusterKey, clusterKeyPattern, clusterQueueName } from './cluster-keys.js';
export { deriveClusterKey } from './derive-cluster-key.js';
export { CLUSTER_USAGE, type ClusterAddress, extractClusterAddress } from './extract-cluster-address.js';
export { type ClusterChoice, pickCluster } from './pick-cluster.js';
export { type Role, readRole } from './read-role.js';
export { type ClusterRow, renderClusters } from './render-clusters.js';
export type { Report } from './report.js';
export { clusterNames, kubectlContextOf, resolveClusterConfig } from './resolve-cluster-config.js';
export {
  type SignedTask,
  signTask,
  TASK_KINDS,
  type Task,
  type TaskKind,
  type TaskProblem,
  taskPayload,
  verifyTask,
} from './sign-task.js';
export { withKubeContext } from './with-kube-context.js';
