// The front door of src/gateway: the Slack-facing role of many clusters (README "Many clusters").
export { applyReport, ReportRefused } from './apply-report.js';
export { clusterDeps } from './cluster-deps.js';
export { type ClusterDirectory, type ClusterLinkPort, createClusterDirectory } from './cluster-directory.js';
export { type ConnectClustersOptions, connectClusters } from './connect-clusters.js';
export { noClusterAccess } from './no-cluster-access.js';
