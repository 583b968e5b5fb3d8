import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';

describe('More logs from the menu on a summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const summaryOf = async (pod: string): Promise<SimMessage> => {
    await h.slack.user('U0ALICE01').runCommand('/debugdead', `${pod} -n demo`, { channel: CHANNEL });
    return h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => JSON.stringify(m.blocks ?? []).includes(`demo/${pod} —`)),
      20_000,
      `the summary of ${pod}`,
    );
  };
  /** Everything in the thread after the "More logs of …" line, once a log reply follows it. */
  const moreLogsIn = (ts: string, container: string) =>
    h.slack.waitFor(
      () => {
        const replies = h.slack.thread(CHANNEL, ts).replies();
        const at = replies.findIndex((m) => visibleText(m).includes(`More logs of \`${container}\``));
        const after = at >= 0 ? replies.slice(at + 1) : [];
        return after.some((m) => visibleText(m).includes(`${container} —`)) ? [replies[at]!, ...after] : undefined;
      },
      20_000,
      `more logs of ${container}`,
    );

  it('another container of a multi-container pod, both instances, in the thread, redacted', async () => {
    const summary = await summaryOf('multi');
    await h.slack.user('U0BOB0002').choose(summary, 'debugdead.more_logs', 'More logs: log-shipper');
    const posted = await moreLogsIn(summary.ts, 'log-shipper');
    const text = posted.map(visibleText).join('\n');
    expect(text).toMatch(/More logs of `log-shipper` \(both instances\): last \d+ lines, for <@U0BOB0002>/);
    expect(text).not.toMatch(/hunter2/);
    const audited = await h.slack.waitFor(
      () =>
        h.auditEntries().find((e) => e.action === 'button.clicked' && /more logs: log-shipper/.test(e.detail ?? '')),
      5_000,
      'the audit record',
    );
    expect(audited).toMatchObject({ result: 'ok', actor: { id: 'U0BOB0002' } });
  });

  it('a one-container pod: older lines of the previous instance; no current instance while it waits in back-off', async () => {
    const summary = await summaryOf('liveness');
    await h.slack.user('U0ALICE01').choose(summary, 'debugdead.more_logs', 'More logs: previous instance');
    const posted = await moreLogsIn(summary.ts, 'app');
    const text = posted.map(visibleText).join('\n');
    // The thread showed the last logs.tailLines (200); More logs reads 500 more.
    expect(text).toMatch(/More logs of `app` \(previous instance\): last 700 lines/);
    expect(text).toMatch(/app — previous instance \(exit 137\)/);
    expect(text).not.toMatch(/app — current instance/);
    expect(text).not.toMatch(/Bearer eyJ/);

    await h.slack.user('U0ALICE01').choose(summary, 'debugdead.more_logs', 'More logs: current instance');
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(CHANNEL, summary.ts)
          .replies()
          .find((m) => visibleText(m).includes('More logs of `app` (current instance): no current instance to show')),
      20_000,
      'the honest answer for a container waiting in back-off',
    );
  });
});
