import { escapeMrkdwn } from './escape-mrkdwn.js';

/** `<@U123>` for a Slack user id; anything that is not an id is shown as text, never parsed as a mention. */
export function mentionUser(id: string): string {
  return /^[UW][A-Z0-9]+$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** `<!subteam^S123>` for a user group id; otherwise shown as text. */
export function mentionGroup(id: string): string {
  return /^S[A-Z0-9]+$/.test(id) ? `<!subteam^${id}>` : escapeMrkdwn(id);
}
