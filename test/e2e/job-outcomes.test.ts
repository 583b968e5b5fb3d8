import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, latest, managedPods } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('every outcome of a create job reaches the person and the audit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ jobRetry: { attempts: 2, backoffMs: 200 } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a creation that keeps failing transiently ends, after its last retry, as a failure on the message and in the audit', async () => {
    const undo = h.kube.faults.error({ status: 503, verb: 'create', resource: 'pods', namespace: 'demo' });
    try {
      const summary = await diagnose(h, 'U0ALICE01', 'crash-exit1');
      await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
      const failed = await h.slack.waitFor(
        () =>
          h.auditEntries().find((e) => e.action === 'pod.failed' && /gave up after 2 attempts/.test(e.detail ?? '')),
        15_000,
        'the final failure in the audit',
      );
      expect(failed.result).toBe('error');
      await h.slack.waitFor(
        () => (/:x: Failed: gave up after 2 attempts/.test(visibleText(latest(h, summary.ts))) ? true : undefined),
        10_000,
        'the failure on the message',
      );
      expect(visibleText(latest(h, summary.ts))).not.toMatch(/Creating pod/);
      expect(managedPods(h, 'demo')).toHaveLength(0);
    } finally {
      undo();
    }
  });
});
