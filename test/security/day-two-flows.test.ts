import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTE_MENU_ACTION } from '../../src/alerts/index.js';
import { MORE_LOGS_ACTION } from '../../src/conversation/more-logs-menu.js';
import type { RedisClient } from '../../src/redis/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { eventually } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';
import { keysMatching, newRedis } from '../support/redis.js';
import { postSigned } from '../support/signed-post.js';

// Session 3's flows (alerts of workloads, Mute, More logs) attacked end to end through the simulators: a pod whose
// owner reference is named to inject, overflow picks forged into a signed HTTP request (values we never rendered,
// another diagnosis' id, another message, a channel not bound to the namespace), and secrets cut by the window More
// logs reads (a PEM key cut by the previous-500-lines window and by limitBytes, a `name:`/`value:` pair split by it).

const INCIDENT = 'C0INCIDENT';
const TAIL = 20;
const LIMIT_BYTES = 8192;
/** What More logs reads: the thread's tail plus 500 lines, and four times the byte cap. */
const MORE_LINES = TAIL + 500;
const MORE_BYTES = LIMIT_BYTES * 4;

const pemBody = (): string[] => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd().split('\n');
};
const filler = (n: number, width = 60) =>
  Array.from({ length: n }, (_, i) => `ordinary line ${String(i).padStart(5, '0')} `.padEnd(width, '.'));

