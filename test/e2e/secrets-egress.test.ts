import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { generateSecretLines } from '../redact/generate-secrets.js';
import { buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { type SimMessage, visibleText } from '../sim/slack/index.js';
import { eventually } from '../support/e2e-steps.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';
const TAIL = 2000;
/** Every kind, twice, with its own key material: what the pod prints, passes in args and env, and dies with. */
const CORPUS = generateSecretLines(424242, 2);
const SECRETS = CORPUS.flatMap((c) => c.secrets);
const SINGLE_LINE = CORPUS.filter((c) => !c.line.includes('\n'));

describe('secrets never leave the cluster, and a cut log says so (Slack simulator and CLI, end to end)', () => {
  let h: Harness;
  let summary: SimMessage;
  let thread: SimMessage[];
  let chattyThread: SimMessage[];
  let chattySummary: SimMessage;
  let configPath: string;

  beforeAll(async () => {
    h = await startHarness({
      mode: 'http',
      configure: (c) => {
        c.logs.tailLines = TAIL;
        c.logs.limitBytes = 8 * 1024 * 1024;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'debugdead-secrets-'));
    configPath = join(dir, 'debugdead.yaml');
    writeFileSync(configPath, `logs:\n  tailLines: ${TAIL}\n  limitBytes: 8MiB\n`);

    // A key cut by the termination message (no BEGIN line), and a few secrets besides.
    const pemTail = CORPUS.find((c) => c.kind === 'context:pem-cut-no-begin')!;
    await h.cluster.addKubeletRule({
      image: 'ghcr.io/acme/leaky',
      behaviour: {
        kind: 'exit',
        exitCode: 1,
        afterSeconds: 0.5,
        logs: ['starting', ...CORPUS.map((c) => c.line), 'fatal: configuration rejected'],
        terminationMessage: `${pemTail.line}\n${SINGLE_LINE.slice(0, 5)
          .map((c) => c.line)
          .join('\n')}`,
      },
    });
    await h.cluster.addKubeletRule({
      image: 'ghcr.io/acme/chatty',
      behaviour: {
        kind: 'exit',
        exitCode: 2,
        afterSeconds: 0.5,
        logs: [...Array.from({ length: 10_000 }, (_, i) => `chatty line ${i}`), 'chatty: the last word'],
      },
    });
    const leaky = buildWorkload({
      namespace: 'demo',
      app: 'leaky',
      spec: {
        containers: [
          {
            name: 'app',
            image: 'ghcr.io/acme/leaky:1.0.0',
            command: ['/app/server'],
            args: SINGLE_LINE.slice(0, 60).map((c) => c.line),
            env: SINGLE_LINE.slice(60, 120).map((c, i) => ({ name: `SETTING_${i}`, value: c.line })),
          },
        ],
      },
      createdAt: new Date().toISOString(),
    });
    leaky.pod.metadata.ownerReferences = [];
    await h.cluster.create('pods', leaky.pod);
    const chatty = buildWorkload({
      namespace: 'demo',
      app: 'chatty',
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/chatty:1.0.0' }] },
      createdAt: new Date().toISOString(),
    });
    chatty.pod.metadata.ownerReferences = [];
    await h.cluster.create('pods', chatty.pod);
    for (const name of ['leaky', 'chatty']) {
      await eventually(
        async () =>
          ((await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === name)?.status?.containerStatuses?.[0]
            ?.restartCount ?? 0) > 0,
        20_000,
        `the ${name} pod to crash and restart`,
      );
    }
    const pod = (await h.cluster.list('pods', 'demo')).find((p) => p.metadata.name === 'leaky')!;
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const [i, c] of SINGLE_LINE.slice(120, 140).entries()) {
      await h.cluster.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `leaky.secret-${i}`, namespace: 'demo' },
        involvedObject: { kind: 'Pod', name: 'leaky', namespace: 'demo', uid: pod.metadata.uid },
        reason: 'ConfigDump',
        message: c.line,
        type: 'Warning',
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
        source: { component: 'app' },
      });
    }

    for (const name of ['leaky', 'chatty']) {
      const d = await h.slack.user('U0ALICE01').runCommand('/debugdead', `${name} demo`, { channel: CHANNEL });
      expect(d.acked).toBe(true);
    }
    const find = (name: string) =>
      h.slack.waitFor(
        () =>
          h.slack
            .channel(CHANNEL)
            .messages()
            .find((m) => m.text.startsWith(`demo/${name} `)),
        20_000,
        `the summary of ${name}`,
      );
    summary = await find('leaky');
    chattySummary = await find('chatty');
    const settled = (what: string) =>
      h.slack.waitFor(
        () => h.auditEntries().find((e) => e.action === 'diagnosis.done' && e.target?.pod === what) && true,
        20_000,
        `the diagnosis of ${what}`,
      );
    await settled('leaky');
    await settled('chatty');
    thread = h.slack.thread(CHANNEL, summary.ts).replies();
    chattyThread = h.slack.thread(CHANNEL, chattySummary.ts).replies();
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
  });

  function filesOf(ts: string): string[] {
    return h.slack
      .files()
      .filter((f) => f.shares.some((s) => s.threadTs === ts))
      .map((f) => `${f.title}\n${f.content!.toString('utf8')}`);
  }

  it(`the corpus is ${CORPUS.length} secret lines of ${new Set(CORPUS.map((c) => c.kind)).size} kinds`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(400);
    expect(new Set(CORPUS.map((c) => c.kind)).size).toBeGreaterThanOrEqual(150);
  });

  it('the whole log reached the thread as a file: the test reads what a person would', () => {
    const files = filesOf(summary.ts).join('\n');
    expect(files).toContain('fatal: configuration rejected');
    expect(files).toContain('starting');
  });

  it('no secret in the summary, its thread replies, the uploaded files or anything told to the person', () => {
    const stored = [summary, ...thread].map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`);
    const told = h.slack.ephemerals('U0ALICE01').map((e) => `${visibleText(e)}\n${JSON.stringify(e)}`);
    const everything = [...stored, ...filesOf(summary.ts), ...told].join('\n');
    const leaked = CORPUS.filter((c) => c.secrets.some((s) => everything.includes(s)));
    expect(leaked.map((c) => c.kind)).toEqual([]);
    expect(everything).toContain('[REDACTED]');
  });

  it('a log cut at the tail says so in the thread and in the file, with the kubectl line that reads the rest', () => {
    const texts = chattyThread.map(visibleText).join('\n');
    expect(texts).toContain(`last ${TAIL} lines (earlier lines not shown)`);
    expect(texts).toMatch(/kubectl logs -n demo chatty-[\w-]* -c app --previous|kubectl logs -n demo chatty -c app/);
    // The crashed instance printed all 10,001 lines; the current one may have just restarted.
    const file = filesOf(chattySummary.ts).find((f) => f.startsWith('app — previous instance')) ?? '';
    expect(file).toContain(`last ${TAIL} lines (earlier lines not shown)`);
    expect(file).toContain('chatty: the last word');
    expect(file).not.toContain('chatty line 0\n');
  });

  it.each([
    '<!channel> web\u202e-1 \u0007\u001b[31m',
    'api\u2013server -n demo',
    '<https://evil.example/x|leaky> demo',
    'leaky \u2014namespace demo',
    'x\u200b\u0000<@U0BOB0002>&',
  ])('an echo of hostile input %j reaches Slack escaped and stripped, and nothing is diagnosed', async (text) => {
    const before = h.slack.channel(CHANNEL).messages().length;
    const d = await h.slack.user('U0ALICE01').runCommand('/debugdead', text, { channel: CHANNEL });
    expect(d.acked).toBe(true);
    const reply = String(d.response?.text ?? '');
    expect(reply).toMatch(/^:warning: /);
    expect(reply).not.toMatch(
      /<!channel>|<@U0BOB0002>|<https:|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e]/,
    );
    expect(reply).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(h.slack.channel(CHANNEL).messages().length).toBe(before);
  });

  it('the CLI prints no secret, as text or as JSON, and says which logs it read in part', async () => {
    const env = { KUBECONFIG: h.config.kubernetes.kubeconfig!, DEBUGDEAD_CONFIG: configPath };
    const cwd = mkdtempSync(join(tmpdir(), 'debugdead-cli-'));
    const [text, json, chatty] = await Promise.all([
      runCli(['diagnose', 'leaky', '-n', 'demo'], { cwd, env }),
      runCli(['diagnose', 'leaky', '-n', 'demo', '--json'], { cwd, env }),
      runCli(['diagnose', 'chatty', '-n', 'demo'], { cwd, env }),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const out = `${text.stdout}\n${text.stderr}\n${json.stdout}\n${json.stderr}`;
    expect(CORPUS.filter((c) => c.secrets.some((s) => out.includes(s))).map((c) => c.kind)).toEqual([]);
    expect(JSON.parse(json.stdout).redactions).toBeGreaterThan(0);
    expect(chatty.stdout).toContain(`last ${TAIL} lines (earlier lines not shown)`);
    expect(chatty.stdout).toMatch(/the rest: kubectl logs -n demo chatty\S* -c app/);
    expect(SECRETS.length).toBeGreaterThan(400);
  }, 60_000);
});
