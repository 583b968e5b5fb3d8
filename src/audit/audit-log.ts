import type { RedisClient } from '../redis/index.js';
import type { AuditLine } from './audit-log-lines.js';
import { AuditUnavailable } from './audit-unavailable.js';
import { chainRecord, GENESIS_HASH } from './hash-record.js';
import type { AuditAnchor, AuditEntry, AuditInput, AuditRecord } from './types.js';
import { type AuditReport, verifyAudit } from './verify-audit.js';

/** How an AuditLog is wired. */
export interface AuditLogOptions {
  /** A connection shared with the rest of the bot is fine: appends are single EVALs, never WATCH/MULTI. */
  redis: RedisClient;
  /** The stream key, e.g. `${prefix}:audit`. The chain head (hash, seq, trimmed) lives at `${key}:head`. */
  key: string;
  /** Records kept in the stream; older ones are trimmed behind an `audit.trimmed` record. @defaultValue 100000 */
  maxLen?: number;
  /** Fills `target.cluster` when the caller leaves it out. */
  clusterName: string;
  /** The audit log (see auditLogSink): chained records, spooled entries, anchors. Called synchronously. */
  sink?: (line: AuditLine) => void;
  /** An optional copy of each stored record, e.g. to an audit channel; not awaited by `record`. */
  mirror?: (record: AuditRecord) => Promise<void>;
  /** Told about mirror failures; the record is already in the log and the stream, so nothing is lost. */
  onMirrorError?: (err: unknown, record: AuditRecord) => void;
  /** Signs every record (see deriveAuditKey); without it records carry no `mac`. */
  macKey?: Buffer;
  /** Publishes an anchor outside Redis (the audit channel); the audit log line is written by the AuditLog itself. */
  onAnchor?: (anchor: AuditAnchor) => Promise<void>;
  onAnchorError?: (err: unknown, anchor: AuditAnchor) => void;
  /** An anchor every this many records. @defaultValue 1000 */
  anchorEvery?: number;
  /** And at least this often while records are written, milliseconds. @defaultValue 3600000 (1h) */
  anchorIntervalMs?: number;
  /** Told when Redis stops taking records (err set) and when it takes them again (err undefined). */
  onOutage?: (err: unknown | undefined, spooled: number) => void;
  /** Records held for the chain while Redis is away; beyond it the oldest are only in the audit log. @defaultValue 10000 */
  spoolMax?: number;
  /** Milliseconds one append may wait for Redis before it counts as an outage. @defaultValue 5000 */
  timeoutMs?: number;
  /** Milliseconds between attempts while Redis is away. @defaultValue 1000 */
  retryMs?: number;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

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

/** Evidence from outside Redis that `verify` holds the stream against. */
export interface OutsideEvidence {
  anchors?: readonly AuditAnchor[];
  logged?: readonly AuditRecord[];
}

interface Head {
  seq: number;
  hash: string;
}

interface Pending {
  entry: AuditEntry;
  resolve: (record: AuditRecord | undefined) => void;
  reject: (err: unknown) => void;
  /** Its spooled line is written and its caller answered; it still waits for the chain. */
  spooled: boolean;
}

/** A batch sent to Redis whose answer never came: if it was stored after all, the next attempt finds out. */
interface Unconfirmed {
  /** The chain's own records stored with the batch (gap, reset, trim): logged, answered to nobody. */
  extra: AuditRecord[];
  /** One per pending entry consumed, in order. */
  own: AuditRecord[];
  gap: boolean;
  last: AuditRecord;
}

/**
 * Appends a batch in one step. Lua has no SHA-256, so Node hashes and the script compares-and-sets: it appends only
 * if the head is still the one the batch was chained onto, otherwise it returns the current head and the caller
 * rechains. Stream ids are `<seq>-0`, so a seq can be stored once and the stream refuses to go backwards.
 * KEYS: stream, head. ARGV: expected head hash, genesis hash, new head hash, new head seq, trim min id ('' = none),
 * trimmed-through seq, then pairs of (stream id, record JSON).
 * Returns {1} stored; {0, hash, seq, trimmed} the head moved; {2, error} the stream refused an id (it holds records
 * beyond the head: the head was rewound).
 */
const APPEND_SCRIPT = `
local head = redis.call('HMGET', KEYS[2], 'hash', 'seq', 'trimmed')
local hash = head[1] or ARGV[2]
if hash ~= ARGV[1] then return {0, hash, head[2] or '0', head[3] or '0'} end
for i = 7, #ARGV, 2 do
  local ok = redis.pcall('XADD', KEYS[1], ARGV[i], 'r', ARGV[i + 1])
  if type(ok) == 'table' and ok.err then return {2, ok.err} end
end
redis.call('HSET', KEYS[2], 'hash', ARGV[3], 'seq', ARGV[4])
if ARGV[5] ~= '' then
  redis.call('XTRIM', KEYS[1], 'MINID', ARGV[5])
  redis.call('HSET', KEYS[2], 'trimmed', ARGV[6])
end
return {1}
`;

/** Records sent in one EVAL: enough that a burst of thousands drains in a few round trips. */
const BATCH = 500;
const MAX_APPEND_ATTEMPTS = 100;
const PAGE = 1000;

/**
 * The audit trail: a hash chain kept in a Redis stream shared by all replicas, continued in the audit log (every
 * line carries seq, prevHash, hash and the bot's signature), and anchored outside Redis every `anchorEvery` records
 * and at least every `anchorIntervalMs` (the audit channel and the audit log). Whoever holds Redis can then still
 * delete or rewrite the stream, but not unnoticed: `verify` holds it against the anchors and the logged copies.
 *
 * `record` never loses a record to a Redis outage: while Redis is away records are spooled (bounded) and written to
 * the audit log at once, then appended behind an `audit.gap` record when Redis returns.
 */
export class AuditLog {
  private readonly redis: RedisClient;
  private readonly key: string;
  private readonly headKey: string;
  private readonly maxLen: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly pending: Pending[] = [];
  private readonly mirrors = new Set<Promise<void>>();
  private head: Head | undefined;
  private trimmedThrough = 0;
  private unconfirmed: Unconfirmed | undefined;
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private outage: { since: string; dropped: number } | undefined;
  private anchoredSeq = 0;
  private readonly anchorTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuditLogOptions) {
    this.redis = options.redis;
    this.key = options.key;
    this.headKey = `${options.key}:head`;
    this.maxLen = Math.max(options.maxLen ?? 100_000, 10);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? (() => new Date());
    const interval = options.anchorIntervalMs ?? 3_600_000;
    if (interval > 0) {
      this.anchorTimer = setInterval(() => this.anchorHead(), interval);
      this.anchorTimer.unref();
    }
  }

