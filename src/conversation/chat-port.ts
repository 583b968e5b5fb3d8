/**
 * What the conversation layer needs from Slack, and nothing more. handlers/slack-chat.ts implements it over
 * Bolt's WebClient, keeping Slack's SDK out of src/, and seals every message and file it is given (every text
 * redacted: the egress boundary), so no flow that posts through this port can leak a secret by forgetting to.
 */

/** A Block Kit message as rendered by src/render. */
export interface ChatMessage {
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are validated by Slack, typed in src/render
  blocks?: any[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

export interface ChatFile {
  filename: string;
  title: string;
  content: string;
  comment: ChatMessage;
}

export interface ChatPort {
  post(channel: string, message: ChatMessage, options?: { threadTs?: string }): Promise<PostedMessage>;
  update(channel: string, ts: string, message: ChatMessage): Promise<void>;
  postEphemeral(channel: string, user: string, message: ChatMessage): Promise<void>;
  upload(channel: string, threadTs: string, file: ChatFile): Promise<void>;
  /** Members of a Slack user group (usergroups.users.list). */
  groupMembers(groupId: string): Promise<string[]>;
  /**
   * A link to one of the channel's messages (chat.getPermalink); ChatError `message_not_found` once it is deleted.
   * @defaultValue absent: alerts never link to an earlier diagnosis, they repeat it
   */
  permalink?(channel: string, ts: string): Promise<string>;
}

/** A Slack API refusal, by Slack's own error code (not_in_channel, channel_not_found, ratelimited, …). */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    message?: string,
    /** `ratelimited`: Slack's Retry-After, seconds, once the Slack client stopped waiting it out. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? `Slack refused the call: ${code}`);
    this.name = 'ChatError';
  }
}

export function isChatError(e: unknown, ...codes: string[]): e is ChatError {
  return e instanceof Error && e.name === 'ChatError' && (codes.length === 0 || codes.includes((e as ChatError).code));
}
