import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterQueueName, deriveClusterKey, signTask } from '../../src/clusters/index.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { type ClusterHarness, startClusterHarness } from '../support/cluster-harness.js';

const INCIDENT = 'C0INCIDENT'; // default cluster: prod-eu
const PLATFORM = 'G0PLATFORM'; // default cluster: prod-us
const GENERAL = 'C0GENERAL'; // no default

/** The debug pods the agent made in a cluster. */
function managed(h: ClusterHarness, cluster: string) {
  return h.clusters[cluster]!.kube.store.list('pods', 'demo').filter(
    (p) => p.metadata.labels?.['debugdead.io/managed'] === 'true',
  );
}

/** The messages of `channel` so far, to tell a new one from them. */
function seen(h: ClusterHarness, channel: string): Set<string> {
  return new Set(
    h.slack
      .channel(channel)
      .messages()
      .map((m) => m.ts),
  );
}

/** Waits for a new top-level message in `channel` (not in `before`) whose text starts with `demo/<pod> `. */
async function summaryOf(h: ClusterHarness, channel: string, pod: string, before: Set<string>): Promise<SimMessage> {
  return h.slack.waitFor(
    () =>
      h.slack
        .channel(channel)
        .messages()
        .find((m) => m.text.startsWith(`demo/${pod} `) && !before.has(m.ts)),
    20_000,
    `the diagnosis of ${pod} in ${channel}`,
  );
}

