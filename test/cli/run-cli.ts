import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What a finished CLI process left behind. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Working directory: where ./debugdead.yaml is looked for. */
  cwd: string;
  /** Added to an environment stripped of KUBECONFIG and DEBUGDEAD_CONFIG. */
  env?: Record<string, string>;
  /** The program; @defaultValue `node --import tsx src/cli.ts` (never a stale dist/). */
  command?: string;
}

/** Runs the real CLI as a child process and collects its output. */
export function runCli(args: string[], opts: RunOptions): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KUBECONFIG;
  delete env.DEBUGDEAD_CONFIG;
  Object.assign(env, opts.env);
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const [command, argv] = opts.command
    ? [opts.command, args]
    : [process.execPath, ['--import', tsx, join(ROOT, 'src', 'cli.ts'), ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
