import type { Redis } from 'ioredis';
import { AuditUnavailable } from './audit-unavailable.js';
import { chainRecord, GENESIS_HASH } from './hash-record.js';
import type { AuditEntry, AuditInput, AuditRecord } from './types.js';
import { type VerifyResult, verifyChain } from './verify-chain.js';

/** How an AuditLog is wired. */
export interface AuditLogOptions {
  /** A connection shared with the rest of the bot is fine: appends are single EVALs, never WATCH/MULTI. */
  redis: Redis;
  /** The stream key, e.g. `${prefix}:audit`. The chain head (hash, stream id, count) lives at `${key}:head`. */
  key: string;
  /** Records kept in the stream (XADD MAXLEN ~, so a few more may stay). @defaultValue 100000 */
  maxLen?: number;
  /** Fills `target.cluster` when the caller leaves it out. */
  clusterName: string;
  /** The audit log line (see auditLogSink); called synchronously, before Redis is touched. */
  sink?: (entry: AuditEntry) => void;
  /** An optional copy of each stored record, e.g. to an audit channel; not awaited by `record`. */
  mirror?: (record: AuditRecord) => Promise<void>;
  /** Told about mirror failures; the record is already in the log and the stream, so nothing is lost. */
  onMirrorError?: (err: unknown, record: AuditRecord) => void;
  /** Milliseconds `record` waits for Redis before reporting it unavailable. @defaultValue 5000 */
  timeoutMs?: number;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/** A verification of the stream; a break also names the stream id of the record where it was found. */
export type AuditVerifyResult = VerifyResult | (Extract<VerifyResult, { ok: false }> & { seq: string });

/** Which records `recent` returns. */
export interface RecentQuery {
  /** @defaultValue 20 */
  limit?: number;
  /** A pod name, or `namespace/pod`. */
  pod?: string;
  /** A Slack user id: records where that user acted. */
  user?: string;
  requestId?: string;
  /** Stream entries examined at most, so a filter that matches nothing cannot read 100 000 records. @defaultValue 10000 */
  maxScan?: number;
}

/** Input that AuditLog.record accepts: `target.cluster` may be left to the log's clusterName. */
export type AuditLogInput = Omit<AuditInput, 'target'> & {
  target: Omit<AuditEntry['target'], 'cluster'> & { cluster?: string };
};

/**
 * Appends the chain link in one step. Lua has no SHA-256 (only redis.sha1hex), so Node hashes and the script
 * compares-and-sets: it appends only if the head is still the prevHash the record was hashed against, otherwise it
 * returns the current head and the caller rehashes. EVAL is atomic across every replica sharing the Redis, needs no
 * dedicated connection (WATCH would) and keeps SHA-256.
 * KEYS: stream, head. ARGV: expected prevHash, new hash, maxLen, record JSON, genesis hash.
 */
const APPEND_SCRIPT = `
local head = redis.call('HGET', KEYS[2], 'hash')
if not head then head = ARGV[5] end
if head ~= ARGV[1] then return {0, head} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'r', ARGV[4])
redis.call('HSET', KEYS[2], 'hash', ARGV[2], 'seq', id)
redis.call('HINCRBY', KEYS[2], 'count', 1)
return {1, id}
`;

/** Appends fail after this many lost races; each lost race means another replica appended, so this is generous. */
const MAX_APPEND_ATTEMPTS = 100;
const PAGE = 1000;

/**
 * The audit trail: every record goes first to the audit log line (sink), then onto a hash-chained, bounded Redis
 * stream shared by all replicas, then (optionally) to a mirror.
 *
 * When Redis fails, `record` throws AuditUnavailable('redis') after the sink has the line: the line is never dropped,
 * and the caller decides whether its action may go on without the stream copy. The sink line carries no chain
 * hashes (they need the Redis head, which may be the thing that is down); the chain is the stream's.
 */
export class AuditLog {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly headKey: string;
  private readonly maxLen: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private head: string | undefined;
  private readonly mirrors = new Set<Promise<void>>();
  /** This instance's appends run one after another, so replicas race each other, not themselves. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AuditLogOptions) {
    this.redis = options.redis;
    this.key = options.key;
    this.headKey = `${options.key}:head`;
    this.maxLen = options.maxLen ?? 100_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records one event and returns it as stored (with `seq`, `prevHash`, `hash`).
   * @throws AuditUnavailable when Redis (store 'redis') or the audit log (store 'log') could not take it.
   */
  async record(input: AuditLogInput): Promise<AuditRecord> {
    const entry = this.toEntry(input);
    let logError: unknown;
    try {
      this.options.sink?.(entry);
    } catch (e) {
      logError = e;
    }
    let record: AuditRecord;
    try {
      record = await withTimeout(this.enqueue(entry), this.timeoutMs);
    } catch (e) {
      throw new AuditUnavailable('redis', entry, `audit record not stored in Redis: ${errorText(e)}`, e);
    }
    this.startMirror(record);
    if (logError !== undefined) {
      throw new AuditUnavailable('log', entry, `audit log line not written: ${errorText(logError)}`, logError, record);
    }
    return record;
  }

