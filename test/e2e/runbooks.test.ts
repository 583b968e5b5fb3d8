import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';
const OOM = '<https://wiki.example.com/oom|OOM runbook>';
const CHECKOUT = '<https://wiki.example.com/checkout|Checkout on-call>';

describe('runbook links from config appear with the verdict, by rule', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.runbooks = [
          { match: { kind: 'OOMKilled' }, url: 'https://wiki.example.com/oom', title: 'OOM runbook' },
          {
            match: { label: 'app=crash-exit1', namespace: 'de*' },
            url: 'https://wiki.example.com/checkout',
            title: 'Checkout on-call',
          },
        ];
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const summaryOf = async (pod: string) => {
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

  it('an OOM-killed pod gets the OOM runbook; a pod labelled app=crash-exit1 gets its team’s, each right under the verdict', async () => {
    const [oom, crash] = await Promise.all([summaryOf('oom'), summaryOf('crash-exit1')]);
    const oomBlocks = JSON.stringify(oom.blocks);
    const crashBlocks = JSON.stringify(crash.blocks);
    expect(oomBlocks).toContain(OOM);
    expect(oomBlocks).not.toContain(CHECKOUT);
    expect(crashBlocks).toContain(CHECKOUT);
    expect(crashBlocks).not.toContain(OOM);
    // Second block: right under the verdict's header.
    expect(JSON.stringify(crash.blocks?.[1])).toContain(CHECKOUT);
  });
});
