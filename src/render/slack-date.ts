import { escapeMrkdwn } from './escape-mrkdwn.js';

/**
 * A time every reader sees in their own time zone: Slack's `<!date^unix^format|fallback>` token, with the UTC time
 * as the fallback for clients that cannot render it. An unparseable input is shown as text.
 */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${formatUtc(iso)}>`;
}

/** `2026-11-23 10:00 UTC`. */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return escapeMrkdwn(iso);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
