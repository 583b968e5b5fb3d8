import { escapeMrkdwn } from '../render/index.js';
import type { WorkloadAlert } from './types.js';

/** What a reason means, in the words of the headline ("Deployment demo/web is crash-looping"). */
const REASON_PHRASES: Record<string, string> = {
  CrashLoopBackOff: 'is crash-looping',
  OOMKilled: 'is being OOM-killed',
  ImagePullBackOff: 'cannot pull its image',
  ErrImagePull: 'cannot pull its image',
  CreateContainerConfigError: 'has a broken container configuration',
  CreateContainerError: 'cannot create its container',
  RunContainerError: 'cannot start its container',
};

/** "12 min", "2 h 5 min", "3 d 4 h": coarse on purpose, it is read in a channel. */
export function formatDuration(ms: number): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** `09:12 UTC` (the bot and its readers may sit in different time zones). */
const clockTime = (iso: string): string => `${new Date(iso).toISOString().slice(11, 16)} UTC`;

/** The headline of an alert as plain text (also the message's notification text). */
export function alertHeadline(alert: WorkloadAlert, now: Date): string {
  const { workload: w } = alert;
  const who = `${w.kind} ${w.namespace}/${w.name}`;
  const since = Date.parse(alert.since);
  if (alert.recoveredAt) {
    const took = formatDuration(Date.parse(alert.recoveredAt) - since);
    return `${who} recovered after ${took}`;
  }
  const phrase = REASON_PHRASES[alert.reason] ?? `is failing (${alert.reason})`;
  const pods = alert.failingCount === 1 ? '1 pod' : `${alert.failingCount} pods`;
  return `${who} ${phrase} — ${pods} failing since ${clockTime(alert.since)} (${formatDuration(now.getTime() - since)})`;
}

const MAX_LISTED_PODS = 10;

/**
 * The Block Kit blocks the lead prepends to the diagnosis of an alert: a section with the headline
 * (":rotating_light: Deployment demo/web is crash-looping — 3 pods failing since 09:12 UTC (12 min)", or
 * ":white_check_mark: … recovered after 14 min") and a context line naming the failing pods (and the diagnosed one,
 * unless `diagnosed: false`: an alert that links to an earlier diagnosis instead of repeating it).
 */
// biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks
export function renderAlertContext(alert: WorkloadAlert, now: Date, options: { diagnosed?: boolean } = {}): any[] {
  const icon = alert.recoveredAt ? ':white_check_mark:' : ':rotating_light:';
  const headline = escapeMrkdwn(alertHeadline(alert, now));
  const w = alert.workload;
  // Names as the headline escaped them (an agent's report may carry any text); a function, so `$&` in a name is text.
  const path = escapeMrkdwn(`${w.namespace}/${w.name}`).replace(/`/g, 'ˋ');
  const bold = headline.replace(
    escapeMrkdwn(`${w.kind} ${w.namespace}/${w.name}`),
    () => `*${escapeMrkdwn(w.kind).replace(/`/g, 'ˋ')} \`${path}\`*`,
  );
  const listed = alert.failingPods.slice(0, MAX_LISTED_PODS).map((p) => `\`${escapeMrkdwn(p)}\``);
  const more =
    alert.failingPods.length > MAX_LISTED_PODS ? ` and ${alert.failingPods.length - MAX_LISTED_PODS} more` : '';
  const context = alert.recoveredAt
    ? `Was ${escapeMrkdwn(alert.reason)} since ${clockTime(alert.since)}; every pod is Ready again or gone.`
    : `${escapeMrkdwn(alert.reason)} in ${listed.join(', ')}${more}.${options.diagnosed === false ? '' : ` Diagnosed pod: \`${escapeMrkdwn(alert.pod)}\`.`}`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `${icon} ${bold}` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
  ];
}
