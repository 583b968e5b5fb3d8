import { readFile, writeFile } from 'node:fs/promises';
import {
  type AuditAnchor,
  AuditLog,
  type AuditRecord,
  deriveAuditKey,
  formatAuditReport,
  parseAuditLogLines,
  verifyAudit,
} from '../audit/index.js';
import { type Config, ConfigError, loadConfig, parseDuration } from '../config/index.js';
import { createRedis } from '../redis/index.js';

/** `debugdead audit verify|export` flags. */
export interface AuditCommandOptions {
  action: 'verify' | 'export';
  /** Audit log files (every replica's): their anchor lines and chained copies are evidence. */
  logs: string[];
  /** verify: an export to check offline instead of the Redis stream. */
  file?: string;
  /** export: only records this recent ("24h"). */
  since?: string;
  /** export: where to write; stdout when unset. */
  out?: string;
  /** Read anchors from the audit channel's history. @defaultValue true when audit.channel and SLACK_BOT_TOKEN are set */
  slack: boolean;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  now: () => new Date(),
};

/**
 * `debugdead audit verify`: checks the audit chain (the Redis stream, or an export with `--file`) against the anchors
 * in the audit channel and in audit log files, and against the logged copies; prints every problem with its records.
 * `debugdead audit export [--since 24h] [--format jsonl]`: the records with their hashes, one JSON line each, for a
 * SIEM; `debugdead audit verify --file <export> [--log <audit log>]` verifies such an export offline.
 * Exit codes: 0 verified (or exported), 1 problems found or the trail unreadable, 2 usage.
 */
export async function runAuditCommand(
  options: AuditCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  io: Io = defaultIo,
): Promise<number> {
  const since = options.since === undefined ? undefined : parseDuration(options.since);
  if (options.since !== undefined && since === undefined) {
    return fail(io, `--since: expected a duration like "24h", got "${options.since}"`, 2);
  }
  let config: Config;
  try {
    config = loadConfig(env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) return fail(io, e.message);
    throw e;
  }
  const macKey = env.DEBUGDEAD_SIGNING_KEY ? deriveAuditKey(env.DEBUGDEAD_SIGNING_KEY) : undefined;

  if (options.action === 'export') {
    return withStream(config, macKey, io, async (audit) => {
      const from = since === undefined ? '' : new Date(io.now().getTime() - since * 1000).toISOString();
      const records = (await audit.readAll()).filter((r) => r.time >= from);
      const text = records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
      if (options.out) await writeFile(options.out, text);
      else io.out(text);
      io.err(
        `exported ${records.length} record(s)${records.length ? ` (${records[0]!.seq}–${records[records.length - 1]!.seq})` : ''}\n`,
      );
      return 0;
    });
  }

  const evidence = await readEvidence(options, config, env, io);
  if (typeof evidence === 'number') return evidence;
  const print = (lines: string[], ok: boolean): number => {
    io.out(`${lines.map((l, i) => (i === 0 ? l : `  - ${l}`)).join('\n')}\n`);
    for (const note of evidence.notes) io.err(`${note}\n`);
    return ok ? 0 : 1;
  };
  if (options.file) {
    let records: AuditRecord[];
    try {
      records = parseAuditLogLines(await readFile(options.file, 'utf8')).records;
    } catch (e) {
      return fail(io, `cannot read ${options.file}: ${(e as Error).message}`);
    }
    const report = verifyAudit({
      records,
      anchors: evidence.anchors,
      logged: evidence.logged,
      excerpt: true,
      ...(macKey ? { macKey } : {}),
    });
    return print(formatAuditReport(report), report.ok);
  }
  return withStream(config, macKey, io, async (audit) => {
    const report = await audit.verify({ anchors: evidence.anchors, logged: evidence.logged });
    return print(formatAuditReport(report), report.ok);
  });
}

async function readEvidence(
  options: AuditCommandOptions,
  config: Config,
  env: NodeJS.ProcessEnv,
  io: Io,
): Promise<{ anchors: AuditAnchor[]; logged: AuditRecord[]; notes: string[] } | number> {
  const anchors: AuditAnchor[] = [];
  const logged: AuditRecord[] = [];
  const notes: string[] = [];
  for (const file of options.logs) {
    try {
      const parsed = parseAuditLogLines(await readFile(file, 'utf8'));
      anchors.push(...parsed.anchors);
      logged.push(...parsed.records);
      notes.push(`${file}: ${parsed.records.length} record(s), ${parsed.anchors.length} anchor(s)`);
    } catch (e) {
      return fail(io, `cannot read ${file}: ${(e as Error).message}`);
    }
  }
  const channel = config.audit.channel;
  if (options.slack && channel && env.SLACK_BOT_TOKEN) {
    const { slackAuditAnchorsFromToken } = await import('../../handlers/slack-audit-anchors.js');
    try {
      const fromSlack = await slackAuditAnchorsFromToken(env.SLACK_BOT_TOKEN, config.slack.apiUrl, channel)();
      anchors.push(...fromSlack);
      notes.push(`audit channel ${channel}: ${fromSlack.length} anchor(s)`);
    } catch (e) {
      return fail(io, `cannot read the anchors in audit channel ${channel}: ${(e as Error).message}`);
    }
  } else if (options.slack) {
    notes.push('no anchors read from Slack (set audit.channel and SLACK_BOT_TOKEN, or give --log files)');
  }
  return { anchors, logged, notes };
}

async function withStream(
  config: Config,
  macKey: Buffer | undefined,
  io: Io,
  work: (audit: AuditLog) => Promise<number>,
): Promise<number> {
  const redis = createRedis(config.redis, { maxRetriesPerRequest: 1, reconnect: false, lazyConnect: true });
  redis.on('error', () => {});
  const audit = new AuditLog({
    redis,
    key: `${config.redis.prefix}:audit`,
    clusterName: config.cluster.name,
    anchorIntervalMs: 0,
    ...(macKey ? { macKey } : {}),
  });
  try {
    await redis.connect();
    return await work(audit);
  } catch (e) {
    return fail(io, `cannot read the audit stream from Redis (${describeRedis(config)}): ${(e as Error).message}`);
  } finally {
    audit.close();
    redis.disconnect();
  }
}

/** Where the audit stream was looked for, without a password. */
function describeRedis(config: Config): string {
  const { cluster, sentinel } = config.redis;
  const list = (nodes: { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (cluster) return `Redis Cluster ${list(cluster.nodes)}`;
  if (sentinel) return `master "${sentinel.name}" via Sentinels ${list(sentinel.sentinels)}`;
  return redactUrl(config.redis.url);
}

/** A Redis URL may carry a password. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

function fail(io: Io, message: string, code = 1): number {
  io.err(`${message}\n`);
  return code;
}
