import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../sim/kube/index.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { type BotProcess, spawnBotProcess } from '../support/bot-process.js';
import { INCIDENT } from '../support/e2e-steps.js';
import { freePort } from '../support/free-port.js';
import { testRedisEnv } from '../support/redis.js';
import { postSigned } from '../support/signed-post.js';

/**
 * The bot as it runs in production, a process of its own (`debugdead run`, HTTP mode): the bodies that used to end
 * it are sent, correctly signed, and the process must still be there and serving afterwards.
 */
describe('HTTP mode, the bot as a process: poison bodies do not end it', () => {
  let kube: KubeSim;
  let slack: SlackSim;
  let bot: BotProcess;
  let url: string;

  beforeAll(async () => {
    kube = await startKubeSim({ scenario: 'default' });
    slack = await startSlackSim({ rateLimits: false });
    const dir = mkdtempSync(join(tmpdir(), 'debugdead-http-'));
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'debugdead.yaml'),
      yaml.dump({
        cluster: { name: 'sim' },
        slack: { mode: 'http', port, apiUrl: slack.apiUrl },
        redis: { prefix: `http-process-${port}` },
        kubernetes: { kubeconfig: join(dir, 'kubeconfig'), defaultNamespace: 'demo' },
        log: { level: 'warn' },
        health: { port: await freePort() }, // not the default 8080: other test processes may hold it
      }),
    );
    bot = spawnBotProcess({
      cwd: dir,
      env: {
        DEBUGDEAD_CONFIG: join(dir, 'debugdead.yaml'),
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: slack.signingSecret,
        DEBUGDEAD_SIGNING_KEY: randomBytes(32).toString('hex'),
        ...testRedisEnv(),
      },
    });
    url = `http://127.0.0.1:${port}/slack/events`;
    slack.deliverOverHttp(url);
    // Started once it answers (a GET is not a Slack request: any status will do).
    const answers = () =>
      fetch(url).then(
        () => true,
        () => false,
      );
    await bot.waitUntil(answers, 25_000, 'the bot did not start');
  }, 40_000);
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    await kube?.close();
  });

  it('answers payload=null and its cousins 400, then still serves a command', async () => {
    const poison = [
      'null',
      '0',
      '"x"',
      '[]',
      'true',
      '{"type":"block_actions"}',
      '{"type":"block_actions","actions":[null]}',
    ];
    const statuses = [];
    for (const p of poison)
      statuses.push(await postSigned(url, slack.signingSecret, new URLSearchParams({ payload: p }).toString()));
    expect(statuses).toEqual(poison.map(() => 400));
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.exitCode()).toBeUndefined();
    const delivery = await slack.user('U0BOB0002').runCommand('/debugdead', 'help', { channel: INCIDENT });
    expect(delivery).toMatchObject({ httpStatus: 200, acked: true });
    expect(bot.exitCode()).toBeUndefined();
  });
});
