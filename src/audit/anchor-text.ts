import type { AuditAnchor } from './types.js';

/** The machine-readable part of an anchor message; everything else in the message is for people. */
const ANCHOR_PATTERN = /debugdead-audit-anchor seq=(\d{1,15}) hash=([0-9a-f]{64}) time=(\d{4}-\d\d-\d\dT[\d:.]+Z)/;

/**
 * The audit channel message that publishes a chain head. Slack history cannot be edited by whoever holds Redis (and
 * only the bot's own messages are read back), so it proves what the chain held at that time.
 */
export function formatAnchorText(anchor: AuditAnchor): string {
  return `:anchor: Audit chain anchor: record ${anchor.seq.toLocaleString('en-US')}.\n\`debugdead-audit-anchor seq=${anchor.seq} hash=${anchor.hash} time=${anchor.time}\``;
}

/** The anchor in a message written by formatAnchorText, or undefined for any other text. */
export function parseAnchorText(text: string): AuditAnchor | undefined {
  const m = ANCHOR_PATTERN.exec(text);
  if (!m) return undefined;
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq) || Number.isNaN(Date.parse(m[3]!))) return undefined;
  return { seq, hash: m[2]!, time: m[3]! };
}
