import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isDiagnosisId, type PrivilegeClass, SLOT_KEY_PATTERN } from '../actions/index.js';
import type { RedisClient } from '../redis/index.js';
import type { JobProgressState } from '../render/index.js';
import type { ChatMessage } from './chat-port.js';

/** What a diagnosis offers actions on: written once, when the diagnosis is made. */
export interface DiagnosisRequest {
  namespace: string;
  pod: string;
  /** The pod's node, when scheduled (node shells). */
  node?: string;
  /** Container names, by the index the clone buttons carry. */
  containers: string[];
  /** Why a clone of this pod would be privileged (empty: it would not); the worker classifies the real pod again. */
  clonePrivilege: string[];
  /** Many clusters: the cluster the pod is in; its agent runs the actions. Absent: the one cluster. */
  cluster?: string;
  /** Slack user id of whoever ran the command, or 'alert'. */
  requestedBy: string;
  /** ISO 8601. */
  createdAt: string;
}

/** A message the bot posted: where clicks on its buttons must come from. */
export interface Place {
  channel: string;
  ts: string;
}

/** An action's progress as the parent message shows it, plus what Extend needs. */
export interface ActionProgress extends JobProgressState {
  /** The latest the pod may live: creation + maximum TTL (its activeDeadlineSeconds). ISO. */
  maxExpiresAt?: string;
}

/** One action of a diagnosis: who asked, who agreed, and how its pod is doing. */
export interface SlotRecord {
  state: 'awaiting-approval' | 'approved' | 'denied';
  requester: string;
  privilege: PrivilegeClass;
  /** Distinct approvers so far, in order. */
  approvals: string[];
  /** Distinct approvers needed. */
  required: number;
  /** The approval request in the thread, whose Approve/Deny clicks count. */
  ask?: Place;
  progress?: ActionProgress;
}

/** Everything the bot keeps about one diagnosis. */
export interface DiagnosisRecord {
  id: string;
  request: DiagnosisRequest;
  /** The posted diagnosis; absent when it was not posted as a message of the bot's (no clicks are honoured then). */
  message?: Place & { body: ChatMessage };
  /** Blocks above the diagnosis (an alert's headline). */
  prefix: NonNullable<ChatMessage['blocks']>;
  /** By slot key (`c0`, `n`). */
  slots: Record<string, SlotRecord>;
}

export type OpenOutcome =
  | { outcome: 'opened'; state: SlotRecord['state'] }
  | { outcome: 'exists'; slot: SlotRecord }
  | { outcome: 'unknown' };

export type ApproveOutcome =
  | { outcome: 'granted'; approvals: string[] }
  | { outcome: 'recorded'; approvals: string[] }
  | { outcome: 'already-yours'; approvals: string[] }
  | { outcome: 'settled'; state: SlotRecord['state']; approvals: string[] }
  /** An approval on record does not verify: someone wrote it into Redis. Nothing may be granted. */
  | { outcome: 'tampered' }
  | { outcome: 'unknown' };

export type DenyOutcome =
  | { outcome: 'denied' }
  | { outcome: 'settled'; state: SlotRecord['state']; approvals: string[] }
  | { outcome: 'unknown' };

/*
 * Layout of one record, a Redis hash `<prefix>:diagnosis:<id>` with the diagnosis' TTL: `request`, `message`,
 * `prefix` (JSON), then per slot `<slot>.state`, `<slot>.meta` (requester, privilege: JSON), `<slot>.approvals`
 * (space-separated `user:tag` tokens), `<slot>.required`, `<slot>.ask` and `<slot>.progress` (JSON).
 *
 * Whoever can write to Redis could rewrite a record under an approver's eyes: change the pod a pending request is
 * for, add an approval nobody gave, move the message clicks must come from. So everything that decides what is
 * granted carries an HMAC tag under the signing key, which never enters Redis: the request and the message
 * (`request.sig`, `message.sig`), each slot's meta (its `sig` field), the approval-request place, and each approval
 * (its token's tag binds the user to the action). Reads drop what does not verify. Progress is display only.
 */

/**
 * Opens a slot once: the first click decides, later and racing clicks see the slot as it is and never overwrite it.
 * The EXISTS check keeps an expired record from being recreated without its TTL.
 * KEYS: the record. ARGV: slot, meta JSON, approvals (space-separated, may be empty), approvals required.
 * Returns {0} unknown record, {1, state} opened (`approved` when the opener's approval suffices), {2} already open.
 */