/** Every text any channel, thread, ephemeral or file shows, as Slack renders it and as it was sent. */
function everythingShown(h: Harness): string {
  const out: string[] = [];
  for (const channel of [INCIDENT, 'C0GENERAL', 'G0PLATFORM']) {
    for (const m of h.slack.channel(channel).messages()) {
      out.push(m.text, JSON.stringify(m.blocks ?? []), visibleText(m));
      for (const r of h.slack.thread(channel, m.ts).replies()) out.push(r.text, JSON.stringify(r.blocks ?? []));
    }
  }
  for (const user of ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'])
    for (const e of h.slack.ephemerals(user)) out.push(e.text);
  for (const f of h.slack.files()) out.push(f.name, f.title, f.content?.toString('utf8') ?? '');
  return out.join('\n');
}

describe('day-two flows under attack', () => {
  let h: Harness;
  let url: string;
  let redis: RedisClient;
  const pem = pemBody();
  const pemSecretLines = pem.filter((l) => !l.startsWith('-----'));
  const pairSecret = `Zq${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    h = await startHarness({
      mode: 'http',
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = INCIDENT;
        c.alerts.labelSelector = 'app=hostile';
        c.alerts.restartThreshold = 1;
        c.bindings = [{ channels: [INCIDENT], namespaces: ['demo'] }];
        c.logs.tailLines = TAIL;
        c.logs.limitBytes = LIMIT_BYTES;
      },
      alertTuning: { channelIntervalMs: 50 },
    });
    url = `http://127.0.0.1:${h.bot.port}/slack/events`;
    redis = newRedis();

    // A PEM key the previous-500-lines window starts inside (the thread's own tail shows none of it).
    const windowCut = [...filler(40), ...pem, ...filler(MORE_LINES - (pem.length - 6))];
    // A `name:` / `value:` pair the window starts between: the line above the window names the secret.
    const pairCut = [...filler(40), '- name: DB_PASSWORD', `  value: ${pairSecret}`, ...filler(MORE_LINES - 1)];
    // A PEM key the byte cap (4 × limitBytes) cuts: 100-byte lines put the key across byte MORE_BYTES.
    const before = Math.floor(MORE_BYTES / 101) - 4;
    const byteCut = [...filler(before, 100), ...pem, ...filler(MORE_LINES - before - pem.length, 100)];
    const apps: [string, string[]][] = [
      ['window-cut', windowCut],
      ['pair-cut', pairCut],
      ['byte-cut', byteCut],
      ['hostile', ['starting', 'fatal: no config']],
    ];
    for (const [app, logs] of apps) {
      await h.cluster.addKubeletRule({
        image: `ghcr.io/acme/${app}`,
        behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 0.3, logs },
      });
      const w = buildWorkload({
        namespace: 'demo',
        app,
        spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${app}:1.0.0` }] },
        createdAt: new Date().toISOString(),
      });
      w.pod.metadata.name = app;
      // Anyone who may create a pod may name any owner: the API server checks only that the fields are not empty.
      w.pod.metadata.ownerReferences =
        app === 'hostile'
          ? [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `<!channel> <https://evil.example/approve|Approve here>-${w.pod.metadata.labels['pod-template-hash']}`,
                uid: 'ffffffff-0000-4000-8000-000000000001',
                controller: true,
              },
            ]
          : [];
      await h.cluster.create('pods', w.pod);
    }
    for (const app of apps.map(([a]) => a)) {
      await eventually(
        async () =>
          ((await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === app)?.status?.containerStatuses?.[0]
            ?.restartCount ?? 0) > 0,
        20_000,
        `${app} to crash and restart`,
      );
    }
  }, 60_000);
  afterAll(async () => {
    await redis?.quit();
    await h?.stop();
  });

  /** `/debugdead <text>` as Slack would deliver it, signed. */
  const command = async (channel: string, user: string, text: string) => {
    const body = new URLSearchParams({
      token: 'sim-verification-token',
      team_id: 'T0DEBUGDEAD',
      team_domain: 'debugdead',
      channel_id: channel,
      channel_name: 'x',
      user_id: user,
      user_name: 'x',
      command: '/debugdead',
      text,
      api_app_id: 'A0DEBUGDEAD',
      is_enterprise_install: 'false',
      response_url: `${h.slack.url}/nowhere`,
      trigger_id: `${Date.now()}.1.abc`,
    }).toString();
    expect(await postSigned(url, h.slack.signingSecret, body)).toBe(200);
  };
  const summaryOf = async (pod: string): Promise<SimMessage> => {
    await command(INCIDENT, 'U0ALICE01', `${pod} -n demo`);
    return h.slack.waitFor(
      () =>
        h.slack
          .channel(INCIDENT)
          .messages()
          .find((m) => JSON.stringify(m.blocks ?? []).includes(`demo/${pod} —`)),
      20_000,
      `the summary of ${pod}`,
    );
  };
  const menuValue = (m: SimMessage, actionId: string, option: RegExp): string => {
    for (const b of m.blocks ?? []) {
      type Option = { text: { text: string }; value: string };
      for (const el of (
        b as { elements?: { action_id?: string; options?: Option[]; option_groups?: { options: Option[] }[] }[] }
      ).elements ?? []) {
        if (el.action_id !== actionId) continue;
        const options = el.options ?? el.option_groups?.flatMap((g) => g.options) ?? [];
        const found = options.find((o) => option.test(o.text.text));
        if (found) return found.value;
      }
    }
    throw new Error(`no ${option} in ${actionId}`);
  };
  /** A pick from a menu (Mute's overflow, More logs' select) as Slack would deliver it, with every field the attacker chose, signed. */
  const pick = (fields: { user: string; channel: string; ts: string; actionId: string; value: unknown }) => {
    const payload = {
      type: 'block_actions',
      user: { id: fields.user, username: 'x', name: 'x', team_id: 'T0DEBUGDEAD' },
      api_app_id: 'A0DEBUGDEAD',
      token: 'sim-verification-token',
      container: { type: 'message', message_ts: fields.ts, channel_id: fields.channel, is_ephemeral: false },
      trigger_id: `${Date.now()}.1.abc`,
      team: { id: 'T0DEBUGDEAD', domain: 'debugdead' },
      channel: { id: fields.channel, name: 'x' },
      response_url: `${h.slack.url}/nowhere`,
      actions: [
        {
          type: fields.actionId === MORE_LOGS_ACTION ? 'static_select' : 'overflow',
          action_id: fields.actionId,
          block_id: 'b',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: fields.value },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    return postSigned(url, h.slack.signingSecret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  };
  const audited = (user: string, detail: RegExp, since = 0) =>
    h.slack.waitFor(
      () =>
        h
          .auditEntries()
          .slice(since)
          .find((e) => e.actor?.id === user && e.result === 'denied' && detail.test(String(e.detail ?? ''))),
      10_000,
      `a denied record matching ${detail}`,
    );
  const muteKeys = () => keysMatching(redis, `${h.config.redis.prefix}:mute:*`);

  it('an owner named <!channel> and a link: the alert names the pod itself, and nothing pings or links', async () => {
    const alert = await h.slack.waitFor(
      () =>
        h.slack
          .channel(INCIDENT)
          .messages()
          .find((m) => /:rotating_light:/.test(visibleText(m)) && /demo\/hostile/.test(visibleText(m))),
      20_000,
      'the alert for the hostile pod',
    );
    expect(JSON.stringify(alert.blocks)).toContain('Pod `demo/hostile`');
    const shown = everythingShown(h);
    expect(shown).not.toMatch(/<!channel>|<https:\/\/evil\.example/);
    // Muting it keys the pod, never the owner's text.
    await h.slack.user('U0BOB0002').choose(alert, MUTE_MENU_ACTION, 'Mute 1 h');
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'alert.muted' && e.result === 'ok'),
      10_000,
      'the mute',
    );
    expect(await muteKeys()).toEqual([`${h.config.redis.prefix}:mute:demo/Pod/hostile`]);
  });

  it('forged mute picks: values we never rendered, another diagnosis, another message, an unbound channel', async () => {
    const target = await summaryOf('window-cut');
    const other = await summaryOf('pair-cut');
    const value = menuValue(target, MUTE_MENU_ACTION, /Mute 24 h/);
    const otherValue = menuValue(other, MUTE_MENU_ACTION, /Mute 24 h/);
    const before = await muteKeys();
    const forged: [string, Parameters<typeof pick>[0], RegExp | undefined][] = [
      [
        'a value we never rendered',
        { user: 'U0CAROL03', channel: INCIDENT, ts: target.ts, actionId: MUTE_MENU_ACTION, value: 'forever:x' },
        /mute: a menu value we never sent/,
      ],
      [
        'a 100 kB value with RTL marks',
        {
          user: 'U0CAROL03',
          channel: INCIDENT,
          ts: target.ts,
          actionId: MUTE_MENU_ACTION,
          value: `24h:${'\u202e'.repeat(50_000)}`,
        },
        /mute: a menu value we never sent/,
      ],
      [
        'a value that is no string',
        { user: 'U0CAROL03', channel: INCIDENT, ts: target.ts, actionId: MUTE_MENU_ACTION, value: { toString: 1 } },
        /mute: a menu value we never sent/,
      ],
      [
        "another diagnosis' id picked on this message",
        { user: 'U0CAROL03', channel: INCIDENT, ts: target.ts, actionId: MUTE_MENU_ACTION, value: otherValue },
        /not from its message/,
      ],
      [
        'this diagnosis picked on a copy of the message elsewhere',
        { user: 'U0CAROL03', channel: 'C0GENERAL', ts: target.ts, actionId: MUTE_MENU_ACTION, value },
        /not from its message/,
      ],
      [
        'a More logs pick on a container the menu never listed',
        {
          user: 'U0CAROL03',
          channel: INCIDENT,
          ts: target.ts,
          actionId: MORE_LOGS_ACTION,
          value: `b:7:${value.split(':')[1]}`,
        },
        undefined,
      ],
    ];
    for (const [name, fields, detail] of forged) {
      const since = h.auditEntries().length;
      expect(await pick(fields), name).toBe(200);
      if (detail) await audited('U0CAROL03', detail, since);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await muteKeys()).toEqual(before);
    expect(
      visibleText(
        h.slack
          .channel(INCIDENT)
          .messages()
          .find((m) => m.ts === target.ts)!,
      ),
    ).not.toMatch(/Muted by/);
    expect(h.slack.thread(INCIDENT, target.ts).replies().map(visibleText).join('\n')).not.toMatch(/More logs of/);
  });

  it('a More logs pick from a channel not bound to the namespace reads nothing', async () => {
    const target = await summaryOf('byte-cut');
    const value = menuValue(target, MORE_LOGS_ACTION, /previous instance/);
    expect(
      await pick({ user: 'U0CAROL03', channel: 'G0PLATFORM', ts: target.ts, actionId: MORE_LOGS_ACTION, value }),
    ).toBe(200);
    await audited('U0CAROL03', /more logs of app: not from its message/);
    expect(h.slack.thread(INCIDENT, target.ts).replies().map(visibleText).join('\n')).not.toMatch(/More logs of/);
  });

  it('a workload target in a denied namespace, or from a channel not bound to it, is refused before the cluster is asked', async () => {
    const reads = (namespace: string) =>
      h.kube.rbac
        .recorded()
        .filter((r) => r.namespace === namespace && ['deployments', 'statefulsets', 'pods'].includes(r.resource));
    for (const [channel, text, namespace, detail] of [
      [INCIDENT, 'deploy/kube-proxy -n kube-system', 'kube-system', /kube-system/],
      [INCIDENT, 'sts/etcd --namespace=kube-system', 'kube-system', /kube-system/],
      ['G0PLATFORM', 'deploy/checkout -n payments', 'payments', /not bound to namespace payments/],
      [INCIDENT, 'deploy/checkout -n payments', 'payments', /not bound to namespace payments/],
    ] as const) {
      const since = h.auditEntries().length;
      await command(channel, 'U0CAROL03', text);
      await h.slack.waitFor(
        () =>
          h
            .auditEntries()
            .slice(since)
            .find((e) => e.action === 'diagnosis.done' && e.result === 'denied' && detail.test(String(e.detail))),
        10_000,
        `the refusal of ${text} in ${channel}`,
      );
      expect(reads(namespace)).toEqual([]);
    }
  });

  describe('secrets cut by the window More logs reads stay redacted', () => {
    const moreLogs = async (pod: string) => {
      const summary = await summaryOf(pod);
      await h.slack
        .user('U0ALICE01')
        .choose(summary, MORE_LOGS_ACTION, 'Older 500 lines · previous instance', { group: 'app · failing' });
      return h.slack.waitFor(
        () => {
          const replies = h.slack.thread(INCIDENT, summary.ts).replies();
          const at = replies.findIndex((m) => visibleText(m).includes('More logs of `app`'));
          return at >= 0 && replies.length > at + 1 ? replies.slice(at) : undefined;
        },
        20_000,
        `More logs of ${pod}`,
      );
    };
    const files = () => h.slack.files().map((f) => `${f.title}\n${f.content?.toString('utf8') ?? ''}`);

    it.each([
      [
        'window-cut',
        'a PEM key the previous-500-lines window starts inside',
        /the \d+ lines before the last 20 the thread/,
      ],
      ['byte-cut', 'a PEM key the byte cap cuts', /of its last 520\. The kubelet stopped the read at 32 KiB/],
    ])('%s: %s', async (pod, _what, header) => {
      const replies = await moreLogs(pod);
      expect(replies.map(visibleText).join('\n')).toMatch(header);
      const shown = [...replies.map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`), ...files()].join('\n');
      const leaked = pemSecretLines.filter((line) => shown.includes(line.slice(8, 56)));
      expect(leaked).toEqual([]);
    });

    it('pair-cut: a value whose name is on the line above the window', async () => {
      const replies = await moreLogs('pair-cut');
      const shown = [...replies.map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`), ...files()].join('\n');
      expect(shown).toMatch(/value: \[REDACTED\]|REDACTED/);
      expect(shown).not.toContain(pairSecret);
    });
  });
});
