import { auditViewerSets, isOpen, mayViewAudit } from '../approvals/index.js';
import { type AuditAnchor, formatAuditRecords, formatAuditReport } from '../audit/index.js';
import type { AuditFilter } from '../command/index.js';
import { escapeMrkdwn } from '../render/index.js';
import type { ConversationDeps } from './deps.js';
import { recordAudit } from './record-audit.js';

/**
 * `/debugdead audit [pod | @user | N]`: recent records, to approvers only, under the chain's verdict checked against
 * its anchors outside Redis. `/debugdead audit verify`: the verdict with every problem found.
 */
export async function showAudit(
  deps: ConversationDeps,
  user: string,
  filter: AuditFilter | undefined,
  verify = false,
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
  const anchors = await readAnchors(deps);
  try {
    const [records, report] = await Promise.all([
      verify ? Promise.resolve([]) : deps.audit.recent({ limit: 20, ...filter }),
      deps.audit.verify({ anchors: anchors.list }),
    ]);
    const [verdict, ...problems] = formatAuditReport(report).map(escapeMrkdwn);
    const shown = verify ? problems.slice(0, 30) : problems.slice(0, 3);
    const more =
      problems.length > shown.length
        ? [`…and ${problems.length - shown.length} more (\`/debugdead audit verify\`)`]
        : [];
    const chain = [
      `${report.ok ? ':lock:' : ':rotating_light:'} ${verdict}`,
      ...shown.map((p) => `• ${p}`),
      ...more,
      ...(anchors.note ? [`_${anchors.note}_`] : []),
    ].join('\n');
    await recordAudit(deps.audit, deps.log, {
      actor: { type: 'user', id: user },
      action: 'command.received',
      target: {},
      result: 'ok',
      detail: verify
        ? `audit verify: ${report.ok ? 'verified' : `${report.problems.length} problem(s)`}`
        : `audit listing${filter ? ` ${JSON.stringify(filter).slice(0, 150)}` : ''}: ${records.length} records`,
    });
    if (verify) return chain;
    const body = records.length ? formatAuditRecords(records, { maxChars: 3000 }) : 'No matching records.';
    // formatAuditRecords writes Slack mrkdwn (times in code spans, <@U…> mentions): shown as is, not in a code block.
    return `${chain}\n${body}`;
  } catch (err) {
    deps.log.error({ err }, 'audit listing failed');
    return ':x: The audit trail cannot be read right now (Redis unavailable). Records are still written to the audit log.';
  }
}

/** The anchors from the audit channel; a failure to read them is said, never mistaken for "no anchors exist". */
async function readAnchors(deps: ConversationDeps): Promise<{ list: AuditAnchor[]; note?: string }> {
  if (!deps.auditAnchors)
    return { list: [], note: 'No audit channel is configured, so no anchors outside Redis were checked.' };
  try {
    return { list: await deps.auditAnchors() };
  } catch (err) {
    deps.log.warn({ err }, 'audit anchors could not be read');
    return { list: [], note: "The audit channel's anchors could not be read; checked against Redis alone." };
  }
}
