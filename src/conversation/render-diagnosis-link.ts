import { formatDuration } from '../alerts/index.js';
import { type Block, escapeMrkdwn } from '../render/index.js';
import type { RecentDiagnosis } from './recent-diagnoses.js';

/** The block_id of the line that links an alert to the diagnosis it does not repeat. */
export const DIAGNOSIS_LINK_BLOCK = 'debugdead.diagnosis-link';

/** A link Slack's mrkdwn can carry: https, and none of the characters that would end or split `<url|label>`. */
const LINKABLE = /^https:\/\/[^\s<>|]+$/;

/** Whether a permalink can be put in a `<url|label>` link as it is. Pure. */
export function isLinkablePermalink(url: string): boolean {
  return LINKABLE.test(url);
}

/** `<@U0ALICE01>` from a Slack user id, with anything that is not part of an id dropped. */
const mention = (user: string): string => `<@${user.replace(/[^A-Z0-9]/g, '')}>`;

const clockTime = (iso: string): string => `${new Date(iso).toISOString().slice(11, 16)} UTC`;

/**
 * The line an alert shows instead of repeating a diagnosis a person asked for shortly before: ":mag: Diagnosed by
 * @alice at 14:03 UTC, 12 min before this alert: open the diagnosis and its buttons". Its times are absolute and
 * relative to the alert, so the line stays true as the alert is edited later. `url` must pass isLinkablePermalink
 * (Slack's chat.getPermalink answer); `&` is escaped as mrkdwn links require. Pure.
 */
export function renderDiagnosisLink(recent: Pick<RecentDiagnosis, 'by' | 'at'>, url: string, alertAt: Date): Block {
  const ms = alertAt.getTime() - Date.parse(recent.at);
  const before = ms < 60_000 ? 'just before this alert' : `${formatDuration(ms)} before this alert`;
  const link = `<${url.replace(/&/g, '&amp;')}|open the diagnosis and its buttons>`;
  return {
    type: 'section',
    block_id: DIAGNOSIS_LINK_BLOCK,
    text: {
      type: 'mrkdwn',
      text: `:mag: Diagnosed by ${mention(recent.by)} at ${clockTime(recent.at)}, ${before}: ${link}`,
    },
  } as Block;
}

/**
 * The reply in the diagnosis's thread that points to the alert raised later for the same workload; `headline` is
 * the alert's plain text (alertHeadline), escaped here. Pure.
 */
export function renderAlertRaisedReply(alertUrl: string | undefined, headline: string): { text: string } {
  const label = 'An alert was raised';
  const link = alertUrl && isLinkablePermalink(alertUrl) ? `<${alertUrl.replace(/&/g, '&amp;')}|${label}>` : label;
  return { text: `:rotating_light: ${link} for this workload: ${escapeMrkdwn(headline)}` };
}
