import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What build is running: shown by `--version`, in the start-up log line and (later) in metrics. */
export interface BuildInfo {
  version: string;
  /** The git commit: DEBUGDEAD_COMMIT (set when the image is built), else the checkout's HEAD, else "unknown". */
  commit: string;
  node: string;
}

let cached: BuildInfo | undefined;

/** Reads package.json's version once; the commit from the environment or, in a checkout, from git. */
export function buildInfo(env: NodeJS.ProcessEnv = process.env): BuildInfo {
  if (cached) return cached;
  cached = {
    version: packageVersion(),
    commit: env.DEBUGDEAD_COMMIT || gitCommit() || 'unknown',
    node: process.version,
  };
  return cached;
}

/** `debugdead 0.1.0 (commit 1a2b3c4, node v24.21.0)` */
export function formatVersion(info: BuildInfo): string {
  return `debugdead ${info.version} (commit ${info.commit}, node ${info.node})`;
}

function packageVersion(): string {
  // src/version/ in a checkout, dist/src/version/ when compiled: walk up to the package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'debugdead' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}
