import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isDiagnosisId, type PrivilegeClass } from '../actions/index.js';
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
  | { outcome: 'unknown' };

export type DenyOutcome =
  | { outcome: 'denied' }
  | { outcome: 'settled'; state: SlotRecord['state']; approvals: string[] }
  | { outcome: 'unknown' };

/*
 * Layout of one record, a Redis hash `<prefix>:diagnosis:<id>` with the diagnosis' TTL: `request`, `message`,
 * `prefix` (JSON), then per slot `<slot>.state`, `<slot>.meta` (requester, privilege: JSON), `<slot>.approvals`
 * (space-separated user ids), `<slot>.required`, `<slot>.ask` and `<slot>.progress` (JSON).
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
 * KEYS: the record. ARGV: slot, user id.
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
for id in string.gmatch(approvals, '%S+') do
  if id == ARGV[2] then return {3, approvals} end
  n = n + 1
end
if n > 0 then approvals = approvals .. ' ' .. ARGV[2] else approvals = ARGV[2] end
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

const SLOT_KEY = /^(?:c\d{1,3}|n)$/;

/** One record per diagnosis in Redis: the request, the posted message and a slot per action. */
export class DiagnosisRecordStore {
  private readonly newId: () => string;

  constructor(private readonly options: { redis: Redis; prefix: string; newId?: () => string }) {
    this.newId = options.newId ?? (() => randomBytes(16).toString('base64url'));
  }

  /** Stores a diagnosis for `ttlSeconds` and returns its id. */
  async create(request: DiagnosisRequest, ttlSeconds: number): Promise<string> {
    const id = this.newId();
    if (!isDiagnosisId(id)) throw new Error(`diagnosis id ${JSON.stringify(id)} is not 8-64 base64url characters`);
    await this.options.redis
      .multi()
      .hset(this.key(id), 'request', JSON.stringify(request))
      .expire(this.key(id), ttlSeconds)
      .exec();
    return id;
  }

  /** The record, or undefined when unknown, expired or unreadable. */
  async get(id: string): Promise<DiagnosisRecord | undefined> {
    if (!isDiagnosisId(id)) return undefined;
    const hash = await this.options.redis.hgetall(this.key(id));
    if (hash.request === undefined) return undefined;
    try {
      const slots: Record<string, SlotRecord> = {};
      for (const [field, state] of Object.entries(hash)) {
        if (!field.endsWith('.state')) continue;
        const slot = field.slice(0, -'.state'.length);
        if (!SLOT_KEY.test(slot)) continue;
        const meta = JSON.parse(hash[`${slot}.meta`] ?? '{}') as { requester?: string; privilege?: string };
        slots[slot] = {
          state: state as SlotRecord['state'],
          requester: String(meta.requester ?? ''),
          privilege: meta.privilege === 'standard' ? 'standard' : 'privileged',
          approvals: (hash[`${slot}.approvals`] ?? '').split(' ').filter(Boolean),
          required: Number(hash[`${slot}.required`] ?? 1),
          ...(hash[`${slot}.ask`] ? { ask: JSON.parse(hash[`${slot}.ask`]!) as Place } : {}),
          ...(hash[`${slot}.progress`] ? { progress: JSON.parse(hash[`${slot}.progress`]!) as ActionProgress } : {}),
        };
      }
      return {
        id,
        request: JSON.parse(hash.request) as DiagnosisRequest,
        ...(hash.message ? { message: JSON.parse(hash.message) as DiagnosisRecord['message'] } : {}),
        prefix: hash.prefix ? (JSON.parse(hash.prefix) as DiagnosisRecord['prefix']) : [],
        slots,
      };
    } catch {
      return undefined;
    }
  }

  /** Where the diagnosis was posted, and what it said. */
  setMessage(id: string, message: NonNullable<DiagnosisRecord['message']>): Promise<boolean> {
    return this.write(id, 0, ['message', JSON.stringify(message)]);
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
    const meta = JSON.stringify({ requester: init.requester, privilege: init.privilege });
    const [code, state] = (await this.options.redis.eval(
      OPEN_SCRIPT,
      1,
      this.key(id),
      checkSlot(slot),
      meta,
      init.approvals.join(' '),
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
    const [code, a, b] = (await this.options.redis.eval(APPROVE_SCRIPT, 1, this.key(id), checkSlot(slot), user)) as [
      number,
      string?,
      string?,
    ];
    const list = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean);
    switch (code) {
      case 1:
        return { outcome: 'granted', approvals: list(a) };
      case 4:
        return { outcome: 'recorded', approvals: list(a) };
      case 3:
        return { outcome: 'already-yours', approvals: list(a) };
      case 2:
        return { outcome: 'settled', state: a as SlotRecord['state'], approvals: list(b) };
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
      return { outcome: 'settled', state: a as SlotRecord['state'], approvals: (b ?? '').split(' ').filter(Boolean) };
    return { outcome: 'unknown' };
  }

  /** Where the approval request was posted: its Approve/Deny clicks count only from there. */
  setAsk(id: string, slot: string, ask: Place): Promise<boolean> {
    return this.write(id, 0, [`${checkSlot(slot)}.ask`, JSON.stringify(ask)]);
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
}

function checkSlot(slot: string): string {
  if (!SLOT_KEY.test(slot)) throw new Error(`slot ${JSON.stringify(slot)} is not c<i> or n`);
  return slot;
}
