/** The workloads room's front door: pure pieces for diagnosing a workload through its worst pod. */
export { isPodOf } from './is-pod-of.js';
export { toLabelSelector } from './label-selector.js';
export { HEALTH_ORDER, type PodHealth, type PodStanding, rankPodHealth, sortByHealth } from './rank-pod-health.js';
export { renderWorkloadPods, SIBLINGS_SHOWN } from './render-workload-pods.js';
