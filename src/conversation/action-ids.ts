/**
 * Button action ids and values. Values carry only opaque ids (DESIGN.md): the diagnosis id, plus for a clone
 * button the index of the target container in the diagnosis; everything else is looked up in Redis.
 */
export const ACTION = {
  clonePrefix: 'debugdead.clone.',
  nodeShell: 'debugdead.node_shell',
  approve: 'debugdead.approve',
  deny: 'debugdead.deny',
  extend: 'debugdead.extend',
  delete: 'debugdead.delete',
} as const;

/** Matches every clone button (`debugdead.clone.0`, `.1`, … one per failing container). */
export const CLONE_ACTION_PATTERN = /^debugdead\.clone\.\d+$/;

export type ActionTarget = { kind: 'clone'; containerIndex: number } | { kind: 'node-shell' };

/**
 * The id of one action on one diagnosis: a clone of container i, or the node shell. Deterministic, so a double
 * click, a redelivery and a second replica all name the same action, and so the same BullMQ job and pod.
 * No ':' (BullMQ rejects it in custom job ids).
 */
export function actionId(diagnosisId: string, target: ActionTarget): string {
  return target.kind === 'clone' ? `${diagnosisId}.c${target.containerIndex}` : `${diagnosisId}.n`;
}

/** The inverse of actionId; undefined when malformed. */
export function parseActionId(value: unknown): { diagnosisId: string; target: ActionTarget } | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  const match = /^([A-Za-z0-9_-]+)\.(?:c(\d{1,3})|(n))$/.exec(value);
  if (!match) return undefined;
  const target: ActionTarget = match[3] ? { kind: 'node-shell' } : { kind: 'clone', containerIndex: Number(match[2]) };
  return { diagnosisId: match[1]!, target };
}