  /** The most recent matching records, oldest first (so they read like a log). */
  async recent(query: RecentQuery = {}): Promise<AuditRecord[]> {
    const limit = query.limit ?? 20;
    const maxScan = query.maxScan ?? 10_000;
    const matches = recordMatcher(query);
    const found: AuditRecord[] = [];
    let end = '+';
    let scanned = 0;
    while (found.length < limit && scanned < maxScan) {
      const count = Math.min(PAGE, maxScan - scanned);
      const rows = await this.redis.xrevrange(this.key, end, '-', 'COUNT', count);
      for (const [id, fields] of rows) {
        const record = parseEntry(id, fields);
        if (record && matches(record)) found.push(record);
        if (found.length === limit) break;
      }
      scanned += rows.length;
      if (rows.length < count) break;
      end = `(${rows[rows.length - 1]![0]}`;
    }
    return found.reverse();
  }

  /**
   * Verifies the retained chain against the stored head. Once more than `maxLen` records were ever appended the
   * stream has been trimmed, so the oldest retained record's prevHash is accepted as the anchor: removing the oldest
   * retained record then looks like trimming. Before that, the chain must start at GENESIS_HASH.
   */
  async verify(): Promise<AuditVerifyResult> {
    const head = await this.redis.hgetall(this.headKey);
    const records: AuditRecord[] = [];
    let start = '-';
    for (;;) {
      const rows = await this.redis.xrange(this.key, start, '+', 'COUNT', PAGE);
      for (const [id, fields] of rows) {
        const record = parseEntry(id, fields);
        if (!record) return { ok: false, brokenAt: records.length, reason: 'edited', seq: id };
        records.push(record);
      }
      if (rows.length < PAGE) break;
      start = `(${rows[rows.length - 1]![0]}`;
    }
    const appended = Number(head.count ?? 0);
    if (records.length === 0) {
      return appended > 0 ? { ok: false, brokenAt: 0, reason: 'head-mismatch' } : { ok: true, count: 0 };
    }
    const anchor = appended > this.maxLen ? null : GENESIS_HASH;
    const result = verifyChain(records, { anchor, ...(head.hash ? { head: head.hash } : {}) });
    return result.ok ? result : { ...result, seq: records[result.brokenAt]!.seq! };
  }

  /** Resolves when every mirror call started so far has settled (for shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.mirrors]);
  }

  private toEntry(input: AuditLogInput): AuditEntry {
    const { time, target, requestId, detail, ...rest } = input;
    return {
      time: (time ?? this.now()).toISOString(),
      actor: rest.actor,
      action: rest.action,
      target: { ...target, cluster: target.cluster ?? this.options.clusterName },
      ...(requestId !== undefined ? { requestId } : {}),
      result: rest.result,
      ...(detail !== undefined ? { detail } : {}),
    };
  }

  private enqueue(entry: AuditEntry): Promise<AuditRecord> {
    const appended = this.queue.then(() => this.append(entry));
    this.queue = appended.catch(() => {});
    return appended;
  }

  private async append(entry: AuditEntry): Promise<AuditRecord> {
    let prev = this.head ?? (await this.redis.hget(this.headKey, 'hash')) ?? GENESIS_HASH;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const record = chainRecord(prev, entry);
      const [stored, value] = (await this.redis.eval(
        APPEND_SCRIPT,
        2,
        this.key,
        this.headKey,
        prev,
        record.hash,
        String(this.maxLen),
        JSON.stringify(record),
        GENESIS_HASH,
      )) as [number, string];
      if (stored === 1) {
        this.head = record.hash;
        return { seq: value, ...record };
      }
      prev = value;
    }
    throw new Error(`the chain head moved ${MAX_APPEND_ATTEMPTS} times in a row`);
  }

  private startMirror(record: AuditRecord): void {
    const mirror = this.options.mirror;
    if (!mirror) return;
    const done: Promise<void> = Promise.resolve()
      .then(() => mirror(record))
      .catch((err: unknown) => this.options.onMirrorError?.(err, record))
      .finally(() => this.mirrors.delete(done));
    this.mirrors.add(done);
  }
}

function recordMatcher(query: RecentQuery): (r: AuditRecord) => boolean {
  return (r) =>
    (query.pod === undefined || r.target.pod === query.pod || `${r.target.namespace}/${r.target.pod}` === query.pod) &&
    (query.user === undefined || (r.actor.type === 'user' && r.actor.id === query.user)) &&
    (query.requestId === undefined || r.requestId === query.requestId);
}

function parseEntry(id: string, fields: string[]): AuditRecord | undefined {
  const at = fields.indexOf('r');
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) return undefined;
  try {
    const parsed = JSON.parse(json) as AuditRecord;
    return typeof parsed === 'object' && parsed !== null ? { seq: id, ...parsed } : undefined;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
