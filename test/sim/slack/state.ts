import { EventEmitter } from 'node:events';
import type { ChannelKind, SimChannelSeed, WorkspaceSeed } from './workspace.js';

/** A file shared through the three-step upload. */
export interface SimFile {
  id: string;
  name: string;
  title: string;
  /** The `length` declared to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  snippetType?: string;
  /** The bytes posted to the upload URL, once they arrive. */
  content?: Buffer;
  /** Where files.completeUploadExternal shared it; empty while private to the uploader. */
  shares: { channel: string; ts: string; threadTs?: string }[];
  completed: boolean;
}

/** A channel message as Slack stores it (wire field names, so it can be put into payloads unchanged). */
export interface SimMessage {
  type: 'message';
  channel: string;
  ts: string;
  /** Author: the bot's user id for the bot's messages. */
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  /** `thread_broadcast` for a reply also sent to the channel. */
  subtype?: string;
  files?: { id: string; name: string; title: string }[];
  edited?: { user: string; ts: string };
}

/** A message only one user sees (chat.postEphemeral, a response_url or ack reply, or Slack's own notice). */
export interface SimEphemeral {
  channel: string;
  /** Who sees it. */
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  source: 'chat.postEphemeral' | 'response_url' | 'ack' | 'slack';
  /** True once replaced or deleted through a response_url; hidden from `ephemerals()` then. */
  deleted?: boolean;
}

export interface SimChannel extends SimChannelSeed {
  created: number;
}

/** One Web API call as the simulator answered it, for tests that assert on traffic. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  ok: boolean;
  error?: string;
  at: number;
}

/**
 * All mutable simulator state. Emits `change` after every mutation so `waitFor` can re-check without sleeping.
 */
export class SimState extends EventEmitter {
  readonly channels = new Map<string, SimChannel>();
  readonly messages: SimMessage[] = [];
  readonly ephemerals: SimEphemeral[] = [];
  readonly files = new Map<string, SimFile>();
  readonly calls: ApiCall[] = [];
  rateLimitedCount = 0;
  /** Added to Date.now(); moved by `advanceTime` so 30-minute expiries can be tested without waiting. */
  private offsetMs = 0;
  private lastTsMicros = 0;
  private seq = 0;

  constructor(readonly ws: WorkspaceSeed) {
    super();
    this.setMaxListeners(0);
    for (const c of ws.channels) this.channels.set(c.id, { ...c, members: [...c.members], created: 1_700_000_000 });
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advanceTime(ms: number): void {
    this.offsetMs += ms;
    this.changed();
  }

  changed(): void {
    this.emit('change');
  }

  /** A fresh id with Slack's look: a prefix and uppercase base-36 digits. */
  id(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  /** Message timestamps are unique per channel and increase: "1700000000.000100". */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const sec = Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  channelKind(id: string): ChannelKind | undefined {
    return this.channels.get(id)?.kind;
  }

  isMember(channel: string, user: string): boolean {
    return this.channels.get(channel)?.members.includes(user) ?? false;
  }

  findMessage(channel: string, ts: string): SimMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  findEphemeral(channel: string, ts: string): SimEphemeral | undefined {
    return this.ephemerals.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Slack stores a generated block_id on every block that came without one. */
  withBlockIds(blocks: unknown[] | undefined): unknown[] | undefined {
    if (!blocks) return undefined;
    return blocks.map((b) => {
      const block = structuredClone(b) as Record<string, unknown>;
      if (block.block_id === undefined) block.block_id = this.id('b').toLowerCase();
      return block;
    });
  }

  userName(id: string): string {
    return this.ws.users.find((u) => u.id === id)?.name ?? id;
  }
}
