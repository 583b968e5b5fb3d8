import { matchGlob } from '../approvals/index.js';
import type { ChannelBinding } from '../config/index.js';

export type ChannelVerdict =
  /** `bound`: a binding lets this channel diagnose the namespace; `default`: no bindings, so any channel the bot can
   * post in may (the post itself tells: Slack refuses a channel the bot cannot write to). */
  | { ok: true; by: 'bound' | 'default' }
  /** Bindings exist and none lets this channel diagnose the namespace; `namespaces` are those it may diagnose. */
  | { ok: false; namespaces: string[] };

/** Pure: may a command from `channel` diagnose a pod in `namespace`, by the configured bindings? */
export function channelMayDiagnose(bindings: ChannelBinding[], channel: string, namespace: string): ChannelVerdict {
  if (bindings.length === 0) return { ok: true, by: 'default' };
  const mine = bindings.filter((b) => b.channels.includes(channel));
  if (mine.some((b) => b.namespaces.some((glob) => matchGlob(glob, namespace)))) return { ok: true, by: 'bound' };
  return { ok: false, namespaces: [...new Set(mine.flatMap((b) => b.namespaces))] };
}
