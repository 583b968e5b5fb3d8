/**
 * The one codec for "which action on which diagnosis". A diagnosis id is opaque (base64url); an action id is
 * `<diagnosisId>.<slot>`, where the slot is `c<i>` (a debug clone of container i of the diagnosis), `e<i>` (a debug
 * container attached to the pod, targeting container i) or `n` (the node shell). The same action id is the value of every button about that action (request, Approve, Deny, Extend, Delete),
 * the suffix of its BullMQ job ids, the pod's request-id annotation and the seed of the pod's name: a double click,
 * a redelivery and a second replica all name the same action, so the same job and the same pod.
 */

/** Diagnosis ids are base64url: no `.` (the slot separator), no `:` (BullMQ job ids, Redis key parts). */
const DIAGNOSIS_ID = /^[A-Za-z0-9_-]{8,64}$/;
const ACTION_ID = /^([A-Za-z0-9_-]{8,64})\.(?:([ce])(\d{1,3})|(n))$/;

/** The action a slot of a diagnosis stands for. */
export type Slot =
  | { kind: 'clone'; container: number }
  | { kind: 'ephemeral'; container: number }
  | { kind: 'node-shell' };

/** The letter of each container-indexed slot kind. */
const SLOT_LETTER = { clone: 'c', ephemeral: 'e' } as const;

/** One action on one diagnosis. */
export interface ActionRef {
  diagnosisId: string;
  slot: Slot;
}

/** Whether a string could be a diagnosis id; anything else is refused before it reaches Redis. */
export function isDiagnosisId(value: unknown): value is string {
  return typeof value === 'string' && DIAGNOSIS_ID.test(value);
}

/** The slot's key within its diagnosis record: `c0`, `c1`, …, `e0`, … or `n`. */
export function slotKey(slot: Slot): string {
  return slot.kind === 'node-shell' ? 'n' : `${SLOT_LETTER[slot.kind]}${slot.container}`;
}

/** Matches every slot key of a diagnosis record. */
export const SLOT_KEY_PATTERN = /^(?:[ce]\d{1,3}|n)$/;

/** `<diagnosisId>.<slot>`; throws for a diagnosis id the codec could not read back. */
export function formatActionId(ref: ActionRef): string {
  if (!isDiagnosisId(ref.diagnosisId)) throw new Error(`not a diagnosis id: ${JSON.stringify(ref.diagnosisId)}`);
  if (ref.slot.kind !== 'node-shell' && !(Number.isInteger(ref.slot.container) && ref.slot.container >= 0)) {
    throw new Error(`not a container index: ${ref.slot.container}`);
  }
  return `${ref.diagnosisId}.${slotKey(ref.slot)}`;
}

/** The inverse of formatActionId; undefined for anything that is not one of ours. */
export function parseActionId(value: unknown): ActionRef | undefined {
  if (typeof value !== 'string' || value.length > 80) return undefined;
  const match = ACTION_ID.exec(value);
  if (!match) return undefined;
  const slot: Slot = match[4]
    ? { kind: 'node-shell' }
    : { kind: match[2] === 'e' ? 'ephemeral' : 'clone', container: Number(match[3]) };
  return { diagnosisId: match[1]!, slot };
}

/** BullMQ job ids: deterministic per action, so an add whose id exists adds nothing. BullMQ rejects `:` in them. */
export function jobIdOf(verb: 'create' | 'delete', actionId: string): string {
  return `${verb}-${actionId}`;
}

/** Slack action_ids of our buttons (the value is always the action id). */
export const BUTTON = {
  approve: 'debugdead.approve',
  deny: 'debugdead.deny',
  extend: 'debugdead.extend',
  delete: 'debugdead.delete',
} as const;

/** The action_id of the button on a diagnosis that asks for the slot's action. Unique within the message. */
export function requestButtonId(slot: Slot): string {
  if (slot.kind === 'node-shell') return 'debugdead.node_shell';
  return slot.kind === 'clone' ? `debugdead.clone.${slot.container}` : `debugdead.debug_container.${slot.container}`;
}

/** Matches every request button (`debugdead.clone.0`, …, `debugdead.debug_container.0`, …, `debugdead.node_shell`). */
export const REQUEST_BUTTON_PATTERN = /^debugdead\.(?:clone\.\d{1,3}|debug_container\.\d{1,3}|node_shell)$/;