describe('one gateway, three clusters, an agent in each', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({
      configure: (doc) => {
        doc.bindings = [
          { channels: [INCIDENT], namespaces: ['*'], cluster: 'prod-eu' },
          { channels: [PLATFORM], namespaces: ['*'], cluster: 'prod-us' },
          { channels: [GENERAL], namespaces: ['*'] },
        ];
      },
      // crash-exit1 runs in prod-eu only; oom everywhere.
      beforeStart: ({ kube }) => {
        for (const name of ['prod-us', 'staging']) kube[name]!.store.remove('pods', 'demo', 'crash-exit1');
      },
    });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('a channel default and an @name route the diagnosis to their cluster, and the message names it', async () => {
    const t0 = seen(h, PLATFORM);
    const viaDefault = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo', { channel: PLATFORM });
    expect(viaDefault.acked).toBe(true);
    expect(String(viaDefault.response?.text)).toContain('in @prod-us');
    const fromUs = await summaryOf(h, PLATFORM, 'oom', t0);
    expect(fromUs.text).toContain('@prod-us');
    expect(visibleText(fromUs)).toMatch(/Cluster \*?@prod-us/);

    const t1 = seen(h, PLATFORM);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @staging', { channel: PLATFORM });
    const fromStaging = await summaryOf(h, PLATFORM, 'oom', t1);
    expect(fromStaging.ts).not.toBe(fromUs.ts);
    expect(fromStaging.text).toContain('@staging');

    const t2 = seen(h, GENERAL);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom --cluster prod-eu -n demo', { channel: GENERAL });
    expect((await summaryOf(h, GENERAL, 'oom', t2)).text).toContain('@prod-eu');
  });

  it("an approval creates the clone in the diagnosis' cluster, and its exec line carries that cluster's context", async () => {
    const before = seen(h, PLATFORM);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'crash-exit1 demo @prod-eu', { channel: PLATFORM });
    const summary = await summaryOf(h, PLATFORM, 'crash-exit1', before);
    await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    const pod = await h.slack.waitFor(() => managed(h, 'prod-eu')[0], 20_000, 'the clone in prod-eu');
    expect(pod.metadata.name).toMatch(/^crash-exit1-debug-/);
    expect(pod.metadata.annotations?.['debugdead.io/cluster']).toBe('prod-eu');
    expect(managed(h, 'prod-us')).toEqual([]);
    expect(managed(h, 'staging')).toEqual([]);
    const ready = await h.slack.waitFor(
      () => {
        const now = h.slack
          .channel(PLATFORM)
          .messages()
          .find((m) => m.ts === summary.ts);
        return now && /kubectl --context ctx-prod-eu exec -it -n demo crash-exit1-debug-/.test(visibleText(now))
          ? now
          : undefined;
      },
      20_000,
      'the exec line with --context',
    );
    expect(visibleText(ready)).toContain('@prod-eu');
    const thread = await h.slack.waitFor(
      () =>
        h.slack
          .thread(PLATFORM, summary.ts)
          .replies()
          .find((m) => /is ready/.test(visibleText(m))),
      20_000,
      'the ready line in the thread',
    );
    expect(visibleText(thread)).toContain('kubectl --context ctx-prod-eu exec');
    // Extend and Delete now reach the pod through its cluster's agent (the gateway has no credentials to do it).
    const expiry = Date.parse(pod.metadata.annotations!['debugdead.io/expires-at']!);
    await h.slack.user('U0ALICE01').click(ready, 'Extend', { confirm: true });
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(PLATFORM, summary.ts)
          .replies()
          .find((m) => /extended `crash-exit1-debug-/.test(visibleText(m))),
      10_000,
      'the extension in the thread',
    );
    const extended = Date.parse(managed(h, 'prod-eu')[0]!.metadata.annotations!['debugdead.io/expires-at']!);
    expect(extended - expiry).toBeGreaterThan(30 * 60_000);
    const current = h.slack
      .channel(PLATFORM)
      .messages()
      .find((m) => m.ts === summary.ts)!;
    await h.slack.user('U0ALICE01').click(current, 'Delete now', { confirm: true });
    await h.slack.waitFor(() => (managed(h, 'prod-eu').length === 0 ? true : undefined), 15_000, 'the deletion');
    // The gateway's records of the approval name the cluster.
    const granted = h.auditEntries().find((e) => e.action === 'approval.granted');
    expect(granted?.target.cluster).toBe('prod-eu');
  });

  it('a compromised agent cannot speak for another cluster: its reports on another action or channel are refused', async () => {
    const before = seen(h, GENERAL);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @prod-eu', { channel: GENERAL });
    const summary = await summaryOf(h, GENERAL, 'oom', before);
    const actionId = JSON.stringify(summary.blocks).match(/"value":"([A-Za-z0-9_-]{8,64}\.c\d+)"/)?.[1];
    expect(actionId).toBeDefined();
    const connection = { url: h.redisUrl, maxRetriesPerRequest: null };
    /** A report as the `keyOf` agent signs it (prod-us's, unless said), sent on `queueOf`'s report queue. */
    const send = async (queueOf: string, cluster: string, body: unknown, keyOf = 'prod-us') => {
      const name = clusterQueueName(queueOf, 'reports');
      const queue = new Queue(name, { connection, prefix: h.prefix });
      const events = new QueueEvents(name, { connection, prefix: h.prefix });
      try {
        await events.waitUntilReady();
        const task = { kind: 'report' as const, cluster, expiresAt: new Date(Date.now() + 30_000).toISOString(), body };
        const job = await queue.add('report', signTask(task, deriveClusterKey(h.gatewayKey, keyOf)));
        return (await job.waitUntilFinished(events, 10_000)) as { ok: boolean; name?: string };
      } finally {
        await events.close();
        await queue.close();
      }
    };
    const pwn = { kind: 'thread', actionId, message: { text: 'pwned by prod-us' } };
    expect(await send('prod-us', 'prod-us', pwn)).toMatchObject({ ok: false, name: 'ReportRefused' });
    expect(await send('prod-eu', 'prod-eu', pwn)).toMatchObject({ ok: false, name: 'Refused' });
    const summaryMessage = { text: 'fake alert summary', blocks: [] };
    expect(
      await send('prod-us', 'prod-us', { kind: 'alert.summary', channel: GENERAL, message: summaryMessage }),
    ).toMatchObject({
      ok: false,
      name: 'ReportRefused',
    });
    await new Promise((r) => setTimeout(r, 300));
    const everything = JSON.stringify([
      h.slack.channel(GENERAL).messages(),
      h.slack.thread(GENERAL, summary.ts).replies(),
    ]);
    expect(everything).not.toContain('pwned');
    expect(everything).not.toContain('fake alert summary');

    // Even on its own cluster's action, a thread line is text whose only live markup is a mention of a person.
    const hostile = {
      kind: 'thread',
      actionId,
      message: {
        text: ':white_check_mark: ready for <@U0ALICE01> <!channel> <https://evil.example|approve> <#C0INCIDENT>',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<!here> look' } }],
      },
    };
    expect(await send('prod-eu', 'prod-eu', hostile, 'prod-eu')).toMatchObject({ ok: true });
    const line = await h.slack.waitFor(
      () =>
        h.slack
          .thread(GENERAL, summary.ts)
          .replies()
          .find((m) => m.text.includes('ready for <@U0ALICE01>')),
      5_000,
      'the thread line',
    );
    expect(line.text).toBe(
      ':white_check_mark: ready for <@U0ALICE01> &lt;!channel&gt; &lt;https://evil.example|approve&gt; &lt;#C0INCIDENT&gt;',
    );
    expect(line.blocks ?? []).toEqual([]);

    // Nor may it say who approved: the approver is the gateway's word, from Slack.
    const spoof = { kind: 'progress', actionId, patch: { step: 'ready', approvedBy: 'U0CEO0001' } };
    expect(await send('prod-eu', 'prod-eu', spoof, 'prod-eu')).toMatchObject({ ok: false, name: 'ReportRefused' });
    const shown = JSON.stringify(
      h.slack
        .channel(GENERAL)
        .messages()
        .find((m) => m.ts === summary.ts),
    );
    expect(shown).not.toContain('U0CEO0001');
  });

  it('with no cluster named and no channel default, a pod found in one cluster only is diagnosed there', async () => {
    const t0 = seen(h, GENERAL);
    await h.slack.user('U0BOB0002').runCommand('/debugdead', 'crash-exit1 demo', { channel: GENERAL });
    const summary = await summaryOf(h, GENERAL, 'crash-exit1', t0);
    expect(summary.text).toContain('@prod-eu');
    expect(visibleText(summary)).toMatch(/demo\/crash-exit1 — .*exit 1/);
  });

  it('a pod asked for in the wrong cluster points to the one that has it ("did you mean @prod-eu?")', async () => {
    await h.slack.user('U0CAROL03').runCommand('/debugdead', 'crash-exit1 demo @staging', { channel: GENERAL });
    const answer = await h.slack.waitFor(
      () => h.slack.ephemerals('U0CAROL03', GENERAL).find((e) => /did you mean/.test(visibleText(e as never))),
      15_000,
      'the did-you-mean answer',
    );
    expect(visibleText(answer as never)).toContain('@prod-eu');
    // The answer names the cluster it is about.
    expect(visibleText(answer as never)).toMatch(/Cluster \*?@staging/);
  });

  it('an unknown cluster is answered with the list, and `clusters` lists every agent with its version and lag', async () => {
    const unknown = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @mars', { channel: GENERAL });
    expect(String(unknown.response?.text)).toMatch(/no cluster @mars.*@prod-eu, @prod-us, @staging/);
    const list = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'clusters', { channel: GENERAL });
    const text = String(list.response?.text);
    const help = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'help', { channel: GENERAL });
    expect(String(help.response?.text)).toContain('/debugdead clusters');
    for (const name of ['prod-eu', 'prod-us', 'staging']) expect(text).toMatch(new RegExp(`@${name}\\*: agent \\d`));
    expect(text).toMatch(/last seen \d+ (ms|s) ago, \d+ jobs? waiting, context `ctx-staging`/);
  });

  it('a killed agent is answered at once with when it was last seen; the other clusters carry on', async () => {
    const before = seen(h, GENERAL);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @staging', { channel: GENERAL });
    const stagingSummary = await summaryOf(h, GENERAL, 'oom', before);
    h.clusters.staging!.killAgent();
    const killedAt = Date.now();
    let answer = '';
    while (Date.now() - killedAt < 2000) {
      const d = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @staging', { channel: GENERAL });
      answer = String(d.response?.text);
      if (/last seen/.test(answer)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toMatch(/agent for @staging was last seen \d+ (ms|s) ago/);
    expect(Date.now() - killedAt).toBeLessThan(2000);

    const t0 = seen(h, INCIDENT);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo', { channel: INCIDENT });
    expect((await summaryOf(h, INCIDENT, 'oom', t0)).text).toContain('@prod-eu');

    // An approval meanwhile queues nothing for the absent agent: its panel says why at once.
    await h.slack.user('U0ALICE01').click(stagingSummary, 'Create debug clone', { confirm: true });
    await h.slack.waitFor(
      () => {
        const now = h.slack
          .channel(GENERAL)
          .messages()
          .find((m) => m.ts === stagingSummary.ts);
        return now && /agent for @staging was last seen .*Nothing was created/.test(visibleText(now)) ? now : undefined;
      },
      5000,
      'the refused approval on the panel',
    );

    await h.clusters.staging!.startAgent();
    const t1 = seen(h, GENERAL);
    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo @staging', { channel: GENERAL });
    expect((await summaryOf(h, GENERAL, 'oom', t1)).text).toContain('@staging');
    // Back, the agent ran nothing that was asked while it was away.
    expect(managed(h, 'staging')).toEqual([]);
  });
});
