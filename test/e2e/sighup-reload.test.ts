import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, ManualClock, startKubeSim } from '../sim/kube/index.js';
import { type SlackSim, startSlackSim } from '../sim/slack/index.js';
import { type BotProcess, spawnBotProcess } from '../support/bot-process.js';
import { freePort } from '../support/free-port.js';
import { testRedisEnv } from '../support/redis.js';

const CHANNEL = 'C0INCIDENT';

/**
 * `debugdead run` as a process of its own: its configuration file is edited and the process gets SIGHUP, as
 * `kill -HUP` (or a config-reloader sidecar) sends it in a pod.
 */
describe('SIGHUP reloads the configuration file', () => {
  let kube: KubeSim;
  let slack: SlackSim;
  let bot: BotProcess;
  let file: string;
  let healthPort: number;
  let settings: Record<string, any>;

  const write = (config: unknown) => writeFileSync(file, typeof config === 'string' ? config : yaml.dump(config));
  const logLines = () =>
    bot
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
  const waitForLog = async (msg: string, after: number) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = logLines()
        .slice(after)
        .find((l) => l.msg === msg);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no "${msg}" logged: ${bot.stdout().slice(-2000)}\n${bot.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /** The next answer to `/debugdead <pod> demo`: the diagnosis in the channel, or the policy refusal. */
  const diagnose = async (pod: string) => {
    const seen = slack.ephemerals('U0ALICE01').length;
    await slack.user('U0ALICE01').runCommand('/debugdead', `${pod} demo`, { channel: CHANNEL });
    return slack.waitFor(
      () =>
        slack
          .channel(CHANNEL)
          .messages()
          .find((m) => m.text.startsWith(`demo/${pod} `)) ??
        slack
          .ephemerals('U0ALICE01')
          .slice(seen)
          .find((e) => /not allowed/.test(e.text)),
      20_000,
      `an answer about ${pod}`,
    );
  };

  beforeAll(async () => {
    const clock = new ManualClock(Date.now() - 15 * 60_000);
    kube = await startKubeSim({ clock, scenario: 'default' });
    clock.advance(Date.now() - clock.now());
    slack = await startSlackSim({ rateLimits: false });
    const dir = mkdtempSync(join(tmpdir(), 'debugdead-sighup-'));
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
    healthPort = await freePort();
    file = join(dir, 'debugdead.yaml');
    settings = {
      cluster: { name: 'sim' },
      slack: { mode: 'socket', apiUrl: slack.apiUrl },
      redis: { prefix: `sighup-${healthPort}` },
      kubernetes: { kubeconfig: join(dir, 'kubeconfig'), defaultNamespace: 'demo' },
      namespaces: { allow: ['*'], deny: ['kube-system', 'demo'] },
      log: { level: 'info' },
      health: { port: healthPort },
    };
    write(settings);
    bot = spawnBotProcess({
      cwd: dir,
      env: {
        DEBUGDEAD_CONFIG: file,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_APP_TOKEN: slack.appToken,
        DEBUGDEAD_SIGNING_KEY: randomBytes(32).toString('hex'),
        ...testRedisEnv(),
      },
    });
    const ready = () =>
      fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
    await bot.waitUntil(ready, 30_000, 'the bot did not become ready');
  }, 45_000);
  afterAll(async () => {
    await bot?.stop();
    await slack?.close();
    await kube?.close();
  });

  it('applies a live key at once and names the keys that wait for a restart', async () => {
    const refused = await diagnose('oom');
    expect(refused.text).toMatch(/Namespace `demo` is not allowed by debugdead's policy/);

    const before = logLines().length;
    settings.namespaces.deny = ['kube-system'];
    settings.kubernetes.requestTimeout = '20s';
    write(settings);
    bot.signal('SIGHUP');
    const reloaded = await waitForLog('configuration reloaded', before);
    expect(reloaded.applied).toEqual(['namespaces']);
    expect(reloaded.restart).toEqual(['kubernetes.requestTimeoutSeconds']);

    const answer = await diagnose('oom');
    expect(answer.text.startsWith('demo/oom ')).toBe(true);
    expect(bot.exitCode()).toBeUndefined();
  });

  it('refuses an invalid file with the same sentences as at start, and keeps running on the old configuration', async () => {
    const before = logLines().length;
    write({ ...settings, namespaces: { allow: ['*'], deny: ['kube-system', 'demo'] }, slack: { mode: 'pigeon' } });
    bot.signal('SIGHUP');
    const refused = await waitForLog('configuration reload refused; the running configuration stays', before);
    expect(refused.problems).toContain('slack.mode: expected one of socket, http, got "pigeon"');

    // demo stays allowed: the refused file's deny list was not applied.
    const answer = await diagnose('crash-exit1');
    expect(answer.text.startsWith('demo/crash-exit1 ')).toBe(true);
    expect(bot.exitCode()).toBeUndefined();
  });
});