const OPEN_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local s = ARGV[1]
if redis.call('HEXISTS', KEYS[1], s .. '.state') == 1 then return {2} end
local n = 0
for _ in string.gmatch(ARGV[3], '%S+') do n = n + 1 end
local state = 'awaiting-approval'
if n >= tonumber(ARGV[4]) then state = 'approved' end
redis.call('HSET', KEYS[1], s .. '.state', state, s .. '.meta', ARGV[2], s .. '.approvals', ARGV[3], s .. '.required', ARGV[4])
return {1, state}
`;

/**
 * Adds one approval to a pending slot: a person counts once, and the slot turns `approved` when the required number
 * of distinct people agreed. Racing Approve clicks are serialised here, so exactly one of them sees `granted`.
 * KEYS: the record. ARGV: slot, user id, the user's approval token (`user:tag`).
 * Returns {0} unknown, {1, approvals} granted now, {4, approvals} recorded and still waiting, {3, approvals} this
 * user already approved, {2, state, approvals} no longer pending.
 */
const APPROVE_SCRIPT = `
local s = ARGV[1]
local state = redis.call('HGET', KEYS[1], s .. '.state')
if not state then return {0} end
local approvals = redis.call('HGET', KEYS[1], s .. '.approvals') or ''
if state ~= 'awaiting-approval' then return {2, state, approvals} end
local n = 0
for token in string.gmatch(approvals, '%S+') do
  if string.match(token, '^[^:]*') == ARGV[2] then return {3, approvals} end
  n = n + 1
end
if n > 0 then approvals = approvals .. ' ' .. ARGV[3] else approvals = ARGV[3] end
n = n + 1
redis.call('HSET', KEYS[1], s .. '.approvals', approvals)
if n >= tonumber(redis.call('HGET', KEYS[1], s .. '.required')) then
  redis.call('HSET', KEYS[1], s .. '.state', 'approved')
  return {1, approvals}
end
return {4, approvals}
`;

/**
 * Denies a pending slot. KEYS: the record. ARGV: slot.
 * Returns {0} unknown, {1} denied now, {2, state, approvals} no longer pending.
 */
const DENY_SCRIPT = `
local s = ARGV[1]
local state = redis.call('HGET', KEYS[1], s .. '.state')
if not state then return {0} end
if state ~= 'awaiting-approval' then
  return {2, state, redis.call('HGET', KEYS[1], s .. '.approvals') or ''}
end
redis.call('HSET', KEYS[1], s .. '.state', 'denied')
return {1}
`;

/**
 * Writes fields of a record that still exists, and can lengthen (never shorten) its life so the Extend and Delete
 * buttons of a pod outlive the diagnosis' TTL. KEYS: the record. ARGV: keep-for seconds (0: leave), field/value pairs.
 * Returns 1, or 0 when the record is gone (nothing is written, so no key is left without an expiry).
 */
const WRITE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1], 'GT') end
return 1
`;

/** One record per diagnosis in Redis: the request, the posted message and a slot per action. */
export class DiagnosisRecordStore {
  private readonly newId: () => string;

  constructor(
    private readonly options: {
      redis: RedisClient;
      prefix: string;
      /** The HMAC key (DEBUGDEAD_SIGNING_KEY) that tags what decides a grant; never written to Redis. */
      signingKey: string;
      newId?: () => string;
      /** Told when a record holds something that does not verify (it is then ignored). */
      onTamper?: (id: string, what: string) => void;
    },
  ) {
    this.newId = options.newId ?? (() => randomBytes(16).toString('base64url'));
  }

  /** Stores a diagnosis for `ttlSeconds` and returns its id. */
  async create(request: DiagnosisRequest, ttlSeconds: number): Promise<string> {
    const id = this.newId();
    const json = JSON.stringify(request);
    if (!isDiagnosisId(id)) throw new Error(`diagnosis id ${JSON.stringify(id)} is not 8-64 base64url characters`);
    await this.options.redis
      .multi()
      .hset(this.key(id), 'request', json, 'request.sig', this.tag('request', id, json))
      .expire(this.key(id), ttlSeconds)
      .exec();
    return id;
  }

