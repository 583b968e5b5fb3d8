import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SimEphemeral, SimMessage, SlackSim } from '../sim/slack/index.js';
import type { WorkspaceSnapshot } from '../sim/slack/web/build-views.js';
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

/** Empties the directory: called once per test run, before any test file starts. */
export function clearSlackMessages(): void {
  rmSync(join(REPO_ROOT, SLACK_MESSAGES_DIR), { recursive: true, force: true });
}

/** Writes one harness's messages under a name of its own (test files run in parallel forks). */
export function saveSlackMessages(name: string, sim: SlackSim): void {
  const dir = join(REPO_ROOT, SLACK_MESSAGES_DIR);
  mkdirSync(dir, { recursive: true });
  const { files: _files, ...rest } = snapshotOf(sim);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(rest));
}

/** The recordings other test files of this run have left so far. */
export function loadSlackMessages(): { name: string; snapshot: WorkspaceSnapshot }[] {
  const dir = join(REPO_ROOT, SLACK_MESSAGES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<WorkspaceSnapshot, 'files'>;
        return [{ name: f, snapshot: { ...raw, files: new Map() } }];
      } catch {
        return []; // a file still being written by a harness that is stopping right now
      }
    });
}
