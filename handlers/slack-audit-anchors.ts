import { type App, webApi } from '@slack/bolt';
import { type AuditAnchor, parseAnchorText } from '../src/audit/index.js';
import { slackStartupProbes } from './slack-startup-probes.js';
import { slackWebClientOptions } from './slack-web-client-options.js';

type WebClient = App['client'];

/** History pages read at most (200 messages each): anchors every 1,000 records or hourly fit many months. */
const MAX_PAGES = 50;

/**
 * Reads the audit chain's anchors back from the audit channel's history. Only the bot's own messages count: a member
 * of the channel can post text that looks like an anchor, but not as the bot. Needs `channels:history` (or
 * `groups:history` for a private channel).
 */
export function slackAuditAnchors(client: WebClient, channel: string): () => Promise<AuditAnchor[]> {
  let botUser: Promise<string> | undefined;
  return async () => {
    botUser ??= client.auth.test().then((r) => String(r.user_id));
    const self = await botUser.catch((err: unknown) => {
      botUser = undefined;
      throw err;
    });
    const anchors: AuditAnchor[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.conversations.history({ channel, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const message of res.messages ?? []) {
        if (message.user !== self || typeof message.text !== 'string') continue;
        const anchor = parseAnchorText(message.text);
        if (anchor) anchors.push(anchor);
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) break;
    }
    return anchors;
  };
}

/** The same reader for the command line, which has a token but no Bolt app. */
export function slackAuditAnchorsFromToken(
  token: string,
  apiUrl: string,
  channel: string,
): () => Promise<AuditAnchor[]> {
  const client = new webApi.WebClient(token, slackWebClientOptions({ apiUrl }));
  if (!channel.startsWith('#')) return slackAuditAnchors(client as unknown as WebClient, channel);
  // audit.channel given as #name: looked up in the channel list, as the bot does at start.
  return async () => {
    const ids = await slackStartupProbes(client, () => new Date()).listChannels();
    if (typeof ids === 'string') throw new Error(`cannot list channels to find ${channel} (${ids})`);
    const id = ids.get(channel.slice(1)) ?? ids.get(channel.slice(1).toLowerCase());
    if (!id) throw new Error(`Slack lists no channel ${channel} that the bot can see`);
    return slackAuditAnchors(client as unknown as WebClient, id)();
  };
}