  /**
   * Records one event. Resolves with it as chained and stored, or with undefined when Redis is away and the record
   * was spooled (its line is already in the audit log; it joins the chain when Redis returns).
   * @throws AuditUnavailable (store 'log') when the audit log could not take its line.
   */
  record(input: AuditLogInput): Promise<AuditRecord | undefined> {
    const entry = this.toEntry(input);
    return new Promise((resolve, reject) => {
      const item: Pending = { entry, resolve, reject, spooled: false };
      this.pending.push(item);
      if (this.outage) {
        this.spool(item);
        this.boundSpool();
      } else {
        this.drain();
      }
    });
  }

  /**
   * The same log and chain, recording for one cluster: `target.cluster` is `cluster` unless the caller names one.
   * Many clusters: the gateway records each cluster's Slack side through its view.
   */
  forCluster(cluster: string): AuditLog {
    const view: AuditLog = Object.create(this);
    view.record = (input) =>
      this.record({ ...input, target: { ...input.target, cluster: input.target.cluster ?? cluster } });
    return view;
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
      for (const [, fields] of rows) {
        const record = parseEntry(fields);
        if (record && matches(record)) found.push(record);
        if (found.length === limit) break;
      }
      scanned += rows.length;
      if (rows.length < count) break;
      end = `(${rows[rows.length - 1]![0]}`;
    }
    return found.reverse();
  }

  /** Every record in the stream, oldest first; an entry that is not a record comes back as undefined's place skipped. */
  async readAll(): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let start = '-';
    for (;;) {
      const rows = await this.redis.xrange(this.key, start, '+', 'COUNT', PAGE);
      for (const [id, fields] of rows) {
        const record = parseEntry(fields);
        // An entry that is not a record at all is shown as an edited record at the seq its id claims.
        records.push(record ?? unreadable(id));
      }
      if (rows.length < PAGE) break;
      start = `(${rows[rows.length - 1]![0]}`;
    }
    return records;
  }

  /** Verifies the stream against itself, Redis' head, and whatever outside evidence is given. */
  async verify(outside: OutsideEvidence = {}): Promise<AuditReport> {
    const [records, head] = await Promise.all([this.readAll(), this.redis.hmget(this.headKey, 'hash', 'seq')]);
    return verifyAudit({
      records,
      ...(head[0] && head[1] ? { head: { hash: head[0], seq: Number(head[1]) } } : {}),
      ...(outside.anchors ? { anchors: outside.anchors } : {}),
      ...(outside.logged ? { logged: outside.logged } : {}),
      ...(this.options.macKey ? { macKey: this.options.macKey } : {}),
    });
  }

  /** Resolves when every record so far is chained (or spooled while Redis is away) and every mirror call settled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
    await Promise.all([...this.mirrors]);
  }

  /** Stops the anchor and retry timers (records still spooled stay in the audit log). */
  close(): void {
    if (this.anchorTimer) clearInterval(this.anchorTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private toEntry(input: AuditLogInput): AuditEntry {
    const { time, target, requestId, detail, meta, ...rest } = input;
    return {
      time: (time ?? this.now()).toISOString(),
      actor: rest.actor,
      action: rest.action,
      target: { ...target, cluster: target.cluster ?? this.options.clusterName },
      ...(requestId !== undefined ? { requestId } : {}),
      result: rest.result,
      ...(detail !== undefined ? { detail } : {}),
      ...(meta !== undefined ? { meta } : {}),
    };
  }

  private drain(): void {
    if (this.draining || this.retryTimer) return;
    this.draining = this.drainPending().finally(() => {
      this.draining = undefined;
      if (this.pending.length && !this.retryTimer) this.drain();
    });
  }

  private async drainPending(): Promise<void> {
    while (this.pending.length && !this.retryTimer) {
      const batch = this.pending.slice(0, BATCH);
      let stored: Unconfirmed;
      try {
        stored = await withTimeout(this.append(batch.map((p) => p.entry)), this.timeoutMs);
      } catch (err) {
        this.enterOutage(err);
        return;
      }
      this.unconfirmed = undefined;
      const done = this.pending.splice(0, stored.own.length);
      for (const record of stored.extra) this.writeLine({ kind: 'record', record });
      for (const [i, item] of done.entries()) this.settle(item, stored.own[i]!);
      if (stored.gap && this.outage) {
        this.options.onOutage?.(undefined, 0);
        this.outage = undefined;
      }
      this.anchorIfDue([...stored.extra, ...stored.own]);
    }
  }

  /** Writes the chained line and answers the caller (who was already answered if the entry had been spooled). */
  private settle(item: Pending, record: AuditRecord): void {
    try {
      this.writeLine({ kind: 'record', record });
    } catch (e) {
      if (!item.spooled) {
        item.reject(new AuditUnavailable('log', item.entry, `audit log line not written: ${errorText(e)}`, e, record));
      }
      return;
    }
    this.startMirror(record);
    if (!item.spooled) item.resolve(record);
  }

  /**
   * Chains the entries onto the current head and stores them, behind a gap record after an outage, a reset record
   * when the head went backwards, and a trim record when the stream is over maxLen.
   */
  private async append(entries: readonly AuditEntry[]): Promise<Unconfirmed> {
    // Set when the previous attempt timed out: Redis may have stored it after all.
    const earlier = this.unconfirmed;
    let head = this.head ?? (await this.readHead());
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const gap = this.outage !== undefined;
      const records = chainAll(head, gap ? [this.gapEntry(), ...entries] : entries, this.options.macKey);
      const trim = await this.trimAfter(records[records.length - 1]!);
      if (trim) records.push(chainRecord(records[records.length - 1]!, trim.entry, this.options.macKey));
      const last = records[records.length - 1]!;
      const own = records.slice(gap ? 1 : 0, (gap ? 1 : 0) + entries.length);
      const attemptRecords: Unconfirmed = { extra: records.filter((r) => !own.includes(r)), own, gap, last };
      this.unconfirmed = attemptRecords;
      const answer = (await this.redis.eval(
        APPEND_SCRIPT,
        2,
        this.key,
        this.headKey,
        head.hash,
        GENESIS_HASH,
        last.hash,
        String(last.seq),
        trim ? `${trim.firstKept}-0` : '',
        trim ? String(trim.firstKept - 1) : '',
        ...records.flatMap((r) => [`${r.seq}-0`, JSON.stringify(r)]),
      )) as [number, string?, string?, string?];
      if (answer[0] === 1) {
        this.head = { seq: last.seq, hash: last.hash };
        if (trim) this.trimmedThrough = trim.firstKept - 1;
        return attemptRecords;
      }
      if (answer[0] === 2) {
        head = await this.streamTop();
        continue;
      }
      const current: Head = { hash: answer[1] ?? GENESIS_HASH, seq: Number(answer[2] ?? 0) };
      this.trimmedThrough = Number(answer[3] ?? 0);
      if (earlier && current.hash === earlier.last.hash && earlier.own.length <= entries.length) {
        // The attempt that timed out was stored after all.
        this.head = { seq: earlier.last.seq, hash: earlier.last.hash };
        return earlier;
      }
      if (this.head && current.seq < this.head.seq) {
        // Heads only move forward; one behind what this replica wrote means Redis lost or was made to lose records.
        head = await this.appendReset(this.head, current);
        continue;
      }
      head = current;
    }
    throw new Error(`the audit chain head moved ${MAX_APPEND_ATTEMPTS} times in a row`);
  }

  /** Stores a reset record after this replica's own head, saying where Redis' head was found; returns the new head. */
  private async appendReset(known: Head, found: Head): Promise<Head> {
    const reset = chainRecord(
      known,
      {
        time: this.now().toISOString(),
        actor: { type: 'bot' },
        action: 'audit.reset',
        target: { cluster: this.options.clusterName },
        result: 'error',
        detail: `the audit stream's head was at record ${found.seq}, behind record ${known.seq} that this bot wrote: Redis was flushed or the stream rewound`,
        meta: { foundSeq: found.seq, expectedSeq: known.seq },
      },
      this.options.macKey,
    );
    const answer = (await this.redis.eval(
      APPEND_SCRIPT,
      2,
      this.key,
      this.headKey,
      found.hash,
      GENESIS_HASH,
      reset.hash,
      String(reset.seq),
      '',
      '',
      `${reset.seq}-0`,
      JSON.stringify(reset),
    )) as [number];
    if (answer[0] !== 1) return this.readHead();
    this.writeLine({ kind: 'record', record: reset });
    this.head = { seq: reset.seq, hash: reset.hash };
    return this.head;
  }

  private gapEntry(): AuditEntry {
    const outage = this.outage!;
    const spooled = this.pending.filter((p) => p.spooled).length;
    const to = this.now().toISOString();
    return {
      time: to,
      actor: { type: 'bot' },
      action: 'audit.gap',
      target: { cluster: this.options.clusterName },
      result: outage.dropped ? 'error' : 'ok',
      detail:
        `${spooled} record(s) written while Redis was unreachable (${outage.since} to ${to}) follow, appended late` +
        (outage.dropped ? `; ${outage.dropped} more are only in the audit log (spool full)` : ''),
      meta: { count: spooled, from: outage.since, to, dropped: outage.dropped },
    };
  }

  /** The trim record due after `last`, if the stream would then hold more than maxLen records (plus 1 % slack). */
  private async trimAfter(last: AuditRecord): Promise<{ entry: AuditEntry; firstKept: number } | undefined> {
    const slack = Math.max(1, Math.floor(this.maxLen / 100));
    if (last.seq + 1 - this.trimmedThrough <= this.maxLen + slack) return undefined;
    const firstKept = last.seq + 2 - this.maxLen;
    const rows = await this.redis.xrange(this.key, `${firstKept}-0`, `${firstKept}-0`);
    const kept = rows[0] ? parseEntry(rows[0][1]) : undefined;
    if (!kept) return undefined; // not stored yet (it is in this batch): trim on a later append
    return {
      firstKept,
      entry: {
        time: this.now().toISOString(),
        actor: { type: 'bot' },
        action: 'audit.trimmed',
        target: { cluster: this.options.clusterName },
        result: 'ok',
        detail: `records up to ${firstKept - 1} removed from the stream (maxLen ${this.maxLen})`,
        meta: { trimmedThrough: firstKept - 1, hashThrough: kept.prevHash },
      },
    };
  }

  private async readHead(): Promise<Head> {
    const [hash, seq, trimmed] = await this.redis.hmget(this.headKey, 'hash', 'seq', 'trimmed');
    this.trimmedThrough = Number(trimmed ?? 0);
    return hash && seq ? { hash, seq: Number(seq) } : { hash: GENESIS_HASH, seq: 0 };
  }

  /** The last record actually in the stream, for when the head was set behind it. */
  private async streamTop(): Promise<Head> {
    const rows = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1);
    const top = rows[0] ? parseEntry(rows[0][1]) : undefined;
    if (top) return { seq: top.seq, hash: top.hash };
    const seq = rows[0] ? Number.parseInt(rows[0][0], 10) : 0;
    return { seq, hash: GENESIS_HASH };
  }

  private enterOutage(err: unknown): void {
    if (!this.outage) {
      this.outage = { since: this.now().toISOString(), dropped: 0 };
      this.options.onOutage?.(err, this.pending.length);
    }
    for (const item of this.pending) if (!item.spooled) this.spool(item);
    this.boundSpool();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.drain();
    }, this.options.retryMs ?? 1000);
    this.retryTimer.unref();
  }

  /** Writes the entry's line now and answers its caller; the chained line follows when Redis returns. */
  private spool(item: Pending): void {
    item.spooled = true;
    try {
      this.writeLine({ kind: 'spooled', entry: item.entry });
      item.resolve(undefined);
    } catch (e) {
      item.reject(new AuditUnavailable('log', item.entry, `audit log line not written: ${errorText(e)}`, e));
    }
  }

  /** Keeps at most spoolMax records waiting; the oldest beyond it stay only in the audit log, counted in the gap. */
  private boundSpool(): void {
    const excess = this.pending.length - (this.options.spoolMax ?? 10_000);
    if (excess > 0 && this.outage) {
      this.pending.splice(0, excess);
      this.outage.dropped += excess;
    }
  }

  private anchorIfDue(records: readonly AuditRecord[]): void {
    const every = this.options.anchorEvery ?? 1000;
    const first = records[0];
    const last = records[records.length - 1];
    if (!first || !last || every <= 0) return;
    if (Math.floor((first.seq - 1) / every) !== Math.floor(last.seq / every)) this.anchorHead();
  }

  /** Publishes this replica's head, unless it did already (only heads it wrote itself: Redis' may be forged). */
  private anchorHead(): void {
    const head = this.head;
    if (!head || head.seq === this.anchoredSeq) return;
    this.anchoredSeq = head.seq;
    const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, time: this.now().toISOString() };
    try {
      this.writeLine({ kind: 'anchor', anchor });
    } catch (err) {
      this.options.onAnchorError?.(err, anchor);
    }
    const publish = this.options.onAnchor;
    if (!publish) return;
    const done: Promise<void> = Promise.resolve()
      .then(() => publish(anchor))
      .catch((err: unknown) => this.options.onAnchorError?.(err, anchor))
      .finally(() => this.mirrors.delete(done));
    this.mirrors.add(done);
  }

  private writeLine(line: AuditLine): void {
    this.options.sink?.(line);
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

function chainAll(head: Head, entries: readonly AuditEntry[], macKey: Buffer | undefined): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = head;
  for (const entry of entries) {
    const record = chainRecord(prev, entry, macKey);
    records.push(record);
    prev = record;
  }
  return records;
}

function recordMatcher(query: RecentQuery): (r: AuditRecord) => boolean {
  return (r) =>
    (query.pod === undefined || r.target.pod === query.pod || `${r.target.namespace}/${r.target.pod}` === query.pod) &&
    (query.user === undefined || (r.actor.type === 'user' && r.actor.id === query.user)) &&
    (query.requestId === undefined || r.requestId === query.requestId);
}

function parseEntry(fields: string[]): AuditRecord | undefined {
  const at = fields.indexOf('r');
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) return undefined;
  try {
    const parsed = JSON.parse(json) as AuditRecord;
    return typeof parsed === 'object' && parsed !== null && Number.isSafeInteger(parsed.seq) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A stream entry that holds no record: kept in place so verification reports it instead of skipping it. */
function unreadable(id: string): AuditRecord {
  return {
    seq: Number.parseInt(id, 10) || 0,
    time: '',
    actor: { type: 'bot' },
    action: 'error',
    target: { cluster: '' },
    result: 'error',
    prevHash: '',
    hash: '',
  };
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
