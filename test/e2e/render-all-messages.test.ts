import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { everyTimeline, renderContextFor, renderMessage, type WorkspaceSnapshot } from '../sim/slack/web/index.js';
import { DEMO_ALERTS_CHANNEL, type DemoWorkspace, startDemoWorkspace } from '../sim/start-demo-workspace.js';
import { INCIDENT } from '../support/e2e-steps.js';
import { loadSlackMessages, type PostedVersion, postedVersions, snapshotOf } from '../support/record-slack-messages.js';
import { testRedisUrl } from '../support/redis.js';
import { strayMarkup } from '../support/stray-markup.js';

/**
 * The web client draws every message the bot posts without Slack markup left raw (`<!date^`, `<@U`, `*bold*`) and
 * without markup from its content reaching the page. One full run over the default scenario (every pod diagnosed,
 * alerts and the storm summary, help, errors, the audit trail, clones approved and refused, a node shell under the
 * two-person rule, Extend and Delete now, deletion after the TTL), then whatever the other e2e files recorded.
 */

/** Each message of a snapshot as each person in the workspace sees it, rendered: [where, html]. */
function renderAll(snap: WorkspaceSnapshot): [string, string][] {
  const out: [string, string][] = [];
  for (const reader of snap.ws.users.filter((u) => !u.isBot)) {
    // A zone far from UTC, so dates are really converted.
    const ctx = renderContextFor(snap, reader.id, 'Asia/Kolkata', Date.now());
    for (const timeline of everyTimeline(snap, reader.id))
      for (const { key, item } of timeline)
        out.push([`${item.channel} ${key} for ${reader.id}`, renderMessage(item, ctx)]);
  }
  return out;
}

/** Each version the bot ever posted (edited messages in every state), rendered: [where, html]. */
function renderVersions(snap: WorkspaceSnapshot, versions: PostedVersion[]): [string, string][] {
  const ctx = renderContextFor(snap, 'U0ALICE01', 'Asia/Kolkata', Date.now());
  const bot = { id: snap.ws.bot.userId, name: 'debugdead', isBot: true };
  return versions.map((v, i): [string, string] => [
    `${v.via} #${i} in ${v.channel}`,
    renderMessage({ ...v, ts: '1795425851.000100', author: bot }, ctx),
  ]);
}

function problemsIn(rendered: [string, string][]): string[] {
  return rendered.flatMap(([where, html]) => strayMarkup(html).map((p) => `${where}: ${p}`));
}

