import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isRequestId } from './request-ref.js';
import type { ClaimOutcome, DenyOutcome, JobProgress, PendingRequest, Settlement, StoredRequest } from './types.js';

/** Where requests live. */
export interface RequestStoreOptions {
  redis: Redis;
  /** The bot's key prefix (config redis.prefix); requests are `${prefix}:approval:<id>`. */
  prefix: string;
  /** @defaultValue 16 random bytes, base64url */
  newId?: () => string;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/**
 * Settles a request once. HSETNX on a hash that exists is the whole decision, and the EXISTS check in the same
 * script keeps an expired request from being recreated without its TTL by the HSETNX.
 * KEYS: request hash. ARGV: settlement field, settlement JSON. Returns {0} unknown, {1, request} settled now,
 * {2, request, settlement} settled before.
 */
const SETTLE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  return {1, redis.call('HGET', KEYS[1], 'request')}
end
return {2, redis.call('HGET', KEYS[1], 'request'), redis.call('HGET', KEYS[1], ARGV[1])}
`;

/**
 * Patches job progress on a request that still exists, and can lengthen (never shorten) its life so the Extend and
 * Delete buttons of a pod outlive the diagnosis' button TTL.
 * KEYS: request hash. ARGV: keep-for seconds (0: leave), then field/value pairs. Returns 1, or 0 when gone.
 */
const UPDATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1], 'GT') end
return 1
`;

/** An action within a request that is settled on its own (see RequestStore); names like `c0`, `n`, `clone.1`. */
const SLOT = /^[A-Za-z0-9_.-]{1,32}$/;

/** Options naming the slot an operation applies to. */
export interface SlotOption {
  /**
   * Settle and track one action of a request separately from its others, e.g. one slot per button when a single
   * diagnosis request backs both "clone" and "node shell". Leave unset for one settlement per request.
   */
  slot?: string;
}

/** Hash field names: the settlement and progress fields of the default slot, or of a named one. */
function fields(slot: string | undefined): { settlement: string; progress: string } {
  if (slot === undefined) return { settlement: 'settlement', progress: 'p:' };
  if (!SLOT.test(slot)) throw new Error(`slot ${JSON.stringify(slot)} must be 1-32 of A-Z a-z 0-9 _ . -`);
  return { settlement: `settlement@${slot}`, progress: `p@${slot}:` };
}

/**
 * Pending requests behind opaque ids, in Redis with an expiry. A request (or one slot of it) is settled exactly
 * once, by the first `claim` (approval) or `deny` to reach Redis: racing clicks, double clicks and Socket Mode
 * redeliveries all see `already-claimed` with who settled it and when.
 */
export class RequestStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly newId: () => string;
  private readonly now: () => Date;

  constructor(options: RequestStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.newId = options.newId ?? (() => randomBytes(16).toString('base64url'));
    this.now = options.now ?? (() => new Date());
  }

  /** Stores a request for `ttlSeconds` and returns its id (URL-safe, no `:` or `#`). */
  async create(request: PendingRequest, ttlSeconds: number): Promise<string> {
    const id = this.newId();
    if (!isRequestId(id)) throw new Error(`request id ${JSON.stringify(id)} is not 8-64 base64url characters`);
    await this.redis
      .multi()
      .hset(this.key(id), 'request', JSON.stringify(request))
      .expire(this.key(id), ttlSeconds)
      .exec();
    return id;
  }

  /** The request with its settlement and job progress, or undefined when unknown or expired. */
  async get(id: string, options: SlotOption = {}): Promise<StoredRequest | undefined> {
    const names = fields(options.slot);
    if (!isRequestId(id)) return undefined;
    const hash = await this.redis.hgetall(this.key(id));
    if (hash.request === undefined) return undefined;
    const progress: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith(names.progress)) progress[field.slice(names.progress.length)] = JSON.parse(value);
    }
    const settlement = hash[names.settlement];
    return {
      id,
      request: JSON.parse(hash.request) as PendingRequest,
      ...(settlement !== undefined ? { settlement: JSON.parse(settlement) as Settlement } : {}),
      progress: progress as JobProgress,
    };
  }

  /** Approves the request for `claimer` if nobody has settled it yet. Only `claimed` may start a job. */
  async claim(id: string, claimer: string, options: SlotOption = {}): Promise<ClaimOutcome> {
    const at = this.now().toISOString();
    const settled = await this.settle(id, { decision: 'approved', by: claimer, at }, options.slot);
    if (settled.outcome === 'settled') return { outcome: 'claimed', request: settled.request };
    return settled;
  }

  /** Denies the request, recording who and why, if nobody has settled it yet. */
  async deny(id: string, by: string, reason: string, options: SlotOption = {}): Promise<DenyOutcome> {
    const at = this.now().toISOString();
    const settled = await this.settle(id, { decision: 'denied', by, at, reason }, options.slot);
    if (settled.outcome === 'settled') return { outcome: 'denied', request: settled.request };
    return settled;
  }

  /**
   * Records job progress. Returns false when the request is gone (expired), in which case nothing is written.
   * @param keepForSeconds make the request live at least this long from now (e.g. until the pod's maximum TTL).
   */
  async update(
    id: string,
    patch: JobProgress,
    options: SlotOption & { keepForSeconds?: number } = {},
  ): Promise<boolean> {
    const { progress } = fields(options.slot);
    if (!isRequestId(id)) return false;
    const pairs = Object.entries(patch)
      .filter(([, value]) => value !== undefined)
      .flatMap(([field, value]) => [`${progress}${field}`, JSON.stringify(value)]);
    const keep = Math.max(0, Math.ceil(options.keepForSeconds ?? 0));
    return (await this.redis.eval(UPDATE_SCRIPT, 1, this.key(id), String(keep), ...pairs)) === 1;
  }

  private async settle(
    id: string,
    settlement: Settlement,
    slot: string | undefined,
  ): Promise<{ outcome: 'settled'; request: PendingRequest } | Exclude<ClaimOutcome, { outcome: 'claimed' }>> {
    const field = fields(slot).settlement;
    if (!isRequestId(id)) return { outcome: 'unknown-or-expired' };
    const [code, request, previous] = (await this.redis.eval(
      SETTLE_SCRIPT,
      1,
      this.key(id),
      field,
      JSON.stringify(settlement),
    )) as [number, (string | null)?, (string | null)?];
    if (code === 0 || !request) return { outcome: 'unknown-or-expired' };
    const parsed = JSON.parse(request) as PendingRequest;
    if (code === 1) return { outcome: 'settled', request: parsed };
    const before = JSON.parse(previous!) as Settlement;
    return { outcome: 'already-claimed', by: before.by, at: before.at, decision: before.decision, request: parsed };
  }

  private key(id: string): string {
    return `${this.prefix}:approval:${id}`;
  }
}
