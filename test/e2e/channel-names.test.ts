import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkspace } from '../sim/slack/index.js';
import { type Harness, type HarnessOptions, startHarness } from '../support/harness.js';

// Channels may be given as #name in debugdead.yaml; the bot lists the channels it can see once at start
// (conversations.list, every page) and runs on ids from then on. Ids keep working, and need no listing.

/** 300 public channels before the named ones (by id order), so the names are found only by following the cursor. */
const crowd = Array.from({ length: 300 }, (_, i) => ({
  id: `C0AAA${String(i).padStart(4, '0')}`,
  name: `noise-${i}`,
  kind: 'public' as const,
  members: ['U0ALICE01'],
}));
const workspace = { channels: [...crowd, ...defaultWorkspace().channels] };

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

describe('#channel names in the configuration', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('are resolved to ids at start, through every page of the channel list; ids given as ids stay', async () => {
    h = await startHarness({
      slackWorkspace: workspace,
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = '#incident';
        c.alerts.routes = [{ namespaces: ['platform-*'], channel: '#platform' }];
        c.alerts.labelSelector = 'app in (crash-exit1)';
        c.audit.channel = 'G0PLATFORM';
        c.bindings = [{ channels: ['#incident', 'C0GENERAL'], namespaces: ['demo'] }];
      },
      alertTuning: { channelIntervalMs: 50 },
    });
    expect(h.appWarnings.filter((w) => w.check === 'startup')).toEqual([]);
    expect(h.config.alerts.channel).toBe('C0INCIDENT');
    expect(h.config.alerts.routes[0]!.channel).toBe('G0PLATFORM');
    expect(h.config.audit.channel).toBe('G0PLATFORM');
    expect(h.config.bindings[0]!.channels).toEqual(['C0INCIDENT', 'C0GENERAL']);
    const lists = h.slack.calls('conversations.list');
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.every((c) => c.ok)).toBe(true);

    // Alerts go to the resolved channel; a binding by name lets that channel diagnose.
    await h.slack.waitFor(
      () =>
        h!.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => /crash-exit1/.test(m.text)),
      20_000,
      'the alert in #incident',
    );
    const d = await h.slack
      .user('U0ALICE01')
      .runCommand('/debugdead', 'crash-exit1 -n demo', { channel: 'C0INCIDENT' });
    expect(d.acked).toBe(true);
    await h.slack.waitFor(
      () =>
        h!.slack
          .channel('C0INCIDENT')
          .messages()
          .find((m) => /crash-exit1/.test(m.text) && !/:rotating_light:/.test(m.text)),
      20_000,
      'the diagnosis in #incident',
    );
  });

  it('a name Slack does not list stops the start, with the key and the fix', async () => {
    const message = await refusal({
      slackWorkspace: workspace,
      configure: (c) => {
        c.alerts.enabled = true;
        c.alerts.channel = '#incidnet';
        c.audit.channel = '#secops'; // private, and the bot is not in it
      },
    });
    expect(message).toContain(
      'alerts.channel: Slack lists no channel #incidnet that the bot can see: check the spelling (the name as it appears in Slack, without spaces), or if the channel is private, run `/invite @debugdead` in it; or give its id (channel details, About tab, bottom).',
    );
    expect(message).toContain('audit.channel: Slack lists no channel #secops that the bot can see');
  });

  it('without channels:read and groups:read, names stop the start naming the scopes; ids need no listing', async () => {
    const scopes = ['commands', 'chat:write', 'chat:write.public', 'files:write', 'usergroups:read'];
    const message = await refusal({
      botScopes: scopes,
      configure: (c) => {
        c.audit.channel = '#incident';
      },
    });
    expect(message).toContain(
      'The configuration names channels by #name, and Slack refused to list channels (missing_scope): add the channels:read and groups:read scopes (manifest.yml) and reinstall the app, or give channel ids instead.',
    );

    h = await startHarness({ botScopes: scopes, configure: (c) => (c.audit.channel = 'C0INCIDENT') });
    expect(h.slack.calls('conversations.list')).toEqual([]);
  });
});
