import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A Redis the tests or the demo may use: either REDIS_URL, or a private redis-server we started and must stop. */
export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

const HOW_TO_GET_REDIS =
  'No Redis available: set REDIS_URL=redis://host:port to use an existing server, or install one ' +
  '(Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) so a private ' +
  'redis-server can be started on a free port.';

/**
 * Uses REDIS_URL when set; otherwise starts `redis-server` on a free loopback port in a temporary directory.
 * `private: true` always starts one (for tests that stop it), on `port` when given (to bring one back after a stop);
 * `requirepass` makes it ask for that password (a private one too; the URL carries no password).
 */
export async function startRedis(
  options: { private?: boolean; port?: number; requirepass?: string } = {},
): Promise<RedisHandle> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv && !options.private && options.requirepass === undefined) return { url: fromEnv, stop: async () => {} };

  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (spawnSync(binary, ['--version']).error) throw new Error(HOW_TO_GET_REDIS);

  const dir = await mkdtemp(join(tmpdir(), 'debugdead-redis-'));
  const port = options.port ?? (await freePort());
  // No persistence: a test Redis must never write dump files into the work tree or block on disk.
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...(options.requirepass !== undefined ? ['--requirepass', options.requirepass] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitUntilReady(child, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitUntilReady(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start on port ${port} within 10 s:\n${output}`)),
      10_000,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      fail(new Error(`redis-server exited with code ${code}:\n${output}\n${HOW_TO_GET_REDIS}`)),
    );
  });
}
