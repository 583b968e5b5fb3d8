// Front door of src/actions: the action model's pure core (ids, kinds, privilege, signed grants).
export {
  ACTION_KINDS,
  type ActionKind,
  type ActionKindSpec,
  type ClassRule,
  classRule,
  type PrivilegeClass,
  privilegeClassOf,
} from './action-kinds.js';
export {
  type ActionRef,
  BUTTON,
  formatActionId,
  isDiagnosisId,
  jobIdOf,
  parseActionId,
  REQUEST_BUTTON_PATTERN,
  requestButtonId,
  SLOT_KEY_PATTERN,
  type Slot,
  slotKey,
} from './action-ref.js';
export { BASELINE_CAPABILITIES, classifyPodPrivilege, type PrivilegeContext } from './classify-pod-privilege.js';
export { type CloneOffer, decideCloneOffer } from './decide-clone-offer.js';
export {
  decideEphemeralOffer,
  type EphemeralContext,
  type EphemeralOffer,
  ephemeralTargets,
  pickEphemeralTarget,
} from './decide-ephemeral-offer.js';
export { type Grant, type GrantProblem, grantPayload, type SignedGrant, signGrant, verifyGrant } from './grant.js';
export { type DebugContainerPlan, debugContainerPrivilege, planDebugContainer } from './plan-debug-container.js';
export { type DebugPodPlan, planDebugPod } from './plan-debug-pod.js';
