import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { itOnRealCluster, itOnSimulator } from '../support/by-backend.js';
import { type Harness, type HarnessOptions, startHarness } from '../support/harness.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';

/** The bot's start, expected to be refused: the error's message (every sentence). */
async function refusal(options: HarnessOptions): Promise<string> {
  const h = await startHarness({ logLevel: 'fatal', ...options }).then(
    (started) => started,
    (e: Error) => e,
  );
  if (!(h instanceof Error)) {
    await h.stop();
    throw new Error('the bot started');
  }
  expect(h.name).toBe('StartupCheckError');
  return h.message;
}

async function readyz(h: Harness): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${h.bot.healthPort}/readyz`);
  return { status: res.status, text: await res.text() };
}

describe('start-up self-checks refuse to start with a sentence naming the fix', () => {
  let locked: RedisHandle;
  beforeAll(async () => {
    locked = await startRedis({ private: true });
    const admin = new Redis(locked.url);
    await admin.config('SET', 'requirepass', 'the-right-password');
    admin.disconnect();
  });
  afterAll(async () => {
    await locked?.stop();
  });

  it('Redis that wants a password the bot does not send names REDIS_PASSWORD, never a password', async () => {
    const message = await refusal({ redisUrl: locked.url });
    expect(message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ refused the bot's credentials \(NOAUTH/);
    expect(message).toMatch(/set REDIS_PASSWORD/);
  });

  it('a wrong Redis password is refused the same way, and the password is not repeated', async () => {
    const url = new URL(locked.url);
    url.password = 'a-wrong-password';
    const message = await refusal({ redisUrl: url.toString() });
    expect(message).toMatch(/refused the bot's credentials \(WRONGPASS/);
    expect(message).not.toContain('a-wrong-password');
  });

  it('Redis nobody listens on names REDIS_URL', async () => {
    const gone = await startRedis({ private: true });
    await gone.stop();
    const message = await refusal({ redisUrl: gone.url });
    expect(message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\): check REDIS_URL/);
  });

  it('a Redis Cluster nobody listens on names REDIS_CLUSTER_NODES', async () => {
    const gone = await startRedis({ private: true });
    await gone.stop();
    const port = new URL(gone.url).port;
    const message = await refusal({ redisEnv: { REDIS_URL: gone.url, REDIS_CLUSTER_NODES: `127.0.0.1:${port}` } });
    expect(message).toMatch(
      new RegExp(
        `Redis \\(the Redis Cluster at 127\\.0\\.0\\.1:${port}\\) is unreachable \\(.*\\): check REDIS_CLUSTER_NODES`,
      ),
    );
  });

  it('a bot token Slack refuses names SLACK_BOT_TOKEN', async () => {
    const message = await refusal({
      configure: (c) => {
        c.slack.botToken = 'xoxb-not-the-token';
      },
    });
    expect(message).toMatch(/Slack refused SLACK_BOT_TOKEN \(invalid_auth\): put the app's Bot User OAuth Token/);
  });

  itOnSimulator('a missing cluster-wide read names the RBAC rule and the ClusterRole to add it to', async () => {
    const message = await refusal({
      beforeStart: ({ kube }) => {
        kube.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log' });
        kube.rbac.deny({ verb: 'list', resource: 'events' });
      },
    });
    expect(message).toContain(
      'Kubernetes RBAC: the bot may not get pods/log at the cluster scope (diagnoses read the previous and current logs). Add {apiGroups: [""], resources: [pods/log], verbs: [get]} to the ClusterRole debugdead-read (deploy/base/rbac.yaml).',
    );
    expect(message).toContain('may not list events at the cluster scope');
  });
});

describe('non-fatal start-up problems: the bot runs, warns and stays not ready', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  itOnSimulator('pod writes missing in a namespace of namespaces.allow name the RoleBinding to add', async () => {
    h = await startHarness({
      logLevel: 'warn',
      configure: (c) => {
        c.namespaces.allow = ['demo'];
      },
      beforeStart: ({ kube }) => {
        kube.rbac.deny({ verb: 'create', resource: 'pods', namespace: 'demo' });
        kube.rbac.deny({ verb: 'delete', resource: 'pods', namespace: 'demo' });
      },
    });
    const sentence =
      'Kubernetes RBAC: the bot may not create, delete pods in the namespace "demo" (debug clones are created, extended and deleted there). Bind the ClusterRole debugdead-pod-writer';
    expect(h.appWarnings.map((w) => w.msg).find((m) => String(m).startsWith(sentence))).toBeDefined();
    const ready = await readyz(h);
    expect(ready.status).toBe(503);
    expect(ready.text).toContain(`[-]startup failed: ${sentence}`);
  });

  itOnRealCluster(
    'with the shipped RBAC, a namespace of namespaces.allow that deploy/ binds no pod writes in is named',
    async () => {
      // deploy/overlays/example binds debugdead-pod-writer in demo (and the node-shell namespace) only.
      h = await startHarness({
        logLevel: 'warn',
        configure: (c) => {
          c.namespaces.allow = ['demo', 'shop'];
        },
      });
      const warnings = h.appWarnings.map((w) => String(w.msg));
      // kube-apiserver's RBAC authorizer answers the bot's access reviews: every write verb is missing there.
      const sentence =
        'Kubernetes RBAC: the bot may not create, patch, delete pods in the namespace "shop" (debug clones are created, extended and deleted there). Bind the ClusterRole debugdead-pod-writer';
      expect(warnings.find((m) => m.startsWith(sentence))).toBeDefined();
      expect(warnings.some((m) => m.includes('in the namespace "demo"'))).toBe(false);
      const ready = await readyz(h);
      expect(ready.status).toBe(503);
    },
  );

  it('an alert channel that does not exist and a private audit channel without the bot are named by their keys', async () => {
    h = await startHarness({
      logLevel: 'warn',
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = 'C0NOSUCHCHAN';
        c.audit.channel = 'G0SECOPS0'; // private, and the bot is not in it
      },
    });
    const warnings = h.appWarnings.map((w) => String(w.msg));
    console.log(warnings);
    expect(warnings).toContain(
      "Slack says alerts.channel C0NOSUCHCHAN does not exist, or is private and the bot is not in it: copy the id from the channel's details (About tab, bottom), and run `/invite @debugdead` in it.",
    );
    expect(warnings.some((w) => w.startsWith('Slack says audit.channel G0SECOPS0 does not exist'))).toBe(true);
    expect((await readyz(h)).status).toBe(503);
  });

  it('when every check passes the bot is ready and its test posts leave no scheduled message behind', async () => {
    h = await startHarness({
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = 'C0INCIDENT';
        c.audit.channel = 'C0INCIDENT';
      },
    });
    expect(h.appWarnings.filter((w) => w.check === 'startup')).toEqual([]);
    const scheduled = h.slack.calls('chat.scheduleMessage');
    const deleted = h.slack.calls('chat.deleteScheduledMessage');
    expect(scheduled.map((c) => c.ok)).toEqual([true, true]);
    expect(deleted.map((c) => c.ok)).toEqual([true, true]);
    const deadline = Date.now() + 10_000;
    let ready = await readyz(h);
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await readyz(h);
    }
    expect(ready.text).toContain('[+]startup ok');
  });
});
