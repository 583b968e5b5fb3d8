import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POD_NAMES, DEFAULT_RULES } from '../sim/kube/scenarios/default-scenario.js';
import { type Delivery, type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';

/**
 * Logs longer than this many lines go to a file with their tail inline. The default (20) fits every scenario log in
 * a message; 8 makes the longest ones (crash-exit1, scratch-crash, multi's app) take the file path too.
 */
const INLINE_LINES = 8;

/**
 * The raw secrets the scenario's logs carry (test/sim/kube/scenarios/default-scenario.ts): `password=…`, passwords
 * in URLs and `Authorization: Bearer …` tokens, read from the rules so a new one is covered too.
 */
const RAW_SECRETS = [
  ...new Set(
    DEFAULT_RULES.flatMap((r) => ('logs' in r.behaviour ? (r.behaviour.logs ?? []) : []))
      .map((l) => (typeof l === 'string' ? l : l.text))
      .flatMap((line) =>
        [...line.matchAll(/[Bb]earer ([\w.-]+)|password=(\w+)|:\/\/[^:/\s]+:([^@\s]+)@/g)].map(
          (m) => m[1] ?? m[2] ?? m[3],
        ),
      )
      .filter((x): x is string => x !== undefined)
      // A JWT leaks by any of its parts.
      .flatMap((x) => [x, ...x.split('.').filter((part) => part.length >= 8)]),
  ),
];

/** What a person reading the channel should see for one scenario pod. */
interface Scenario {
  pod: (typeof DEFAULT_POD_NAMES)[number];
  /** The title of the test: what the summary tells. */
  tells: string;
  /** The whole verdict line of the parent message. */
  verdict: RegExp;
  /** The top finding, its evidence and recommendation, as read in the parent message. */
  finding: RegExp[];
  /** The pod is on a node, so a node shell can be offered. */
  nodeShell: boolean;
  /** Why no clone is offered (a clone would fail as the pod does), as the message says; undefined when one is. */
  noClone?: RegExp;
  /** The "Attach debug container" button, where a container runs to target; undefined when none does. */
  attach?: string;
  /** Something the events table must show. */
  event: RegExp;
  /** The label of each log reply, in order ('current'/'previous' instance of each container). */
  logs: string[];
  /** Log replies uploaded as files, by file name. */
  files: string[];
  /** The redaction note. */
  secrets: RegExp;
}

const NONE_REDACTED = /:lock: no secrets found in logs and events/;

const SCENARIOS: Scenario[] = [
  {
    pod: 'crash-exit1',
    tells: 'exit 1 with the error lines of the crashed instance, and three secrets removed',
    verdict: /^demo\/crash-exit1 — CrashLoopBackOff, exit 1 \(\d+ restarts\)$/m,
    finding: [
      /app crashes with exit 1 after \d+s: Error: connect ECONNREFUSED 10\.96\.14\.7:5432/,
      /general application error/,
      /\*Next step:\* Read the error lines above.*debug clone/,
    ],
    nodeShell: true,
    event: /Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container app/,
    logs: ['app — previous instance (exit 1)'],
    files: ['crash-exit1_app_previous.log'],
    secrets: /:lock: 3 secrets redacted from logs and events/,
  },
  {
    pod: 'oom',
    tells: 'OOMKilled at its 512Mi memory limit, with the heap setting that exceeds it',
    verdict: /^demo\/oom — CrashLoopBackOff, OOMKilled exit 137 \(\d+ restarts\)$/m,
    finding: [
      /worker was OOMKilled after \d+s \(limit 512Mi\)/,
      /memory limit: 512Mi/,
      /-Xmx1g \(JAVA_TOOL_OPTIONS\) lets the heap grow past the 512Mi limit/,
    ],
    nodeShell: true,
    event: /Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container worker/,
    logs: ['worker — previous instance (exit 137)'],
    files: [],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'liveness',
    tells: 'killed by its failing liveness probe, and recommends a clone without probes',
    verdict: /^demo\/liveness — CrashLoopBackOff, exit 137, failing liveness probe \(\d+ restarts\)$/m,
    finding: [
      /app is killed by its failing liveness probe/,
      /Liveness probe failed: HTTP probe failed with statuscode: 503/,
      /liveness: http-get http:\/\/:8080\/healthz/,
      /clone without probes/,
    ],
    nodeShell: true,
    event: /Warning\s+Unhealthy\s+\d+\s+\S+\s+Liveness probe failed/,
    logs: ['app — previous instance (exit 137)'],
    files: [],
    secrets: /:lock: 1 secret redacted from logs and events/,
  },
  {
    pod: 'imagepull',
    tells: 'the image and tag that cannot be pulled, and the pull secrets',
    verdict:
      /^demo\/imagepull — ImagePullBackOff, cannot pull image ghcr\.io\/acme\/notifier:4\.0\.0-typo for app: the image or tag was not found$/m,
    finding: [
      /registry: ghcr\.io, repository: acme\/notifier, tag: 4\.0\.0-typo/,
      /imagePullSecrets: none/,
      /Check that acme\/notifier:4\.0\.0-typo exists in ghcr\.io/,
    ],
    nodeShell: true,
    noClone:
      /No debug clone of app: a clone uses the same image, and app's image ghcr\.io\/acme\/notifier:4\.0\.0-typo cannot be pulled/,
    event: /Warning\s+Failed\s+\d+\s+\S+\s+Failed to pull image "ghcr\.io\/acme\/notifier:4\.0\.0-typo"/,
    logs: [],
    files: [],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'configerr',
    tells: 'the missing ConfigMap and the command that creates it',
    verdict:
      /^demo\/configerr — CreateContainerConfigError, app cannot start: ConfigMap "billing-config" not found in demo$/m,
    finding: [/env BILLING_MODE ← billing-config\[mode\]/, /kubectl create configmap billing-config -n demo/],
    nodeShell: true,
    noClone: /No debug clone of app: app refers to ConfigMap billing-config, which does not exist in demo/,
    event: /Warning\s+Failed\s+\d+\s+\S+\s+Error: configmap "billing-config" not found/,
    logs: [],
    files: [],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'pending',
    tells: "the scheduler's reason and the requests no node can hold, with no node shell",
    verdict: /^demo\/pending — Pending, not scheduled: 0\/3 nodes are available: 3 Insufficient memory\.$/m,
    finding: [
      /PodScheduled=False \(Unschedulable\): 0\/3 nodes are available: 3 Insufficient memory\./,
      /trainer requests cpu=2, memory=64Gi/,
      /lower the resource requests, free capacity, or add nodes/,
    ],
    nodeShell: false,
    event: /Warning\s+FailedScheduling\s+\d+\s+\S+\s+0\/3 nodes are available/,
    logs: [],
    files: [],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'init-crash',
    tells: 'the init container migrate and the migration that fails',
    verdict: /^demo\/init-crash — Init:CrashLoopBackOff, exit 1 in init container migrate \(\d+ restarts\)$/m,
    finding: [
      /init container migrate fails with exit 1 after \d+s, so the app containers never start/,
      /migration 0042_add_orders_customer_index failed/,
      /Fix what migrate needs/,
    ],
    nodeShell: true,
    event: /Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container migrate/,
    logs: ['migrate — previous instance (exit 1)'],
    files: [],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'scratch-crash',
    tells: 'exit 2 with the Go panic of the crashed instance',
    verdict: /^demo\/scratch-crash — CrashLoopBackOff, exit 2 \(\d+ restarts\)$/m,
    finding: [/app crashes with exit 2 after \d+s: panic: runtime error: invalid memory address or nil pointer/],
    nodeShell: true,
    event: /Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container app/,
    logs: ['app — previous instance (exit 2)'],
    files: ['scratch-crash_app_previous.log'],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'multi',
    tells: 'which of three containers crashes, with the logs of all three',
    attach: 'Attach debug container: web',
    verdict: /^demo\/multi — CrashLoopBackOff, exit 1 in app \(\d+ restarts\)$/m,
    finding: [/app crashes with exit 1 after \d+s: KeyError: 'STRIPE_API_KEY'/, /\*Last exit \(app\)\*/],
    nodeShell: true,
    event: /Warning\s+BackOff\s+\d+\s+\S+\s+Back-off restarting failed container app/,
    logs: [
      'web — current instance (running)',
      'app — previous instance (exit 1)',
      'log-shipper — current instance (running)',
    ],
    files: ['multi_app_previous.log'],
    secrets: NONE_REDACTED,
  },
  {
    pod: 'healthy',
    tells: 'healthy, and still renders the evidence',
    attach: 'Attach debug container',
    verdict: /^demo\/healthy — Running, healthy$/m,
    finding: [/healthy: its container is running and ready/, /Nothing looks wrong/],
    nodeShell: true,
    event: /Normal\s+Started\s+1\s+\S+\s+Started container app/,
    logs: ['app — current instance (running)'],
    files: [],
    secrets: NONE_REDACTED,
  },
];

interface Button {
  label: string;
  confirm: boolean;
}

function buttonsOf(msg: SimMessage): Button[] {
  const found: Button[] = [];
  for (const b of (msg.blocks ?? []) as { type?: string; elements?: any[]; accessory?: any }[]) {
    const els = b.type === 'actions' ? (b.elements ?? []) : b.accessory ? [b.accessory] : [];
    for (const el of els)
      if (el.type === 'button') found.push({ label: el.text.text, confirm: el.confirm !== undefined });
  }
  return found;
}

/** Everything anyone can read in the workspace: messages, threads, ephemerals and uploaded files. */
function everythingReadable(h: Harness): string {
  const messages = h.slack.channel(CHANNEL).messages();
  const replies = messages.flatMap((m) => h.slack.thread(CHANNEL, m.ts).replies());
  return [
    ...[...messages, ...replies].map((m) => `${m.text}\n${visibleText(m)}`),
    ...['U0ALICE01', 'U0BOB0002', 'U0CAROL03'].flatMap((u) =>
      h.slack.ephemerals(u).map((e) => `${e.text}\n${visibleText(e)}`),
    ),
    ...h.slack.files().map((f) => `${f.title}\n${f.content?.toString('utf8') ?? ''}`),
  ].join('\n');
}

it('the table covers every pod of the default scenario, whose logs carry secrets to redact', () => {
  expect(SCENARIOS.map((s) => s.pod).sort()).toEqual([...DEFAULT_POD_NAMES].sort());
  expect(RAW_SECRETS).toEqual(expect.arrayContaining(['hunter2', expect.stringMatching(/^eyJ/)]));
});

describe.each(['socket', 'http'] as const)('/debugdead on each scenario pod over %s mode', (mode) => {
  let h: Harness;
  const deliveries = new Map<string, Delivery>();

  beforeAll(async () => {
    h = await startHarness({
      mode,
      configure: (c) => {
        c.logs.inlineLines = INLINE_LINES;
      },
    });
    // All ten at once, as in a bad incident: each command still gets its own summary and thread.
    const users = ['U0ALICE01', 'U0BOB0002', 'U0CAROL03'];
    await Promise.all(
      SCENARIOS.map(async (s, i) => {
        const d = await h.slack
          .user(users[i % users.length]!)
          .runCommand('/debugdead', `${s.pod} demo`, { channel: CHANNEL });
        deliveries.set(s.pod, d);
      }),
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The parent message once the whole diagnosis (summary and thread) is done, as the audit record marks it. */
  async function finished(pod: string): Promise<{ summary: SimMessage; replies: SimMessage[] }> {
    await h.slack.waitFor(
      () => h.auditEntries().find((e) => e.action === 'diagnosis.done' && e.target?.pod === pod),
      20_000,
      `the diagnosis of ${pod} to finish`,
    );
    const summary = h.slack
      .channel(CHANNEL)
      .messages()
      .find((m) => m.text.startsWith(`demo/${pod} `));
    expect(summary, `a summary of ${pod} in the channel`).toBeDefined();
    return { summary: summary!, replies: h.slack.thread(CHANNEL, summary!.ts).replies() };
  }

  it.each(SCENARIOS)('$pod: acks at once; the summary tells $tells; the thread holds the evidence', async (s) => {
    const delivery = deliveries.get(s.pod)!;
    expect(delivery.acked).toBe(true);
    expect(delivery.timedOut).toBe(false);
    expect(delivery.ackLatencyMs).toBeLessThan(1000);
    expect(String(delivery.response?.text)).toContain(`Diagnosing \`demo/${s.pod}\``);

    const { summary, replies } = await finished(s.pod);
    const seen = visibleText(summary);

    // The verdict line, the top finding, its evidence and next step, the redaction note.
    expect(seen.split('\n')[0]).toMatch(s.verdict);
    for (const f of s.finding) expect(seen).toMatch(f);
    expect(seen).toMatch(s.secrets);

    // Buttons: a clone unless it would fail as the pod does (then the reason); a debug container where a container
    // runs; a node shell only where the pod has a node. All ask for confirmation.
    const buttons = buttonsOf(summary);
    const clone = s.noClone ? [] : ['Create debug clone'];
    const attach = s.attach ? [s.attach] : [];
    expect(buttons.map((b) => b.label)).toEqual(
      s.nodeShell ? [...clone, ...attach, 'Open node shell'] : [...clone, ...attach],
    );
    if (s.noClone) expect(seen).toMatch(s.noClone);
    expect(buttons.every((b) => b.confirm)).toBe(true);

    // The thread: describe summary, events table, then each container's logs in order.
    const texts = replies.map(visibleText);
    expect(texts[0]).toContain(`*Describe* demo/${s.pod}`);
    expect(texts[1]).toMatch(/:calendar: \*Events\*/);
    expect(texts[1]).toMatch(/TYPE\s+REASON\s+COUNT\s+AGE\s+MESSAGE/);
    expect(texts[1]).toMatch(s.event);
    const logReplies = texts.slice(2);
    if (s.logs.length === 0) {
      expect(logReplies).toEqual([':scroll: *Logs*: none were fetched for this pod']);
    } else {
      expect(logReplies).toHaveLength(s.logs.length);
      for (const [i, label] of s.logs.entries()) expect(logReplies[i]).toContain(`*${label}*`);
    }

    // Logs too long for a message: the file is shared in this thread, its last lines inline.
    const files = h.slack
      .files()
      .filter((f) => f.shares.some((sh) => sh.threadTs === summary.ts || sh.ts === summary.ts));
    expect(files.map((f) => f.name).sort()).toEqual([...s.files].sort());
    for (const f of files) {
      expect(f.completed).toBe(true);
      const lines = f.content!.toString('utf8').split('\n');
      expect(lines.length).toBeGreaterThan(INLINE_LINES);
      const reply = logReplies.find((t) => t.includes(`*${f.title}*: full log attached (${lines.length} lines)`));
      expect(reply, `the comment on ${f.name}`).toBeDefined();
      expect(reply).toContain(`the last ${INLINE_LINES}:`);
      expect(reply).toContain(lines.at(-1)!.slice(0, 60));
    }

    // Secrets never leave the cluster: not in the summary, the thread, nor the uploaded files.
    const all = [
      seen,
      summary.text,
      ...texts,
      ...replies.map((r) => r.text),
      ...files.map((f) => f.content!.toString('utf8')),
    ].join('\n');
    for (const secret of RAW_SECRETS) expect(all).not.toContain(secret);
  });

  it('the crash-exit1 log still reads well with its secrets replaced, in the uploaded file', async () => {
    const { summary } = await finished('crash-exit1');
    const file = h.slack.files().find((f) => f.shares.some((sh) => sh.threadTs === summary.ts))!;
    const log = file.content!.toString('utf8');
    expect(log).toContain('user=checkout password=[REDACTED] sslmode=require');
    expect(log).toContain('"authorization":"Bearer [REDACTED]"');
    expect(log).toContain('postgres://checkout:[REDACTED]@postgres.demo.svc:5432/checkout');
    expect(log).toContain('Error: connect ECONNREFUSED 10.96.14.7:5432');
  });

  it('no raw secret appears anywhere anyone can read, and every command was audited', async () => {
    for (const s of SCENARIOS) await finished(s.pod);
    const readable = everythingReadable(h);
    for (const secret of RAW_SECRETS) expect(readable).not.toContain(secret);
    const audited = h.auditEntries();
    for (const s of SCENARIOS) {
      expect(audited.some((e) => e.action === 'command.received' && e.target?.pod === s.pod && e.result === 'ok')).toBe(
        true,
      );
    }
    // One summary per command: nothing doubled by concurrent work.
    const summaries = h.slack
      .channel(CHANNEL)
      .messages()
      .filter((m) => / — /.test(m.text.split('\n')[0] ?? ''));
    expect(summaries).toHaveLength(SCENARIOS.length);
  });
  // After the table (which counts one summary per pod): the other spellings of the same command.
  it.each([
    { text: 'demo/oom', pod: 'oom', logs: ['worker — previous instance'] },
    { text: 'oom -n demo', pod: 'oom', logs: ['worker — previous instance'] },
    { text: '--namespace=demo oom', pod: 'oom', logs: ['worker — previous instance'] },
    { text: 'multi -n demo -c web', pod: 'multi', logs: ['web — current instance'] },
  ])('"/debugdead $text" diagnoses demo/$pod, with logs of $logs', async ({ text, pod, logs }) => {
    const before = h.auditEntries().filter((e) => e.action === 'diagnosis.done' && e.target?.pod === pod).length;
    const d = await h.slack.user('U0CAROL03').runCommand('/debugdead', text, { channel: CHANNEL });
    expect(d.ackLatencyMs).toBeLessThan(1000);
    await h.slack.waitFor(
      () =>
        h.auditEntries().filter((e) => e.action === 'diagnosis.done' && e.target?.pod === pod).length > before ||
        undefined,
      10_000,
      'the diagnosis',
    );
    const summary = h.slack
      .channel(CHANNEL)
      .messages()
      .filter((m) => m.text.startsWith(`demo/${pod} `))
      .at(-1)!;
    const logReplies = h.slack
      .thread(CHANNEL, summary.ts)
      .replies()
      .map(visibleText)
      .filter((t) => t.startsWith(':scroll:'));
    expect(logReplies.map((t) => /^:scroll: \*(.+? — \w+ instance)/.exec(t)?.[1])).toEqual(logs);
  });
});