  /** The record, or undefined when unknown, expired or unreadable. */
  async get(id: string): Promise<DiagnosisRecord | undefined> {
    if (!isDiagnosisId(id)) return undefined;
    const hash = await this.options.redis.hgetall(this.key(id));
    if (hash.request === undefined) return undefined;
    if (!this.verify(hash['request.sig'], 'request', id, hash.request)) {
      this.options.onTamper?.(id, 'the request does not verify');
      return undefined;
    }
    try {
      const slots: Record<string, SlotRecord> = {};
      for (const [field, state] of Object.entries(hash)) {
        if (!field.endsWith('.state')) continue;
        const slot = field.slice(0, -'.state'.length);
        if (!SLOT_KEY_PATTERN.test(slot)) continue;
        const actionId = `${id}.${slot}`;
        const meta = JSON.parse(hash[`${slot}.meta`] ?? '{}') as {
          requester?: string;
          privilege?: string;
          sig?: string;
        };
        const requester = String(meta.requester ?? '');
        const privilege: PrivilegeClass = meta.privilege === 'standard' ? 'standard' : 'privileged';
        if (!this.verify(meta.sig, 'slot', actionId, requester, privilege)) {
          this.options.onTamper?.(id, `slot ${slot} does not verify`);
          continue;
        }
        const ask = hash[`${slot}.ask`] ? (JSON.parse(hash[`${slot}.ask`]!) as Place & { sig?: string }) : undefined;
        const askOk = ask && this.verify(ask.sig, 'ask', actionId, ask.channel, ask.ts);
        slots[slot] = {
          state: state as SlotRecord['state'],
          requester,
          privilege,
          approvals: this.verifiedApprovals(id, actionId, hash[`${slot}.approvals`]).users,
          required: Number(hash[`${slot}.required`] ?? 1),
          ...(ask && askOk ? { ask: { channel: ask.channel, ts: ask.ts } } : {}),
          ...(hash[`${slot}.progress`] ? { progress: JSON.parse(hash[`${slot}.progress`]!) as ActionProgress } : {}),
        };
      }
      const messageOk = hash.message !== undefined && this.verify(hash['message.sig'], 'message', id, hash.message);
      if (hash.message !== undefined && !messageOk) this.options.onTamper?.(id, 'the message does not verify');
      return {
        id,
        request: JSON.parse(hash.request) as DiagnosisRequest,
        ...(messageOk ? { message: JSON.parse(hash.message!) as DiagnosisRecord['message'] } : {}),
        prefix: hash.prefix ? (JSON.parse(hash.prefix) as DiagnosisRecord['prefix']) : [],
        slots,
      };
    } catch {
      return undefined;
    }
  }

  /** Where the diagnosis was posted, and what it said. */
  setMessage(id: string, message: NonNullable<DiagnosisRecord['message']>): Promise<boolean> {
    const json = JSON.stringify(message);
    return this.write(id, 0, ['message', json, 'message.sig', this.tag('message', id, json)]);
  }

  /** Replaces the blocks above the diagnosis (an alert's headline). */
  setPrefix(id: string, blocks: DiagnosisRecord['prefix']): Promise<boolean> {
    return this.write(id, 0, ['prefix', JSON.stringify(blocks)]);
  }

  /** Opens a slot for its first requester; see OPEN_SCRIPT. */
  async open(
    id: string,
    slot: string,
    init: { requester: string; privilege: PrivilegeClass; approvals: string[]; required: number },
  ): Promise<OpenOutcome> {
    const actionId = `${id}.${slot}`;
    const sig = this.tag('slot', actionId, init.requester, init.privilege);
    const meta = JSON.stringify({ requester: init.requester, privilege: init.privilege, sig });
    const [code, state] = (await this.options.redis.eval(
      OPEN_SCRIPT,
      1,
      this.key(id),
      checkSlot(slot),
      meta,
      init.approvals.map((user) => this.token(actionId, user)).join(' '),
      String(init.required),
    )) as [number, SlotRecord['state']?];
    if (code === 1) return { outcome: 'opened', state: state! };
    if (code === 2) {
      const existing = (await this.get(id))?.slots[slot];
      return existing ? { outcome: 'exists', slot: existing } : { outcome: 'unknown' };
    }
    return { outcome: 'unknown' };
  }