describe('every message of a full run, drawn by the web client', () => {
  let w: DemoWorkspace;
  beforeAll(async () => {
    w = await startDemoWorkspace({ cloneTtlSeconds: 3, redisUrl: testRedisUrl() });
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** Resolves once the workspace has been quiet (no message posted or edited) for `quietMs`. */
  async function settle(quietMs = 1500, timeoutMs = 30_000): Promise<void> {
    const s = w.harness.slack;
    const fingerprint = () => JSON.stringify(snapshotOf(s).messages.map((m) => [m.ts, m.text, m.blocks]));
    let last = fingerprint();
    let since = Date.now();
    const start = Date.now();
    while (Date.now() - since < quietMs && Date.now() - start < timeoutMs) {
      await new Promise((r) => setTimeout(r, 250));
      const now = fingerprint();
      if (now !== last) {
        last = now;
        since = Date.now();
      }
    }
  }

  async function summaryOf(pod: string): Promise<SimMessage> {
    return w.harness.slack.waitFor(
      () =>
        w.harness.slack
          .channel(INCIDENT)
          .messages()
          .find((m) => m.text.startsWith(`demo/${pod} `)),
      15_000,
      `the diagnosis of ${pod}`,
    );
  }

  async function approvalIn(parent: SimMessage, what: RegExp): Promise<SimMessage> {
    return w.harness.slack.waitFor(
      () =>
        w.harness.slack
          .thread(INCIDENT, parent.ts)
          .replies()
          .find((m) => what.test(visibleText(m)) && /Approve/.test(visibleText(m))),
      10_000,
      `the approval request for ${what}`,
    );
  }

  it('has no raw mrkdwn and no unescaped markup anywhere', async () => {
    const { slack, kube } = w.harness;
    const alice = slack.user('U0ALICE01');
    const bob = slack.user('U0BOB0002');
    const carol = slack.user('U0CAROL03');

    const pods = kube.store.list('pods', 'demo').map((p) => p.metadata.name as string);
    expect(pods.length).toBeGreaterThan(5);
    for (const pod of pods) await alice.runCommand('/debugdead', `${pod} demo`, { channel: INCIDENT });
    for (const text of ['help', 'no-such-pod demo', 'web nowhere', '--bogus', 'audit', 'audit verify'])
      await alice.runCommand('/debugdead', text, { channel: INCIDENT });
    await carol.runCommand('/debugdead', 'oom demo', { channel: 'G0PLATFORM' });

    // A clone by an approver, then Extend and Delete now.
    const crash = await summaryOf('crash-exit1');
    await bob.click(crash, 'Create debug clone', { confirm: true });
    await slack.waitFor(() => /✅|:white_check_mark: Running/.test(visibleText(latestOf(crash))), 20_000, 'running');
    // A clone asked for by someone who may not approve: the request goes to the thread, Bob approves.
    const oom = await summaryOf('oom');
    await carol.click(oom, 'Create debug clone', { confirm: true });
    await bob.click(await approvalIn(oom, /debug clone/), 'debugdead.approve', { confirm: true });
    // A node shell under the two-person rule: Carol asks, Alice (the other lead) approves.
    const liveness = await summaryOf('liveness');
    await carol.click(liveness, 'Open node shell', { confirm: true });
    const shellAsk = await approvalIn(liveness, /node shell/);
    await carol.click(shellAsk, 'debugdead.approve', { confirm: true });
    await alice.click(shellAsk, 'debugdead.approve', { confirm: true });
    // Extend and Delete now on whichever progress panel offers them.
    await settle();
    for (const label of ['Extend', 'Delete now']) {
      const withButton = slack
        .channel(INCIDENT)
        .messages()
        .find((m) => visibleText(m).split('\n').includes(label));
      if (withButton) await alice.click(withButton, label, { confirm: true }).catch(() => undefined);
    }
    await slack.waitFor(() => slack.channel(DEMO_ALERTS_CHANNEL).messages().length > 3, 20_000, 'the alert storm');
    await new Promise((r) => setTimeout(r, 3500)); // the 3 s TTL runs out: "Deleted"
    await settle();

    const snapshot = snapshotOf(slack);
    const rendered = [...renderAll(snapshot), ...renderVersions(snapshot, postedVersions(slack))];
    expect(rendered.length).toBeGreaterThan(60);
    expect(problemsIn(rendered)).toEqual([]);
    const alertStorm = rendered.find(([, html]) => html.includes('alert storm'));
    expect(alertStorm, 'the storm summary was rendered').toBeDefined();
    expect(
      rendered.some(([, html]) => /asks for a debug clone/.test(html)),
      'an approval request',
    ).toBe(true);
    expect(
      rendered.some(([, html]) => /asks for a node shell/.test(html)),
      'a node-shell request',
    ).toBe(true);

    function latestOf(m: SimMessage): SimMessage {
      return (
        slack
          .channel(INCIDENT)
          .messages()
          .find((x) => x.ts === m.ts) ?? m
      );
    }
  }, 120_000);

  it('nor in the messages the other e2e files of this run recorded so far', () => {
    const recorded = loadSlackMessages();
    const rendered = recorded.flatMap(({ name, snapshot, versions }) =>
      [...renderAll(snapshot), ...renderVersions(snapshot, versions)].map(([where, html]): [string, string] => [
        `${name} ${where}`,
        html,
      ]),
    );
    expect(problemsIn(rendered)).toEqual([]);
  });
});
