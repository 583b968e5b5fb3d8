import type { App } from '@slack/bolt';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { moreLogsFromClick } from '../src/conversation/more-logs-from-click.js';
import { MORE_LOGS_ACTION, parseMoreLogsValue } from '../src/conversation/more-logs-menu.js';
import { registerOverflowMenu } from './register-overflow-menu.js';

/** The More logs menu on alerts and summaries: acknowledge, turn the pick into our MoreLogsClick, hand off. */
export function registerMoreLogsMenu(app: App, deps: ConversationDeps): void {
  registerOverflowMenu(app, deps, {
    actionId: MORE_LOGS_ACTION,
    what: 'More logs',
    parse: parseMoreLogsValue,
    handle: moreLogsFromClick,
  });
}
