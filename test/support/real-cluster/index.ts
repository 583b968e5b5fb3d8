// The e2e tests' real Kubernetes backend: a control plane from test/control-plane with deploy/'s access applied.
export { type AdminApi, createAdminApi, type KubeJson, type RealClusterInfo } from './admin-api.js';
export { asUserCreates, collectionPathOf } from './as-user-creates.js';
export { BOT_SERVICE_ACCOUNT, installAccess } from './install-access.js';
export { type BotAccessOptions, buildTokenKubeconfig, prepareBotAccess } from './prepare-bot-access.js';
export { type KubeletRulesEndpoint, ruleToJson, serveKubeletRules } from './serve-kubelet-rules.js';
export { type RealCluster, startRealCluster } from './start-real-cluster.js';
