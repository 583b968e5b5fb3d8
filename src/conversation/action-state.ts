import type { JobProgressState } from '../render/index.js';

/** An action's progress as the board keeps it: what the panel shows, plus what Extend needs to know. */
export interface ActionState extends JobProgressState {
  /** The latest the pod may live: creation + maximum TTL (its activeDeadlineSeconds). ISO. */
  maxExpiresAt?: string;
}

/** The board slot of an action: `c<i>` for a clone of container i, `n` for the node shell. */
export function slotOf(target: { kind: 'clone'; containerIndex: number } | { kind: 'node-shell' }): string {
  return target.kind === 'clone' ? `c${target.containerIndex}` : 'n';
}
