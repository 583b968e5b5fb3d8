import type { App } from '@slack/bolt';

type WebClient = App['client'];

import {
  ChatError,
  type ChatFile,
  type ChatMessage,
  type ChatPort,
  type PostedMessage,
} from '../src/conversation/chat-port.js';
import { type Sealed, sealFile, sealMessage } from '../src/render/index.js';

/**
 * The ChatPort over Bolt's WebClient: every message, update, thread reply, ephemeral and file passes the egress
 * boundary (`sealMessage` / `sealFile`: every text redacted) before it reaches Slack, whichever flow sent it; every
 * Slack refusal becomes a ChatError carrying Slack's code.
 */
export function createSlackChat(client: WebClient): ChatPort {
  const slack = sealedSlack(client);
  return {
    post: (channel, message, options) => slack.post(channel, sealMessage(message), options),
    update: (channel, ts, message) => slack.update(channel, ts, sealMessage(message)),
    postEphemeral: (channel, user, message) => slack.postEphemeral(channel, user, sealMessage(message)),
    upload: (channel, threadTs, file) => slack.upload(channel, threadTs, sealFile(file)),
    groupMembers: (groupId) => slack.groupMembers(groupId),
    // Nothing of ours leaves in this call: a channel id and a ts in, Slack's URL back.
    permalink: async (channel, ts) => {
      const res = await call(() => client.chat.getPermalink({ channel, message_ts: ts }));
      return String(res.permalink);
    },
  };
}

/** The only functions that hand text to Slack's Web API; they accept sealed messages and files only. */
function sealedSlack(client: WebClient) {
  return {
    async post(
      channel: string,
      message: Sealed<ChatMessage>,
      options?: { threadTs?: string | undefined },
    ): Promise<PostedMessage> {
      const res = await call(() =>
        client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          ...(options?.threadTs ? { thread_ts: options.threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return { channel: String(res.channel ?? channel), ts: String(res.ts) };
    },
    async update(channel: string, ts: string, message: Sealed<ChatMessage>): Promise<void> {
      await call(() => client.chat.update({ channel, ts, text: message.text, blocks: message.blocks ?? [] }));
    },
    async postEphemeral(channel: string, user: string, message: Sealed<ChatMessage>): Promise<void> {
      await call(() => client.chat.postEphemeral({ channel, user, text: message.text, blocks: message.blocks }));
    },
    async upload(channel: string, threadTs: string, file: Sealed<ChatFile>): Promise<void> {
      await call(() =>
        client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          filename: file.filename,
          title: file.title,
          content: file.content,
          initial_comment: file.comment.text,
        }),
      );
    },
    async groupMembers(groupId: string): Promise<string[]> {
      const res = await call(() => client.usergroups.users.list({ usergroup: groupId }));
      return (res.users as string[] | undefined) ?? [];
    },
  };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toChatError(e);
  }
}

/** WebClient errors carry Slack's code in data.error (platform errors) or a code of their own (rate limits, HTTP). */
function toChatError(e: unknown): ChatError {
  const err = e as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
    message?: string;
  };
  if (err.code === 'slack_webapi_platform_error' && err.data?.error) return new ChatError(err.data.error);
  // Only past the rate-limit policy's patience (wait-out-rate-limits.ts): the WebClient rejects the 429 it reached.
  if (err.code === 'slack_webapi_rate_limited_error')
    return new ChatError(
      'ratelimited',
      `Slack is rate limiting this call${err.retryAfter ? ` (retry after ${err.retryAfter} s)` : ''}`,
      err.retryAfter,
    );
  if (err.code === 'slack_webapi_http_error')
    return new ChatError('http_error', `Slack answered HTTP ${err.statusCode ?? '?'}`);
  if (err.code === 'slack_webapi_request_error') return new ChatError('request_error', 'Slack could not be reached');
  return new ChatError('unknown_error', err.message ?? String(e));
}
