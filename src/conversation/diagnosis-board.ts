import type { Redis } from 'ioredis';
import type { ActionState } from './action-state.js';
import type { ChatMessage } from './chat-port.js';

/** Where a diagnosis was posted and what it said, plus the progress of each action taken from it. */
export interface BoardEntry {
  channel: string;
  ts: string;
  message: ChatMessage;
  /** Progress of each action, by slot (`c0`, `n`). */
  actions: Record<string, ActionState>;
  /** Blocks shown above the diagnosis: an alert's headline, updated as the workload keeps failing or recovers. */
  prefix: NonNullable<ChatMessage['blocks']>;
}

/**
 * The diagnosis message and its actions' progress, in Redis. The parent message is re-composed from it at each
 * step, so two actions progressing at once (a clone and a node shell) never overwrite each other's lines.
 */
export class DiagnosisBoard {
  constructor(
    private readonly options: {
      redis: Redis;
      prefix: string;
      /**
       * The lifetime of an entry that a write creates without `save` (a click on a message the board never held):
       * every key gets an expiry. @defaultValue 86400 (approvals.requestTtl's default)
       */
      ttlSeconds?: number;
    },
  ) {}

  async save(
    id: string,
    entry: { channel: string; ts: string; message: ChatMessage },
    ttlSeconds: number,
  ): Promise<void> {
    await this.options.redis
      .multi()
      .hset(this.key(id), 'channel', entry.channel, 'ts', entry.ts, 'message', JSON.stringify(entry.message))
      .expire(this.key(id), ttlSeconds)
      .exec();
  }

  async get(id: string): Promise<BoardEntry | undefined> {
    const hash = await this.options.redis.hgetall(this.key(id));
    if (!hash.channel || !hash.ts || !hash.message) return undefined;
    const actions: Record<string, ActionState> = {};
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith('a:')) actions[field.slice(2)] = JSON.parse(value) as ActionState;
    }
    const prefix = hash.prefix ? (JSON.parse(hash.prefix) as NonNullable<ChatMessage['blocks']>) : [];
    return { channel: hash.channel, ts: hash.ts, message: JSON.parse(hash.message) as ChatMessage, actions, prefix };
  }

  /** Records an action's state; keeps the entry alive at least `keepForSeconds` (a pod outlives the buttons' TTL). */
  async setAction(id: string, slot: string, state: ActionState, keepForSeconds = 0): Promise<void> {
    const multi = this.options.redis.multi().hset(this.key(id), `a:${slot}`, JSON.stringify(state));
    // EXPIRE GT leaves a key without an expiry as it is (no expiry counts as infinite): NX gives it one first.
    multi.expire(this.key(id), this.ttlSeconds(keepForSeconds), 'NX');
    if (keepForSeconds > 0) multi.expire(this.key(id), Math.ceil(keepForSeconds), 'GT');
    await multi.exec();
  }

  /** Replaces the blocks above the diagnosis (an alert's headline). */
  async setPrefix(id: string, blocks: NonNullable<ChatMessage['blocks']>): Promise<void> {
    await this.options.redis
      .multi()
      .hset(this.key(id), 'prefix', JSON.stringify(blocks))
      .expire(this.key(id), this.ttlSeconds(0), 'NX')
      .exec();
  }

  async getAction(id: string, slot: string): Promise<ActionState | undefined> {
    const value = await this.options.redis.hget(this.key(id), `a:${slot}`);
    return value ? (JSON.parse(value) as ActionState) : undefined;
  }

  private ttlSeconds(atLeast: number): number {
    return Math.max(Math.ceil(atLeast), this.options.ttlSeconds ?? 86_400);
  }

  private key(id: string): string {
    return `${this.options.prefix}:board:${id}`;
  }
}
