import pino from 'pino';
import { DebugPodLimits, GroupResolver } from '../../src/approvals/index.js';
import { type AuditEntry, AuditLog } from '../../src/audit/index.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import type { ChatFile, ChatMessage, ChatPort, PostedMessage } from '../../src/conversation/chat-port.js';
import type { ConversationDeps, CreateDebugPodJob, DeleteDebugPodJob, JobPort } from '../../src/conversation/deps.js';
import { DiagnosisRecordStore } from '../../src/conversation/diagnosis-record-store.js';
import type { KubeClient } from '../../src/kube/index.js';
import { newRedis, uniquePrefix } from './redis.js';

/** A message as the in-memory chat keeps it. */
export interface MemoryMessage extends ChatMessage {
  channel: string;
  ts: string;
  threadTs?: string;
}

/**
 * The ChatPort as a workspace in memory: messages get increasing ts, updates replace them, ephemerals are kept per
 * user. A test double of the port (what Slack would do), not of our code.
 */
export class MemoryChat implements ChatPort {
  readonly messages: MemoryMessage[] = [];
  readonly ephemerals: { channel: string; user: string; text: string }[] = [];
  groups: Record<string, string[]> = {};
  private seq = 0;

  async post(channel: string, message: ChatMessage, options?: { threadTs?: string }): Promise<PostedMessage> {
    const ts = `1700000000.${String(++this.seq).padStart(6, '0')}`;
    this.messages.push({ ...message, channel, ts, ...(options?.threadTs ? { threadTs: options.threadTs } : {}) });
    return { channel, ts };
  }
  async update(channel: string, ts: string, message: ChatMessage): Promise<void> {
    const i = this.messages.findIndex((m) => m.channel === channel && m.ts === ts);
    if (i < 0) throw new Error(`no message ${channel}/${ts}`);
    this.messages[i] = { ...this.messages[i]!, ...message };
  }
  async postEphemeral(channel: string, user: string, message: ChatMessage): Promise<void> {
    this.ephemerals.push({ channel, user, text: message.text });
  }
  async upload(channel: string, threadTs: string, file: ChatFile): Promise<void> {
    await this.post(channel, file.comment, { threadTs });
  }
  async groupMembers(groupId: string): Promise<string[]> {
    return this.groups[groupId] ?? [];
  }
  thread(ts: string): MemoryMessage[] {
    return this.messages.filter((m) => m.threadTs === ts);
  }
}

/** The JobPort as a list: what would have been queued, in order (idempotent per job id, as BullMQ is). */
export class MemoryJobs implements JobPort {
  readonly created: CreateDebugPodJob[] = [];
  readonly deletions: { job: DeleteDebugPodJob; at?: Date }[] = [];
  async enqueueCreate(job: CreateDebugPodJob): Promise<void> {
    if (!this.created.some((j) => j.grant.actionId === job.grant.actionId)) this.created.push(job);
  }
  async scheduleDelete(job: DeleteDebugPodJob, at: Date): Promise<void> {
    this.deletions.push({ job, at });
  }
  async deleteNow(job: DeleteDebugPodJob): Promise<void> {
    this.deletions.push({ job });
  }
}

/** The conversation's dependencies over the in-memory chat and queue, and the test run's real Redis. */
export function memoryDeps(configure: (c: Config) => void = () => {}, kube?: KubeClient) {
  const built = buildConfig({ cluster: { name: 'mem' } }, { DEBUGDEAD_SIGNING_KEY: 'k'.repeat(64) });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const config = built.config;
  configure(config);
  const redis = newRedis();
  const prefix = uniquePrefix('flows');
  const chat = new MemoryChat();
  const jobs = new MemoryJobs();
  const auditEntries: AuditEntry[] = [];
  const tampered: { id: string; what: string }[] = [];
  const deps: ConversationDeps = {
    config,
    kube: kube ?? ({} as KubeClient),
    chat,
    records: new DiagnosisRecordStore({
      redis,
      prefix,
      signingKey: config.approvals.signingKey!,
      onTamper: (id, what) => tampered.push({ id, what }),
    }),
    limits: new DebugPodLimits({ redis, prefix, limits: config.limits }),
    audit: new AuditLog({
      redis,
      key: `${prefix}:audit`,
      clusterName: 'mem',
      anchorIntervalMs: 0,
      sink: (line) => {
        if (line.kind === 'record') auditEntries.push(line.record);
        else if (line.kind === 'spooled') auditEntries.push(line.entry);
      },
    }),
    groups: new GroupResolver({ listMembers: (g) => chat.groupMembers(g), ttlMs: 0 }),
    jobs,
    signingKey: config.approvals.signingKey!,
    log: pino({ level: 'silent' }),
    now: () => new Date(),
  };
  return { deps, chat, jobs, auditEntries, tampered, redis, prefix, close: () => redis.quit() };
}
