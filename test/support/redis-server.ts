import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  const dir = await mkdtemp(join(tmpdir(), 'debugdead-redis-'));
  const port = options.port ?? (await freePort());
  const server = await spawnRedisServer(dir, port, [
    ...(options.requirepass !== undefined ? ['--requirepass', options.requirepass] : []),
  ]);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis Cluster the tests start: its seed nodes, in REDIS_CLUSTER_NODES's shape too. */
export interface RedisClusterHandle {
  nodes: { host: string; port: number }[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…`, what REDIS_CLUSTER_NODES takes. */
  nodesEnv: string;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` (at least 3, as `redis-cli --cluster create` requires) `redis-server
 * --cluster-enabled yes` processes on free loopback ports, without replicas, joined by `redis-cli --cluster create` and
 * returned once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisClusterHandle> {
  const masters = Math.max(3, options.masters ?? 3);
  const cli = process.env.REDIS_CLI_BIN ?? 'redis-cli';
  if (spawnSync(cli, ['--version']).error)
    throw new Error(`redis-cli is needed to create a cluster. ${HOW_TO_GET_REDIS}`);
  const dir = await mkdtemp(join(tmpdir(), 'debugdead-redis-cluster-'));
  const servers: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      // The cluster bus port is port + 10000 unless set: above 55535 that is no port at all.
      const busPort = await freePort();
      ports.push(port);
      servers.push(
        await spawnRedisServer(dir, port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-port',
          String(busPort),
          '--cluster-node-timeout',
          '3000',
        ]),
      );
    }
    const addresses = ports.map((p) => `127.0.0.1:${p}`);
    await runCli(cli, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      while (!(await runCli(cli, ['-p', String(port), 'cluster', 'info'])).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} did not reach cluster_state:ok in 20 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { nodes: ports.map((port) => ({ host: '127.0.0.1', port })), nodesEnv: addresses.join(','), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A master, its replica and Sentinels watching it under `name`: for failover tests. */
export interface RedisSentinelHandle {
  name: string;
  master: { host: string; port: number };
  replica: { host: string; port: number };
  sentinels: { host: string; port: number }[];
  /** `127.0.0.1:p1,…`, what REDIS_SENTINELS takes. */
  sentinelsEnv: string;
  /** Kills the current master (SIGKILL, like a lost node); the Sentinels then promote the replica. */
  killMaster(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One master, one replica (`--replicaof`) and `sentinels` (1 or 3) `redis-server --sentinel` processes with quorum
 * 1 (or 2 of 3), a 1 s down-after so a failover takes a few seconds.
 */
export async function startRedisSentinel(
  options: { sentinels?: 1 | 3; name?: string } = {},
): Promise<RedisSentinelHandle> {
  const name = options.name ?? 'debugdead-master';
  const count = options.sentinels ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'debugdead-redis-sentinel-'));
  const servers: RunningServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    const master = await spawnRedisServer(dir, masterPort, []);
    servers.push(master);
    servers.push(await spawnRedisServer(dir, replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]));
    const sentinelPorts: number[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      sentinelPorts.push(port);
      const file = join(dir, `sentinel-${port}.conf`);
      // Sentinel rewrites its own file (it must be writable), so each gets one.
      await writeFile(
        file,
        [
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${count === 1 ? 1 : 2}`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      servers.push(await spawnRedisServer(dir, port, ['--sentinel'], file, '+monitor master'));
    }
    return {
      name,
      master: { host: '127.0.0.1', port: masterPort },
      replica: { host: '127.0.0.1', port: replicaPort },
      sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
      sentinelsEnv: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      killMaster: () => master.kill(),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

interface RunningServer {
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** One redis-server (no persistence: a test Redis must never write dump files into the work tree or block on disk). */
async function spawnRedisServer(
  dir: string,
  port: number,
  extra: string[],
  configFile?: string,
  readyLine = 'Ready to accept connections',
): Promise<RunningServer> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (spawnSync(binary, ['--version']).error) throw new Error(HOW_TO_GET_REDIS);
  const child = spawn(
    binary,
    [
      ...(configFile ? [configFile] : []),
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      ...(configFile ? [] : ['--save', '', '--appendonly', 'no']),
      '--daemonize',
      'no',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitUntilReady(child, port, readyLine);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return { stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

function runCli(cli: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cli, args, { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cli} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

function waitUntilReady(child: ChildProcess, port: number, readyLine: string): Promise<void> {
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
      if (output.includes(readyLine)) {
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
