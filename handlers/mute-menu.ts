import type { App } from '@slack/bolt';
import { MUTE_MENU_ACTION, parseMuteValue } from '../src/alerts/index.js';
import type { ConversationDeps } from '../src/conversation/deps.js';
import { muteFromClick } from '../src/conversation/mute-from-click.js';
import { registerOverflowMenu } from './register-overflow-menu.js';

/** The mute menu on alerts and summaries: acknowledge, turn the pick into our MuteClick, hand off. */
export function registerMuteMenu(app: App, deps: ConversationDeps): void {
  registerOverflowMenu(app, deps, {
    actionId: MUTE_MENU_ACTION,
    what: 'mute',
    parse: parseMuteValue,
    handle: muteFromClick,
  });
}
