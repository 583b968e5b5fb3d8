import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../sim/kube/index.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { testRedisEnv } from '../support/redis.js';
import { ROOT, runCli } from './run-cli.js';

let kube: KubeSim;
let slack: SlackSim;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  [kube, slack] = await Promise.all([startKubeSim(), startSlackSim()]);
  dir = mkdtempSync(join(tmpdir(), 'debugdead-run-'));
  kubeconfig = join(dir, 'kubeconfig');
  await kube.writeKubeconfig(kubeconfig);
});

afterAll(async () => {
  await Promise.all([kube?.close(), slack?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('debugdead run', () => {
  it('refuses to start, naming every missing Slack secret at once', async () => {
    const cwd = join(dir, 'http');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'debugdead.yaml'), 'slack:\n  mode: http\n');
    const r = await runCli(['run'], {
      cwd,
      env: { KUBECONFIG: kubeconfig, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'debugdead: cannot start the bot (slack.mode http):\n' +
        '  - SLACK_BOT_TOKEN: required (the bot token, xoxb-…)\n' +
        '  - SLACK_SIGNING_SECRET: required in HTTP mode\n' +
        '  - DEBUGDEAD_SIGNING_KEY: required (at least 32 random characters, e.g. `openssl rand -hex 32`): it signs approvals so that Redis alone cannot forge one\n',
    );
  });

  it('starts the bot in Socket Mode and stops it gracefully on SIGTERM', { timeout: 60_000 }, async () => {
    const cwd = join(dir, 'socket');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'debugdead.yaml'),
      [
        'cluster:\n  name: sim',
        `slack:\n  mode: socket\n  apiUrl: ${slack.apiUrl}`,
        `redis:\n  prefix: t-cli-run-${randomBytes(4).toString('hex')}`,
        'kubernetes:\n  requestTimeout: 5s',
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KUBECONFIG: kubeconfig,
      ...testRedisEnv(),
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      DEBUGDEAD_SIGNING_KEY: 'k'.repeat(64),
    };
    delete env.DEBUGDEAD_CONFIG;
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', tsx, join(ROOT, 'src', 'cli.ts'), 'run'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 20s\n${stdout}\n${stderr}`)), 20_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          if (stdout.includes('"msg":"debugdead started"')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('close', () => reject(new Error(`exited before starting\n${stdout}\n${stderr}`)));
      });
      // A moment of running first, as in any real deployment (stopping within milliseconds of starting is a separate,
      // reported race in the bot's own stop: BullMQ's connection errors after Redis is closed).
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
      expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
      expect(stdout).toMatch(/"msg":"debugdead stopped"/);
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
