export {
  channelTimeline,
  compareTs,
  everyTimeline,
  renderContextFor,
  threadTimeline,
  type WorkspaceSnapshot,
} from './build-views.js';
export { createWebClient, type WebClient } from './create-web-client.js';
export { decodeSlackEntities, escapeHtml } from './escape-html.js';
export { type DateContext, formatSlackDate } from './format-slack-date.js';
export { renderBlocks, renderTextObject } from './render-blocks.js';
export { type FileView, type MessageView, renderMessage } from './render-message.js';
export { type MrkdwnContext, renderMrkdwn } from './render-mrkdwn.js';
export { EMOJI, replaceEmoji } from './replace-emoji.js';
