import { type ActionRef, parseActionId, slotKey } from '../actions/index.js';
import type { AuditTarget } from '../audit/index.js';
import type { ConversationDeps } from './deps.js';
import type { DiagnosisRecord, Place } from './diagnosis-record-store.js';
import { recordAudit } from './record-audit.js';

/** A click on one of our buttons, as every handler sees it. */
export interface Click {
  /** The button's value: the action id. */
  value: string;
  /** Slack user id of whoever clicked. */
  user: string;
  /** The message the button sat on, as Slack reports it (container.channel_id / container.message_ts). */
  place: { channel?: string; ts?: string };
  /** Answers only the clicker (ephemeral). */
  tell: (text: string) => Promise<void>;
}

/** A click that names a live action of ours. */
export interface ResolvedClick {
  ref: ActionRef;
  actionId: string;
  slot: string;
  record: DiagnosisRecord;
  target: Omit<AuditTarget, 'cluster'>;
}

/**
 * Parse → look up: the button value must be an action id of a diagnosis still on record. Anything else is answered
 * and audited here, so no button can fail silently.
 */
export async function resolveClick(
  deps: ConversationDeps,
  click: Click,
  what: string,
): Promise<ResolvedClick | undefined> {
  const ref = parseActionId(click.value);
  const record = ref ? await deps.records.get(ref.diagnosisId) : undefined;
  if (!ref || !record) {
    await click.tell(
      ref
        ? `:hourglass: These buttons have expired (they last ${Math.round(deps.config.approvals.requestTtlSeconds / 3600)} h). Run \`/debugdead\` again for a fresh diagnosis.`
        : ':x: That button is not one of ours (malformed value); nothing was done.',
    );
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: click.user },
      action: 'button.clicked',
      target: {},
      ...(ref ? { requestId: click.value } : {}),
      result: 'error',
      detail: `${what}: ${ref ? 'unknown or expired diagnosis' : `malformed value ${JSON.stringify(click.value.slice(0, 80))}`}`,
    });
    return undefined;
  }
  const { request } = record;
  const target = { namespace: request.namespace, pod: request.pod, ...(request.node ? { node: request.node } : {}) };
  return { ref, actionId: click.value, slot: slotKey(ref.slot), record, target };
}

/**
 * A click is honoured only from the message it belongs to: a value copied onto another message, or sent from another
 * channel, names the right action from the wrong place. Audited and answered when it does not match.
 */
export async function checkPlace(
  deps: ConversationDeps,
  click: Click,
  resolved: ResolvedClick,
  expected: Place | undefined,
  what: string,
): Promise<boolean> {
  if (expected && click.place.channel === expected.channel && click.place.ts === expected.ts) return true;
  await click.tell(':no_entry: That button does not belong to this message; nothing was done.');
  await recordAudit(deps.audit, deps.log, {
    actor: { type: 'user', id: click.user },
    action: 'button.clicked',
    target: resolved.target,
    requestId: resolved.actionId,
    result: 'denied',
    detail: `${what}: clicked from ${click.place.channel ?? '?'}/${click.place.ts ?? '?'}, not from its message`,
  });
  return false;
}
