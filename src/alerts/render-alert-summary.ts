import { escapeMrkdwn } from '../render/index.js';
import type { SummaryEntry, SummaryMessage } from './types.js';

/** Slack's limit on a section block's text (reference: Block Kit, section `text` ≤ 3000 characters). */
const SECTION_TEXT_LIMIT = 3000;

/**
 * The storm summary: one message listing the workloads that failed past `alerts.maxWorkloadsPerBurst`, instead of
 * one message each. Lines that would not fit a section are counted ("… and 12 more").
 */
export function renderAlertSummary(entries: readonly SummaryEntry[]): SummaryMessage {
  const n = entries.length;
  const title = `:rotating_light: ${n} more workload${n === 1 ? ' is' : 's are'} failing (alert storm: one summary instead of one message each)`;
  const lines: string[] = [];
  let used = 0;
  for (const [i, e] of entries.entries()) {
    const w = e.workload;
    // Kind, name and reason come from the cluster (an agent's report, with many clusters): shown, never obeyed.
    const line = `• ${escapeMrkdwn(w.kind)} \`${escapeMrkdwn(`${w.namespace}/${w.name}`).replace(/`/g, 'ˋ')}\`: ${escapeMrkdwn(e.reason)}, ${e.failingCount} pod${e.failingCount === 1 ? '' : 's'}`;
    const rest = n - i;
    // Keep room for the "and N more" line.
    if (used + line.length + 1 > SECTION_TEXT_LIMIT - 40) {
      lines.push(`… and ${rest} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return {
    text: `${n} more workload${n === 1 ? ' is' : 's are'} failing`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      ...(lines.length ? [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] : []),
    ],
  };
}
