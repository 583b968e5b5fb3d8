// Front door of src/debugpods: pure builders of the pods we create, and the marks that say a pod is ours.

export { buildDebugClone } from './build-debug-clone.js';
export {
  type BuiltDebugContainer,
  buildDebugContainer,
  type DebugContainerRequest,
} from './build-debug-container.js';
export { buildNodeShell, HOST_ROOT_DIR, NODE_SHELL_ENTRY } from './build-node-shell.js';
export type { BuildIds, BuiltPod } from './built-pod.js';
export {
  CLONE_DEFAULTS,
  type CloneOptions,
  type CloneRequest,
  DEFAULT_HELPER_IMAGE,
  type OptionalRef,
} from './clone-options.js';
export { BUSYBOX_PATH, CLONE_SHELL, TOOLS_DIR, TOOLS_NAME } from './clone-steps.js';
export { DebugPodError, type DebugPodErrorKind } from './debug-pod-error.js';
export {
  DEBUG_PROFILE_SPECS,
  DEBUG_PROFILES,
  type DebugProfile,
  type DebugProfileSpec,
  isDebugProfile,
  type PodSecurityLevel,
  podSecurityLevelOf,
  profileAdmitted,
  profilesAdmittedAt,
} from './debug-profiles.js';
export * from './labels.js';
export { debugPodKind, expiresAt, isManagedPod, requestIdOf } from './managed-pod.js';
export { nameSuffix } from './name-suffix.js';
export {
  DEFAULT_NODE_SHELL_IMAGE,
  NODE_SHELL_DEFAULTS,
  type NodeShellOptions,
  type NodeShellRequest,
} from './node-shell-options.js';
export { isBestEffort, isGuaranteed, isMirrorPod, isWindowsPod, MIRROR_ANNOTATION } from './pod-facts.js';
export { cloneName, MAX_NAME_LENGTH, nodeShellName, toLabelValue } from './pod-names.js';
export { renderKubeCommand } from './render-kube-command.js';
export { shellJoin } from './shell-join.js';
