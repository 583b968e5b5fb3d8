import type { App } from '@slack/bolt';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { registerButtonActions } from './button-actions.js';
import { registerMoreLogsMenu } from './more-logs-menu.js';
import { registerMuteMenu } from './mute-menu.js';
import { registerSlashCommand } from './slash-command.js';

export { guardHttpRequests } from './guard-http-requests.js';
export { sealingFetch } from './sealing-fetch.js';
export { slackAuditAnchors, slackAuditAnchorsFromToken } from './slack-audit-anchors.js';
export { createSlackChat } from './slack-chat.js';
export { slackStartupProbes } from './slack-startup-probes.js';
export { type SlackClientSettings, slackWebClientOptions } from './slack-web-client-options.js';
export {
  RATE_LIMIT_DEFAULTS,
  type RateLimitPolicy,
  type RateLimitWait,
  waitOutRateLimits,
} from './wait-out-rate-limits.js';

/** Every Bolt listener of the bot, and one error handler so a failing listener is logged, never silent. */
export function registerHandlers(app: App, deps: ConversationDeps): void {
  registerSlashCommand(app, deps);
  registerButtonActions(app, deps);
  registerMuteMenu(app, deps);
  registerMoreLogsMenu(app, deps);
  app.error(async (error) => {
    deps.log.error({ err: error, code: (error as { code?: string }).code }, 'listener failed');
  });
}
