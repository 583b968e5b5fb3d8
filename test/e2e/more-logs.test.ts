import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../sim/kube/index.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';
const MENU = 'debugdead.more_logs';
const LINES = 1000;
const line = (i: number) => `line ${String(i).padStart(4, '0')}`;

describe('More logs from the menu on a summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // A chatty app: 1000 numbered lines per run over 30 s, then exit 1; one line holds a password.
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/chatty',
      behaviour: {
        kind: 'exit',
        exitCode: 1,
        afterSeconds: 30,
        logs: Array.from({ length: LINES }, (_, i) =>
          i === 450 ? `run {{restart}} ${line(i)} db password=hunter2` : `run {{restart}} ${line(i)}`,
        ),
      },
    });
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/setup',
      behaviour: { kind: 'exit', exitCode: 0, afterSeconds: 0.2, logs: ['setup: copying config', 'setup: done'] },
    });
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/debug-tools',
      behaviour: { kind: 'run', logs: ['debug shell ready'] },
    });
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
          .filter((m) => JSON.stringify(m.blocks ?? []).includes(`demo/${pod} —`))
          .at(-1),
      20_000,
      `the summary of ${pod}`,
    );
  };
  /**
   * The More logs line answering a pick (matched by `pattern`) and the replies after it that are logs of `container`
   * (`withLog`): then it waits for one. The bot's other replies in the thread are left out.
   */
  const answerIn = (ts: string, pattern: RegExp, withLog?: string) =>
    h.slack.waitFor(
      () => {
        const replies = h.slack.thread(CHANNEL, ts).replies();
        const at = replies.findLastIndex((m) => pattern.test(visibleText(m)));
        if (at < 0) return undefined;
        const logs = replies.slice(at + 1).filter((m) => / — (current|previous) instance/.test(visibleText(m)));
        const mine = logs.filter((m) => visibleText(m).includes(`${withLog} — `));
        return withLog === undefined || mine.length ? [replies[at]!, ...mine] : undefined;
      },
      20_000,
      `the answer ${pattern}`,
    );
  /** The content of the files shared in the thread that were not there before (`known`: their ids then). */
  const newFiles = (ts: string, known: Set<string>) =>
    h.slack.waitFor(
      () => {
        const files = h.slack
          .files()
          .filter((f) => !known.has(f.id) && f.completed && f.shares.some((s) => s.threadTs === ts));
        return files.length ? files.map((f) => f.content?.toString('utf8') ?? '').join('\n') : undefined;
      },
      10_000,
      'the log file',
    );
  const fileIds = () => new Set(h.slack.files().map((f) => f.id));
  /** The simulated cluster's clock (the harness' is a ManualClock that follows real time until moved ahead). */
  const clock = () => h.kube.clock as ManualClock;
  const appStatus = () =>
    h.kube.store
      .peek('pods', 'demo', 'chatty')
      ?.status?.containerStatuses?.find((s: { name: string }) => s.name === 'app');

  it('another container of a multi-container pod: the last hour of its current instance, redacted', async () => {
    const summary = await summaryOf('multi');
    await h.slack.user('U0BOB0002').choose(summary, MENU, 'Last 1 h · current instance', { group: 'log-shipper' });
    const posted = await answerIn(summary.ts, /More logs of `log-shipper`/, 'log-shipper');
    const text = posted.map(visibleText).join('\n');
    expect(text).toMatch(
      /More logs of `log-shipper`, current instance \(restart 0\), for <@U0BOB0002>: the last 1 h: 2 lines\./,
    );
    expect(text).toContain('Fluent Bit v3.1.9');
    const audited = await h.slack.waitFor(
      () =>
        h.auditEntries().find((e) => e.action === 'button.clicked' && /more logs: log-shipper/.test(e.detail ?? '')),
      5_000,
      'the audit record',
    );
    expect(audited).toMatchObject({
      result: 'ok',
      actor: { id: 'U0BOB0002' },
      detail: 'more logs: log-shipper, last 1 h of the current instance (restart 0): 2 lines',
    });
  });

  describe('a crash-looping container with a long log, an init container and a debug container', () => {
    let summary: SimMessage;
    let restart: number;

    beforeAll(async () => {
      const w = buildWorkload({
        namespace: 'demo',
        app: 'chatty',
        spec: {
          initContainers: [{ name: 'setup', image: 'ghcr.io/acme/setup:1.0.0' }],
          containers: [{ name: 'app', image: 'ghcr.io/acme/chatty:1.0.0', resources: { limits: { memory: '64Mi' } } }],
        },
        createdAt: new Date().toISOString(),
      });
      w.pod.metadata.ownerReferences = [];
      h.kube.store.create('pods', w.pod);
      // Twelve simulated minutes at once: the kubelet's back-off has grown to its 5 min cap. The simulated clock is
      // then ahead of the real one, so the pod stays as it is until the test moves the clock again.
      clock().advance(12 * 60_000);
      const pod = h.kube.store.peek('pods', 'demo', 'chatty')!;
      h.kube.store.update('pods', {
        ...pod,
        spec: { ...pod.spec, ephemeralContainers: [{ name: 'debugger', image: 'ghcr.io/acme/debug-tools:1.0.0' }] },
      });
      const debuggerRuns = () =>
        h.kube.store.peek('pods', 'demo', 'chatty')?.status?.ephemeralContainerStatuses?.[0]?.state?.running;
      for (let i = 0; i < 60 && !(debuggerRuns() && appStatus()?.state?.waiting?.reason === 'CrashLoopBackOff'); i++) {
        clock().advance(1_000);
      }
      expect(debuggerRuns()).toBeTruthy();
      expect(appStatus()?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      restart = appStatus()!.restartCount;
      summary = await summaryOf('chatty');
      // The thread's own log of app (its last 200 lines, as a file) is posted before any pick.
      await newFiles(summary.ts, new Set());
    });

    it('offers, per container, only what the thread did not show', () => {
      const menu = (summary.blocks ?? [])
        .flatMap((b: any) => b.elements ?? [])
        .find((e: any) => e.action_id === MENU) as any;
      expect(menu.type).toBe('static_select');
      expect(
        Object.fromEntries(menu.option_groups.map((g: any) => [g.label.text, g.options.map((o: any) => o.text.text)])),
      ).toEqual({
        'app · failing': [
          'Older 500 lines · previous instance',
          'Last 1 h · previous instance',
          'Last 6 h · previous instance',
          'Newest instance',
        ],
        'setup · init container': [
          'Older 500 lines · current instance',
          'Last 1 h · current instance',
          'Last 6 h · current instance',
        ],
        'debugger · debug container': ['Last 1 h · current instance', 'Last 6 h · current instance', 'Newest instance'],
      });
    });

    it('older lines: exactly the 500 before the 200 the thread showed, redacted, with how to read earlier ones', async () => {
      const known = fileIds();
      await h.slack
        .user('U0BOB0002')
        .choose(summary, MENU, 'Older 500 lines · previous instance', { group: 'app · failing' });
      const posted = await answerIn(summary.ts, /More logs of `app`, previous instance/, 'app');
      expect(visibleText(posted[0]!)).toBe(
        `:mag: More logs of \`app\`, previous instance (restart ${restart}), for <@U0BOB0002>: the 500 lines before the last 200 the thread showed. Earlier lines: \`kubectl logs -n demo chatty -c app --previous --tail=1200\`.`,
      );
      const log = await newFiles(summary.ts, known);
      const lines = log.split('\n').filter((l) => /line \d{4}/.test(l));
      expect(lines).toHaveLength(500);
      expect(lines[0]).toMatch(new RegExp(`run ${restart} ${line(300)}$`));
      expect(lines.at(-1)).toMatch(new RegExp(`run ${restart} ${line(799)}$`));
      expect(log).toContain(line(450));
      expect(log).not.toContain('hunter2');
      expect(
        await h.slack.waitFor(
          () => h.auditEntries().find((e) => e.action === 'button.clicked' && /older 500/.test(e.detail ?? '')),
          5_000,
          'the audit record',
        ),
      ).toMatchObject({
        result: 'ok',
        actor: { id: 'U0BOB0002' },
        detail: `more logs: app, older 500 lines of the previous instance (restart ${restart}): 500 lines`,
      });
    });

    it('the newest instance while it waits in back-off: says there is none yet instead of reposting the crash', async () => {
      await h.slack.user('U0ALICE01').choose(summary, MENU, 'Newest instance', { group: 'app · failing' });
      const [answer, ...after] = await answerIn(summary.ts, /More logs of `app`, for <@U0ALICE01>/);
      expect(visibleText(answer!)).toMatch(
        new RegExp(
          `no newer instance yet: the container is waiting in back-off \\(CrashLoopBackOff\\), next start (in about \\d+ (s|min)|any moment now); the thread already shows its last run \\(restart ${restart}\\)\\.$`,
        ),
      );
      expect(after).toEqual([]);
    });

    it('the newest instance once it restarted and runs: its own lines', async () => {
      // The back-off ends 5 min after the last crash: the kubelet starts the next instance then.
      for (let i = 0; i < 400 && !appStatus()?.state?.running; i++) clock().advance(1_000);
      expect(appStatus()!.restartCount).toBe(restart + 1);
      await h.slack.user('U0ALICE01').choose(summary, MENU, 'Newest instance', { group: 'app · failing' });
      const posted = await answerIn(summary.ts, /More logs of `app`, newest instance/, 'app');
      const text = posted.map(visibleText).join('\n');
      expect(visibleText(posted[0]!)).toMatch(
        new RegExp(`newest instance \\(restart ${restart + 1}\\), for <@U0ALICE01>: \\d+ lines?; it is running\\.$`),
      );
      expect(text).toMatch(/app — current instance \(running\)/);
      expect(text).toMatch(new RegExp(`run ${restart + 1} line \\d{4}`));
      expect(text).not.toMatch(new RegExp(`run ${restart} line`));
    });

    it('older lines once the instance the thread showed is gone: says so', async () => {
      // The restarted instance crashes too; the kubelet now keeps that one as "previous".
      clock().advance(31_000);
      await h.slack.waitFor(
        () => (appStatus()?.lastState?.terminated && appStatus()?.state?.waiting ? true : undefined),
        5_000,
        'the second crash',
      );
      await h.slack
        .user('U0BOB0002')
        .choose(summary, MENU, 'Older 500 lines · previous instance', { group: 'app · failing' });
      const [answer, ...after] = await answerIn(summary.ts, /the instance the thread showed/);
      expect(visibleText(answer!)).toBe(
        `:hourglass: More logs of \`app\`, for <@U0BOB0002>: the instance the thread showed (restart ${restart}) is gone: the container restarted since (restart ${restart + 1} now), and the kubelet keeps only the last ended instance. Run \`/debugdead\` again for the newest.`,
      );
      expect(after).toEqual([]);
    });

    it('an init container: the thread showed its whole log, and the last hour holds it', async () => {
      await h.slack.user('U0BOB0002').choose(summary, MENU, 'Older 500 lines · current instance', {
        group: 'setup · init container',
      });
      const [older] = await answerIn(summary.ts, /More logs of `setup`/);
      expect(visibleText(older!)).toBe(
        ':mag: More logs of `setup`, current instance (restart 0), for <@U0BOB0002>: nothing before the lines the thread showed; it showed the whole log.',
      );
      await h.slack.user('U0BOB0002').choose(summary, MENU, 'Last 1 h · current instance', {
        group: 'setup · init container',
      });
      const posted = await answerIn(
        summary.ts,
        /More logs of `setup`, current instance \(restart 0\), for <@U0BOB0002>: the last 1 h/,
        'setup',
      );
      expect(posted.map(visibleText).join('\n')).toContain('setup: done');
    });

    it('a debug container the thread never showed: its log', async () => {
      await h.slack.user('U0BOB0002').choose(summary, MENU, 'Newest instance', { group: 'debugger · debug container' });
      const posted = await answerIn(summary.ts, /More logs of `debugger`, newest instance/, 'debugger');
      expect(posted.map(visibleText).join('\n')).toContain('debug shell ready');
    });
  });
  it('a channel no longer bound to the namespace: refused to the clicker, nothing posted, audited', async () => {
    const summary = await summaryOf('oom');
    const before = h.slack.thread(CHANNEL, summary.ts).replies().length;
    h.config.bindings = [{ channels: ['C0GENERAL'], namespaces: ['demo'] }];
    try {
      await h.slack
        .user('U0CAROL03')
        .choose(summary, MENU, 'Older 500 lines · previous instance', { group: 'worker · failing' });
      await h.slack.waitFor(
        () => h.slack.ephemerals('U0CAROL03').find((e) => /may not read these logs from here/.test(e.text)),
        10_000,
        'the refusal',
      );
      const audited = await h.slack.waitFor(
        () => h.auditEntries().find((e) => e.actor?.id === 'U0CAROL03' && e.action === 'button.clicked'),
        5_000,
        'the refusal audited',
      );
      expect(audited).toMatchObject({ result: 'denied', detail: 'more logs of worker: channel not bound' });
      expect(
        h.slack
          .thread(CHANNEL, summary.ts)
          .replies()
          .slice(before)
          .filter((m) => /More logs/.test(visibleText(m))),
      ).toEqual([]);
    } finally {
      h.config.bindings = [];
    }
  });
});
