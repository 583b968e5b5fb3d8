import { auditViewerSets, isOpen, mayViewAudit } from '../approvals/index.js';
import { formatAuditRecords } from '../audit/index.js';
import type { AuditFilter } from '../command/index.js';
import type { ConversationDeps } from './deps.js';
import { recordAudit } from './record-audit.js';

/** `/debugdead audit [pod | @user | N]`: recent records, to approvers only, with the chain's integrity. */
export async function showAudit(
  deps: ConversationDeps,
  user: string,
  filter: AuditFilter | undefined,
): Promise<string> {
  const groups = [...new Set(auditViewerSets(deps.config).flatMap((set) => set.groups))];
  const membership = await deps.groups.groupsOf(user, groups);
  if (!mayViewAudit(deps.config, user, membership.groups)) {
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: user },
      action: 'command.received',
      target: {},
      result: 'denied',
      detail: 'audit listing refused: not an approver or audit viewer',
    });
    const configured = deps.config.audit.viewers && isOpen(deps.config.audit.viewers);
    return configured
      ? ':no_entry: Only audit viewers (audit.viewers) may read the audit trail.'
      : ':no_entry: Only approvers may read the audit trail.';
  }
  try {
    const [records, verified] = await Promise.all([deps.audit.recent({ limit: 20, ...filter }), deps.audit.verify()]);
    const chain = verified.ok
      ? `:lock: chain verified (${verified.count} records)`
      : ':rotating_light: the audit chain is BROKEN: a record was edited or deleted';
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: user },
      action: 'command.received',
      target: {},
      result: 'ok',
      detail: `audit listing${filter ? ` ${JSON.stringify(filter).slice(0, 150)}` : ''}: ${records.length} records`,
    });
    const body = records.length ? formatAuditRecords(records, { maxChars: 3500 }) : 'No matching records.';
    // formatAuditRecords writes Slack mrkdwn (times in code spans, <@U…> mentions): shown as is, not in a code block.
    return `${chain}\n${body}`;
  } catch (err) {
    deps.log.error({ err }, 'audit listing failed');
    return ':x: The audit trail cannot be read right now (Redis unavailable). Records are still written to the audit log.';
  }
}
