import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../sim/slack/index.js';
import { diagnose, eventually, latest } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';

const clonesOf = async (h: Harness, pod: string) =>
  (await h.cluster.list('pods', 'demo')).filter(
    (p) => p.metadata.annotations?.['debugdead.io/source-pod'] === `demo/${pod}`,
  );

describe('debug clones, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      configure: (c) => {
        c.debugClone.defaultTtlSeconds = 6;
        c.debugClone.maxTtlSeconds = 120;
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a click on a scratch image with no shell creates a running clone with busybox, then deletes it at its TTL', async () => {
    const summary = await diagnose(h, 'U0ALICE01', 'scratch-crash');
    const click = await h.slack.user('U0ALICE01').click(summary, 'Create debug clone', { confirm: true });
    expect(click).toMatchObject({ acked: true });

    const ready = await h.slack.waitFor(
      () =>
        /kubectl exec -it -n demo scratch-crash-debug-/.test(visibleText(latest(h, summary.ts))) &&
        /:white_check_mark: Running/.test(visibleText(latest(h, summary.ts)))
          ? latest(h, summary.ts)
          : undefined,
      20_000,
      'the ready clone on the parent message',
    );
    const text = visibleText(ready);
    expect(text).toMatch(/\/\.debugdead\/busybox sh/);

    const [clone] = await clonesOf(h, 'scratch-crash');
    expect(clone).toBeDefined();
    expect(clone!.metadata.ownerReferences ?? []).toEqual([]);
    expect(clone!.metadata.labels['debugdead.io/managed']).toBe('true');
    expect(clone!.metadata.labels.app).toBeUndefined();
    expect(clone!.spec.activeDeadlineSeconds).toBe(120);
    for (const c of clone!.spec.containers) {
      expect(c.livenessProbe ?? c.readinessProbe ?? c.startupProbe).toBeUndefined();
    }
    const app = clone!.status.containerStatuses.find((s: any) => s.name === 'app');
    expect(app.state.running).toBeDefined();

    // The Service of the source selects by its labels: the clone must not match it.
    const service = (await h.cluster.list('services', 'demo')).find((s) => s.metadata.name === 'scratch-crash')!;
    const selector = service.spec.selector as Record<string, string>;
    expect(Object.entries(selector).every(([k, v]) => clone!.metadata.labels[k] === v)).toBe(false);

    await eventually(
      async () => (await clonesOf(h, 'scratch-crash')).length === 0,
      20_000,
      'the clone deleted at its TTL',
    );
    const thread = await h.slack.waitFor(
      () => {
        const replies = h.slack.thread(CHANNEL, summary.ts).replies().map(visibleText);
        return replies.some((r) => /deleted by its TTL/.test(r)) ? replies : undefined;
      },
      10_000,
      'the deletion told in the thread',
    );
    expect(thread.join('\n')).toMatch(/scratch-crash-debug-\w+` was deleted by its TTL/);
    expect(h.auditEntries().map((l) => l.action)).toEqual(
      expect.arrayContaining([
        'command.received',
        'diagnosis.done',
        'button.clicked',
        'approval.granted',
        'job.queued',
        'pod.created',
        'pod.ready',
        'pod.deleted',
      ]),
    );
  });

  it('five racing clicks create exactly one pod', async () => {
    const summary = await diagnose(h, 'U0BOB0002', 'crash-exit1');
    const clicks = await Promise.all(
      ['U0ALICE01', 'U0BOB0002', 'U0CAROL03', 'U0ALICE01', 'U0BOB0002'].map((u) =>
        h.slack.user(u).click(summary, 'Create debug clone', { confirm: true }),
      ),
    );
    expect(clicks.every((c) => 'acked' in c && c.acked)).toBe(true);
    await eventually(async () => (await clonesOf(h, 'crash-exit1')).length > 0, 15_000, 'a clone');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await clonesOf(h, 'crash-exit1')).toHaveLength(1);
    const told = ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'].flatMap((u) => h.slack.ephemerals(u).map((e) => e.text));
    expect(told.filter((t) => /Already approved by/.test(t))).toHaveLength(4);
  });

  it("Extend moves the deletion and the pod's expires-at mark; Delete now deletes at once", async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'liveness');
    await h.slack.user('U0CAROL03').click(summary, 'Create debug clone', { confirm: true });
    const ready = await h.slack.waitFor(
      () => (/:white_check_mark: Running/.test(visibleText(latest(h, summary.ts))) ? latest(h, summary.ts) : undefined),
      20_000,
      'the ready clone',
    );
    const [clone] = await clonesOf(h, 'liveness');
    const before = Date.parse(clone!.metadata.annotations['debugdead.io/expires-at']);
    await h.slack.user('U0CAROL03').click(ready, 'Extend', { confirm: true });
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(CHANNEL, summary.ts)
          .replies()
          .find((m) => /extended `liveness-debug-/.test(visibleText(m))),
      10_000,
      'the extension in the thread',
    );
    const after = Date.parse((await clonesOf(h, 'liveness'))[0]!.metadata.annotations['debugdead.io/expires-at']);
    expect(after - before).toBeGreaterThanOrEqual(5000);

    // Past the original TTL the pod is still there: the delayed deletion moved with it.
    await new Promise((r) => setTimeout(r, Math.max(0, before - Date.now()) + 1500));
    expect(await clonesOf(h, 'liveness')).toHaveLength(1);

    await h.slack.user('U0CAROL03').click(latest(h, summary.ts), 'Delete now', { confirm: true });
    await eventually(async () => (await clonesOf(h, 'liveness')).length === 0, 10_000, 'the deletion');
    await h.slack.waitFor(
      () =>
        h.slack
          .thread(CHANNEL, summary.ts)
          .replies()
          .find((m) => /was deleted by .*U0CAROL03/.test(visibleText(m))),
      10_000,
      'who deleted it, in the thread',
    );
  });

  it('a declined confirm dialog sends nothing and creates nothing', async () => {
    const summary = await diagnose(h, 'U0CAROL03', 'oom');
    const result = await h.slack.user('U0CAROL03').click(summary, 'Create debug clone', { confirm: false });
    expect(result).toMatchObject({ sent: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(await clonesOf(h, 'oom')).toHaveLength(0);
  });
});
