import { escapeMrkdwn } from '../render/index.js';
import type { ChatMessage } from './chat-port.js';

/** Why a command was not diagnosed in its channel. */
export type ChannelRefusal =
  | { kind: 'unbound'; channel: string; namespace: string; namespaces: string[] }
  | { kind: 'cannot-post'; channel: string; code: string };

/** Pure: the answer to a command refused for its channel, saying why and what fixes it. */
export function renderChannelRefusal(r: ChannelRefusal): ChatMessage {
  if (r.kind === 'cannot-post') {
    return {
      text: `:no_entry: The bot cannot post in <#${r.channel}>, so it does not diagnose here: a diagnosis is shown only in a channel where everyone who can see it can also see what the bot does with it. Invite the bot with \`/invite @debugdead\` and run the command again, or run it in a channel the bot is in.`,
    };
  }
  const ns = (n: string) => `\`${escapeMrkdwn(n.slice(0, 63))}\``;
  const may = r.namespaces.length
    ? `it may diagnose ${r.namespaces.slice(0, 10).map(ns).join(', ')}`
    : 'no binding lists it';
  return {
    text: `:no_entry: <#${r.channel}> may not diagnose pods in ${ns(r.namespace)}: the bot's configuration binds channels to namespaces, and ${may}. Run the command in a channel bound to ${ns(r.namespace)}, or ask the bot's operators to add <#${r.channel}> to a binding for it (\`bindings\` in debugdead.yaml).`,
  };
}

/** The audit detail of a refusal: the same facts, without the advice. */
export function describeChannelRefusal(r: ChannelRefusal): string {
  return r.kind === 'cannot-post'
    ? `channel ${r.channel}: the bot cannot post there (${r.code})`
    : `channel ${r.channel}: not bound to namespace ${r.namespace}`;
}
