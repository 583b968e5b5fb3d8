// The front door of src/kube: other rooms import from here.
export { isBelievableOwner } from './believable-owner.js';
export { closestPodNames, editDistance } from './closest-pod-names.js';
export { describeKubeRequest, type KubeRequestName } from './describe-kube-request.js';
export { isKubeError, KubeError, type KubeErrorKind } from './errors.js';
export { type ForbiddenRule, forbiddenRule } from './forbidden-rule.js';
export {
  type AccessQuestion,
  createKubeClient,
  type KubeClient,
  type KubeClientOptions,
  type KubeRequestObservation,
  type ListPodsOptions,
  OWNER_KINDS,
  type OwnerKind,
  type ReadLogOptions,
  type Workload,
} from './kube-client.js';
export {
  type KubeConfigSource,
  type LoadKubeConfigOptions,
  loadKubeConfig,
  loadKubeConfigWithSource,
} from './load-kube-config.js';
export { type KubeCallContext, toKubeError } from './to-kube-error.js';
export type * from './types.js';
export * from './watch-pods.js';