  /** One approval of a pending slot; see APPROVE_SCRIPT. */
  async approve(id: string, slot: string, user: string): Promise<ApproveOutcome> {
    const actionId = `${id}.${slot}`;
    const [code, a, b] = (await this.options.redis.eval(
      APPROVE_SCRIPT,
      1,
      this.key(id),
      checkSlot(slot),
      user,
      this.token(actionId, user),
    )) as [number, string?, string?];
    const list = (s: string | undefined) => this.verifiedApprovals(id, actionId, s);
    switch (code) {
      case 1:
      case 4: {
        const { users, forged } = list(a);
        if (forged > 0) return { outcome: 'tampered' };
        return { outcome: code === 1 ? 'granted' : 'recorded', approvals: users };
      }
      case 3:
        return { outcome: 'already-yours', approvals: list(a).users };
      case 2:
        return { outcome: 'settled', state: a as SlotRecord['state'], approvals: list(b).users };
      default:
        return { outcome: 'unknown' };
    }
  }

  /** Denies a pending slot; see DENY_SCRIPT. */
  async deny(id: string, slot: string): Promise<DenyOutcome> {
    const [code, a, b] = (await this.options.redis.eval(DENY_SCRIPT, 1, this.key(id), checkSlot(slot))) as [
      number,
      string?,
      string?,
    ];
    if (code === 1) return { outcome: 'denied' };
    if (code === 2)
      return {
        outcome: 'settled',
        state: a as SlotRecord['state'],
        approvals: this.verifiedApprovals(id, `${id}.${slot}`, b).users,
      };
    return { outcome: 'unknown' };
  }

  /** Where the approval request was posted: its Approve/Deny clicks count only from there. */
  setAsk(id: string, slot: string, ask: Place): Promise<boolean> {
    const sig = this.tag('ask', `${id}.${slot}`, ask.channel, ask.ts);
    return this.write(id, 0, [`${checkSlot(slot)}.ask`, JSON.stringify({ channel: ask.channel, ts: ask.ts, sig })]);
  }

  /** Records an action's progress; keeps the record alive at least `keepForSeconds` (a pod outlives the buttons). */
  setProgress(id: string, slot: string, progress: ActionProgress, keepForSeconds = 0): Promise<boolean> {
    return this.write(id, keepForSeconds, [`${checkSlot(slot)}.progress`, JSON.stringify(progress)]);
  }

  private async write(id: string, keepForSeconds: number, pairs: string[]): Promise<boolean> {
    if (!isDiagnosisId(id)) return false;
    const keep = String(Math.max(0, Math.ceil(keepForSeconds)));
    return (await this.options.redis.eval(WRITE_SCRIPT, 1, this.key(id), keep, ...pairs)) === 1;
  }

  private key(id: string): string {
    return `${this.options.prefix}:diagnosis:${id}`;
  }

  /** A 128-bit HMAC tag over a kind and its parts (JSON, so no two part lists share bytes). */
  private tag(kind: string, ...parts: string[]): string {
    return createHmac('sha256', this.options.signingKey)
      .update(JSON.stringify([`debugdead.${kind}.v1`, ...parts]))
      .digest('hex')
      .slice(0, 32);
  }

  private verify(given: unknown, kind: string, ...parts: string[]): boolean {
    if (typeof given !== 'string' || !/^[0-9a-f]{32}$/.test(given)) return false;
    return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(this.tag(kind, ...parts), 'hex'));
  }

  /** `user:tag`: the tag binds the user to this action, so a token cannot be made or moved without the key. */
  private token(actionId: string, user: string): string {
    return `${user}:${this.tag('approval', actionId, user)}`;
  }

  /** The users whose approval tokens verify, in order, and how many did not. */
  private verifiedApprovals(
    id: string,
    actionId: string,
    raw: string | undefined,
  ): { users: string[]; forged: number } {
    const users: string[] = [];
    let forged = 0;
    for (const token of (raw ?? '').split(' ').filter(Boolean)) {
      const colon = token.indexOf(':');
      const user = colon > 0 ? token.slice(0, colon) : '';
      if (user && this.verify(token.slice(colon + 1), 'approval', actionId, user) && !users.includes(user))
        users.push(user);
      else forged++;
    }
    if (forged > 0) this.options.onTamper?.(id, `${forged} approval(s) of ${actionId} do not verify`);
    return { users, forged };
  }
}

function checkSlot(slot: string): string {
  if (!SLOT_KEY_PATTERN.test(slot)) throw new Error(`slot ${JSON.stringify(slot)} is not c<i>, e<i> or n`);
  return slot;
}
