import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEphemeral, SimMessage, SlackSim } from '../sim/slack/index.js';
import type { WorkspaceSnapshot } from '../sim/slack/web/index.js';
import { REPO_ROOT } from './render-deploy.js';

/** Where each harness leaves every message its bot posted (relative to the repository). */
export const SLACK_MESSAGES_DIR = '.tmp/slack-messages';

/** Everything a workspace shows: the seed, channels, every message (thread replies too) and ephemeral message. */
export function snapshotOf(sim: SlackSim): WorkspaceSnapshot {
  const channels = sim.info().channels;
  const messages: SimMessage[] = [];
  for (const c of channels) {
    for (const m of sim.channel(c.id).messages()) {
      if (!messages.includes(m)) messages.push(m);
      for (const r of sim.thread(c.id, m.ts).replies()) if (!messages.includes(r)) messages.push(r);
    }
  }
  const ephemerals: SimEphemeral[] = sim.workspace.users.flatMap((u) => sim.ephemerals(u.id));
  return {
    ws: sim.workspace,
    channels,
    messages,
    ephemerals,
    files: new Map(sim.files().map((f) => [f.id, f])),
  };
}

/** One version of a message the bot sent: each post, each edit, each ephemeral, each immediate reply. */
export interface PostedVersion {
  via: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

const POSTING = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** A Web API argument WebClient may have sent JSON-encoded inside a form body. */
function jsonArg(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string') return undefined;
  try {
    const parsed = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every version of every message the bot sent that Slack accepted: a message edited later (an approval request
 * once approved, a progress panel at each step) is drawn in each of its states, not only its last.
 */
export function postedVersions(sim: SlackSim): PostedVersion[] {
  const version = (via: string, args: Record<string, unknown>): PostedVersion => {
    const blocks = jsonArg(args.blocks);
    const attachments = jsonArg(args.attachments);
    return {
      via,
      channel: typeof args.channel === 'string' ? args.channel : '',
      text: typeof args.text === 'string' ? args.text : '',
      ...(blocks ? { blocks } : {}),
      ...(attachments ? { attachments } : {}),
    };
  };
  const calls = sim.calls().filter((c) => c.ok && POSTING.has(c.method));
  const replies = sim
    .acks()
    .flatMap((d) => (d.response ? [version('ack', { ...d.response, channel: d.channel })] : []));
  return [...calls.map((c) => version(c.method, c.args)), ...replies];
}

/** Empties the directory: called once per test run, before any test file starts. */
export function clearSlackMessages(): void {
  rmSync(join(REPO_ROOT, SLACK_MESSAGES_DIR), { recursive: true, force: true });
}

/** Writes one harness's messages under a name of its own (test files run in parallel forks). */
export function saveSlackMessages(name: string, sim: SlackSim): void {
  const dir = join(REPO_ROOT, SLACK_MESSAGES_DIR);
  mkdirSync(dir, { recursive: true });
  const { files: _files, ...rest } = snapshotOf(sim);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...rest, versions: postedVersions(sim) }));
}

/** The recordings other test files of this run have left so far. */
export function loadSlackMessages(): { name: string; snapshot: WorkspaceSnapshot; versions: PostedVersion[] }[] {
  const dir = join(REPO_ROOT, SLACK_MESSAGES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<WorkspaceSnapshot, 'files'> & {
          versions?: PostedVersion[];
        };
        const { versions = [], ...snapshot } = raw;
        return [{ name: f, snapshot: { ...snapshot, files: new Map() }, versions }];
      } catch {
        return []; // a file still being written by a harness that is stopping right now
      }
    });
}
