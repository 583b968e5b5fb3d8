import type { SlackMessage } from './block-kit-types.js';

/**
 * One reply in the diagnosis thread: a message, or a file (a log too long for a message) uploaded with
 * `files.getUploadURLExternal` / `files.completeUploadExternal`. `comment.text` is a complete plain fallback
 * usable as the upload's `initial_comment`; `comment.blocks` is the same content as Block Kit.
 */
export type ThreadReply =
  | { kind: 'message'; message: SlackMessage }
  | { kind: 'file'; filename: string; title: string; content: string; comment: SlackMessage };
