import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './render-deploy.js';

/** `debugdead run` as a process of its own, as it runs in a pod: its output kept, its exit noticed. */
export interface BotProcess {
  stdout(): string;
  stderr(): string;
  /** The exit code once it exited (null for a signal), undefined while it runs. */
  exitCode(): number | null | undefined;
  /** Sends a signal (SIGHUP reloads the configuration). */
  signal(name: NodeJS.Signals): void;
  /** Resolves once `ready` answers true; throws when the process exits first or `timeoutMs` passes. */
  waitUntil(ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void>;
  /** SIGTERM, then waits for the exit (nothing to do when it already exited). */
  stop(): Promise<void>;
}

/** Starts the real CLI from source (`node --import tsx src/cli.ts run`) with exactly `env` (and PATH). */
export function spawnBotProcess(options: { cwd: string; env: Record<string, string> }): BotProcess {
  const tsx = pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(REPO_ROOT, 'src', 'cli.ts'), 'run'], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited: number | null | undefined;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.on('exit', (code) => {
    exited = code;
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exitCode: () => exited,
    signal: (name) => void child.kill(name),
    async waitUntil(ready, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited !== undefined) throw new Error(`the bot exited (${exited}): ${stderr}`);
        if (await ready()) return;
        if (Date.now() > deadline) throw new Error(`${what}: ${stderr}\n${stdout.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
