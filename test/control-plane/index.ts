// The real control plane for tests: built once per machine (`npm run control-plane:build`), started per test file.
export {
  type ControlPlaneRelease,
  controlPlaneBinDir,
  findControlPlaneBinaries,
  HOW_TO_BUILD_CONTROL_PLANE,
  readControlPlaneRelease,
} from './control-plane-release.js';
export { type KubectlResult, runKubectl } from './run-kubectl.js';
export { type ControlPlane, type ControlPlaneOptions, startControlPlane } from './start-control-plane.js';
export {
  startVirtualKubelet,
  type VirtualKubelet,
  type VirtualKubeletOptions,
} from './virtual-kubelet/index.js';
