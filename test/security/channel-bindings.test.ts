import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelMayDiagnose } from '../../src/conversation/channel-may-diagnose.js';
import { DEFAULT_BOT_SCOPES, type SimEphemeral, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

/** What a channel and the person in it saw mentioning `pod` (messages, and ephemerals other than the refusal). */
function seenAbout(h: Harness, channel: string, user: string, pod: string) {
  return {
    messages: h.slack
      .channel(channel)
      .messages()
      .filter((m) => m.text.includes(pod))
      .map(visibleText),
    ephemerals: h.slack
      .ephemerals(user)
      .filter((e) => e.channel === channel && e.text.includes(pod) && !/^:no_entry:|Diagnosing/.test(e.text))
      .map(visibleText),
  };
}

async function command(h: Harness, user: string, channel: string, text: string, pod: string) {
  const before = h.auditEntries().length;
  const delivery = await h.slack.user(user).runCommand('/debugdead', text, { channel });
  expect(delivery.acked).toBe(true);
  return h.slack.waitFor(
    () =>
      h
        .auditEntries()
        .slice(before)
        .find((e) => ['diagnosis.done', 'error'].includes(e.action) && e.target?.pod === pod),
    15_000,
    `the outcome of "${text}" in ${channel}`,
  );
}

const told = (h: Harness, user: string, pattern: RegExp): Promise<SimEphemeral> =>
  h.slack.waitFor(
    () => h.slack.ephemerals(user).find((e) => pattern.test(visibleText(e))),
    10_000,
    `an answer matching ${pattern}`,
  );

describe('channelMayDiagnose', () => {
  const bindings = [
    { channels: ['C0AAAAAAA', 'C0BBBBBBB'], namespaces: ['prod-*'] },
    { channels: ['C0BBBBBBB'], namespaces: ['staging'] },
  ];
  it.each([
    {
      name: 'no bindings: any channel, any namespace',
      b: [],
      channel: 'C0XXXXXXX',
      ns: 'prod-eu',
      want: { ok: true, by: 'default' },
    },
    {
      name: 'a bound channel and a matching glob',
      b: bindings,
      channel: 'C0AAAAAAA',
      ns: 'prod-eu',
      want: { ok: true, by: 'bound' },
    },
    {
      name: 'a second binding of the same channel',
      b: bindings,
      channel: 'C0BBBBBBB',
      ns: 'staging',
      want: { ok: true, by: 'bound' },
    },
    {
      name: 'a bound channel, another namespace',
      b: bindings,
      channel: 'C0AAAAAAA',
      ns: 'staging',
      want: { ok: false, namespaces: ['prod-*'] },
    },
    {
      name: 'an unbound channel',
      b: bindings,
      channel: 'C0XXXXXXX',
      ns: 'prod-eu',
      want: { ok: false, namespaces: [] },
    },
    {
      name: 'a glob is not a prefix match',
      b: bindings,
      channel: 'C0AAAAAAA',
      ns: 'preprod-eu',
      want: { ok: false, namespaces: ['prod-*'] },
    },
  ])('$name', ({ b, channel, ns, want }) => {
    expect(channelMayDiagnose(b, channel, ns)).toEqual(want);
  });
});

describe('who may see what, by default: the channels the bot can post in', () => {
  let h: Harness;
  beforeAll(async () => {
    // Installed without the optional chat:write.public: public channels the bot has not joined are refused too.
    h = await startHarness({ botScopes: DEFAULT_BOT_SCOPES.filter((s) => s !== 'chat:write.public') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a channel the bot is in gets the diagnosis', async () => {
    const outcome = await command(h, 'U0ALICE01', 'C0INCIDENT', 'crash-exit1 demo', 'crash-exit1');
    expect(outcome).toMatchObject({ action: 'diagnosis.done', result: 'ok' });
    expect(seenAbout(h, 'C0INCIDENT', 'U0ALICE01', 'crash-exit1').messages.length).toBeGreaterThan(0);
  });

  it.each([
    { channel: 'C0GENERAL', kind: 'a public channel the bot is not in (no chat:write.public)', code: 'not_in_channel' },
    { channel: 'G0SECOPS0', kind: 'a private channel the bot is not in', code: 'channel_not_found' },
  ])('$kind: refused, told why and how to fix it, audited, and shown nothing', async ({ channel, code }) => {
    const outcome = await command(h, 'U0ALICE01', channel, 'oom demo', 'oom');
    expect(outcome).toMatchObject({ action: 'diagnosis.done', result: 'denied', actor: { id: 'U0ALICE01' } });
    expect(outcome.detail).toBe(`channel ${channel}: the bot cannot post there (${code})`);
    const answer = visibleText(await told(h, 'U0ALICE01', new RegExp(`cannot post in <#${channel}>`)));
    expect(answer).toContain('Invite the bot with `/invite @debugdead`');
    expect(seenAbout(h, channel, 'U0ALICE01', 'oom')).toEqual({ messages: [], ephemerals: [] });
  });

  it('what the cluster says about a missing pod is not shown there either (no neighbours’ names)', async () => {
    const outcome = await command(h, 'U0BOB0002', 'C0GENERAL', 'crash-exit demo', 'crash-exit');
    expect(outcome).toMatchObject({ result: 'denied' });
    await told(h, 'U0BOB0002', /cannot post in <#C0GENERAL>/);
    const everything = [
      ...h.slack.channel('C0GENERAL').messages(),
      ...h.slack.ephemerals('U0BOB0002').filter((e) => e.channel === 'C0GENERAL'),
    ].map(visibleText);
    expect(everything.filter((t) => /crash-exit1|Did you mean/.test(t))).toEqual([]);
  });
});

describe('who may see what, with chat:write.public: public channels too', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      botScopes: ['commands', 'chat:write', 'chat:write.public', 'files:write', 'usergroups:read'],
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a public channel the bot is not in gets the diagnosis; a private one still does not', async () => {
    expect(await command(h, 'U0ALICE01', 'C0GENERAL', 'crash-exit1 demo', 'crash-exit1')).toMatchObject({
      result: 'ok',
    });
    expect(await command(h, 'U0ALICE01', 'G0SECOPS0', 'oom demo', 'oom')).toMatchObject({ result: 'denied' });
  });
});

describe('who may see what, with bindings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.bindings = [
          { channels: ['C0INCIDENT'], namespaces: ['demo'] },
          { channels: ['G0PLATFORM'], namespaces: ['shop', 'platform-*'] },
        ];
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a channel bound to the namespace gets the diagnosis', async () => {
    expect(await command(h, 'U0ALICE01', 'C0INCIDENT', 'crash-exit1 demo', 'crash-exit1')).toMatchObject({
      action: 'diagnosis.done',
      result: 'ok',
    });
  });

  it('a channel the bot is in but bound to other namespaces is refused, told which it may diagnose and how to add one', async () => {
    const outcome = await command(h, 'U0CAROL03', 'G0PLATFORM', 'oom demo', 'oom');
    expect(outcome).toMatchObject({ result: 'denied', detail: 'channel G0PLATFORM: not bound to namespace demo' });
    const answer = visibleText(await told(h, 'U0CAROL03', /may not diagnose pods in `demo`/));
    expect(answer).toContain('it may diagnose `shop`, `platform-*`');
    expect(answer).toContain('`bindings` in debugdead.yaml');
    expect(seenAbout(h, 'G0PLATFORM', 'U0CAROL03', 'oom')).toEqual({ messages: [], ephemerals: [] });
  });

  it('a direct message with the bot, bound to nothing, is refused before the cluster is asked', async () => {
    const outcome = await command(h, 'U0ALICE01', 'D0ALICE01', 'no-such-pod-at-all demo', 'no-such-pod-at-all');
    expect(outcome).toMatchObject({ result: 'denied', detail: 'channel D0ALICE01: not bound to namespace demo' });
    expect(visibleText(await told(h, 'U0ALICE01', /<#D0ALICE01> may not diagnose/))).toContain('no binding lists it');
    // Had the cluster been asked, the missing pod would have ended as an `error` record (NotFound) with the
    // neighbours' names: the refusal came first, and no other record of this pod exists.
    expect(
      h
        .auditEntries()
        .filter((e) => e.target?.pod === 'no-such-pod-at-all')
        .map((e) => e.action),
    ).toEqual(['command.received', 'diagnosis.done']);
  });
});
