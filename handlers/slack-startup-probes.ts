import type { webApi } from '@slack/bolt';

/** How far ahead the test message is scheduled: Slack accepts up to 120 days; it is deleted at once anyway. */
const PROBE_DELAY_SECONDS = 7 * 86400;

/** Slack's error code of a failed call; `unreachable` when no answer came. */
function slackErrorCode(e: unknown): string {
  const err = e as { code?: string; data?: { error?: string } };
  if (err?.data?.error) return err.data.error;
  if (err?.code === 'slack_webapi_request_error' || err?.code === 'slack_webapi_http_error') return 'unreachable';
  return err?.code ?? 'unknown';
}

/**
 * The start-up questions put to Slack. Whether the bot can post in a channel is Slack's answer to a post: a message
 * scheduled a week ahead and deleted at once asks it without anyone seeing a message. Channels named `#name` in the
 * configuration are looked up once in the channel list (channels:read, groups:read).
 */
export function slackStartupProbes(
  client: InstanceType<typeof webApi.WebClient>,
  now: () => Date,
): {
  authTest(): Promise<string | undefined>;
  probeChannel(channel: string): Promise<string | undefined>;
  listChannels(): Promise<ReadonlyMap<string, string> | string>;
} {
  return {
    // Every public channel and every private channel the bot is in, by name: conversations.list pages through a
    // cursor, and a page may hold fewer channels than asked (even none) while more follow.
    async listChannels() {
      const ids = new Map<string, string>();
      let cursor: string | undefined;
      try {
        do {
          const page = await client.conversations.list({
            types: 'public_channel,private_channel',
            limit: 200,
            ...(cursor ? { cursor } : {}),
          });
          for (const c of page.channels ?? []) if (c.id && c.name) ids.set(c.name, c.id);
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
        return ids;
      } catch (e) {
        return slackErrorCode(e);
      }
    },
    async authTest() {
      try {
        await client.auth.test();
        return undefined;
      } catch (e) {
        return slackErrorCode(e);
      }
    },
    async probeChannel(channel) {
      try {
        const scheduled = await client.chat.scheduleMessage({
          channel,
          post_at: Math.floor(now().getTime() / 1000) + PROBE_DELAY_SECONDS,
          text: 'debugdead start-up check: this scheduled message is deleted at once.',
        });
        if (scheduled.scheduled_message_id) {
          await client.chat
            .deleteScheduledMessage({
              channel: scheduled.channel ?? channel,
              scheduled_message_id: scheduled.scheduled_message_id,
            })
            .catch(() => {});
        }
        return undefined;
      } catch (e) {
        return slackErrorCode(e);
      }
    },
  };
}
