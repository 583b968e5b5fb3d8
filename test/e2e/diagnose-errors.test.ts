import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_SAMPLES } from '../redact/secret-corpus.js';
import { buildNamespace, buildWorkload } from '../sim/kube/scenarios/build-objects.js';
import { DEFAULT_APPS } from '../sim/kube/scenarios/default-scenario.js';
import { type Delivery, type SimEphemeral, type SimMessage, visibleText } from '../sim/slack/index.js';
import { type Harness, startHarness } from '../support/harness.js';

const CHANNEL = 'C0INCIDENT';
const USAGE_HEAD = '*Usage*\n`/debugdead <pod> [namespace]`';

describe('errors a person can act on, over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      mode: 'http',
      configure: (c) => {
        c.kubernetes.requestTimeoutSeconds = 1;
        c.namespaces.deny = ['kube-system', 'payments-*'];
        c.approvers = { users: ['U0BOB0002'], groups: [] };
      },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function run(user: string, text: string, channel = CHANNEL): Promise<Delivery> {
    const d = await h.slack.user(user).runCommand('/debugdead', text, { channel });
    expect(d.acked, `the ack of "${text}"`).toBe(true);
    expect(d.ackLatencyMs).toBeLessThan(1000);
    return d;
  }

  /** The first ephemeral `user` sees that matches `what`: what the person reads. */
  function told(user: string, what: RegExp, timeoutMs = 10_000): Promise<SimEphemeral> {
    return h.slack.waitFor(
      () => h.slack.ephemerals(user).find((e) => what.test(visibleText(e))),
      timeoutMs,
      `an answer to ${user} matching ${what}`,
    );
  }

  function summaryOf(pod: string, channel = CHANNEL): Promise<SimMessage> {
    return h.slack.waitFor(
      () =>
        h.slack
          .channel(channel)
          .messages()
          .find((m) => m.text.startsWith(`demo/${pod} `)),
      10_000,
      `the summary of ${pod}`,
    );
  }

  const posted = (pod: string) =>
    h.slack
      .channel(CHANNEL)
      .messages()
      .filter((m) => m.text.startsWith(`demo/${pod} `));

  /** Resolves once the audit log holds an entry matching `match`, and returns it. */
  function audited(match: (e: Record<string, any>) => boolean, what: string): Promise<Record<string, any>> {
    return h.slack.waitFor(() => h.auditEntries().find(match), 10_000, what);
  }

  it('-c naming a container the pod does not have lists the containers it has, and nothing is posted', async () => {
    const before = posted('multi').length;
    await run('U0ALICE01', 'multi demo -c nope');
    const answer = visibleText(await told('U0ALICE01', /has no container/));
    expect(answer).toBe(
      ':mag: Pod `demo/multi` has no container `nope`; its containers are `web`, `app`, `log-shipper`. Run the command again with one of them after `-c`, or without `-c`.',
    );
    expect(posted('multi')).toHaveLength(before);
  });

  it('a typo in the pod name suggests the closest names in that namespace', async () => {
    await run('U0ALICE01', 'crash-exit demo');
    const answer = visibleText(await told('U0ALICE01', /No pod `crash-exit` in namespace `demo`/));
    expect(answer).toContain('Did you mean `crash-exit1`?');
    expect(posted('crash-exit')).toEqual([]);
    const entry = await audited((e) => e.action === 'error' && e.target?.pod === 'crash-exit', 'the audit record');
    expect(entry).toMatchObject({ actor: { type: 'user', id: 'U0ALICE01' }, result: 'error' });
    expect(entry.detail).toMatch(/^NotFound/);
  });

  it('a pod that exists only in another namespace is pointed to, with the command to run', async () => {
    h.kube.store.create('namespaces', buildNamespace('shop'));
    const w = buildWorkload({
      namespace: 'shop',
      app: 'storefront-7d9',
      spec: DEFAULT_APPS.healthy,
      createdAt: new Date().toISOString(),
    });
    h.kube.store.create('pods', w.pod);
    await run('U0ALICE01', 'storefront-7d9');
    const answer = visibleText(await told('U0ALICE01', /No pod `storefront-7d9` in namespace `demo`/));
    expect(answer).toContain('A pod named `storefront-7d9` exists in `shop`: try `/debugdead storefront-7d9 shop`.');
  });

  it('a namespace denied by policy says so and names the config key to change', async () => {
    await run('U0CAROL03', 'api-0 payments-prod');
    const answer = visibleText(await told('U0CAROL03', /Namespace `payments-prod` is not allowed/));
    expect(answer).toContain('namespaces.deny (`payments-*`)');
    expect(answer).toMatch(/`namespaces\.allow`/);
    const entry = await audited((e) => e.target?.namespace === 'payments-prod' && e.result === 'denied', 'the refusal');
    expect(entry.detail).toMatch(/namespaces\.deny/);
    // Nothing about the namespace reached the channel.
    expect(
      h.slack
        .channel(CHANNEL)
        .messages()
        .some((m) => m.text.includes('payments-prod')),
    ).toBe(false);
  });

  it("the bot's ServiceAccount lacking get on pods names the verb, the resource and the RBAC file", async () => {
    const undo = h.kube.rbac.deny({ verb: 'get', resource: 'pods', namespace: 'demo' });
    try {
      await run('U0ALICE01', 'oom demo');
      const answer = visibleText(await told('U0ALICE01', /403 Forbidden/));
      expect(answer).toContain(
        "The bot's ServiceAccount `system:serviceaccount:debugdead:debugdead` may not `get` `pods` in namespace `demo`",
      );
      expect(answer).toContain('Grant it in `deploy/base/rbac.yaml` (verb `get` on `pods`)');
      expect(posted('oom')).toEqual([]);
      await audited((e) => e.action === 'error' && e.target?.pod === 'oom' && /^Forbidden/.test(e.detail), 'audit');
    } finally {
      undo();
    }
  });

  it('pods/log denied: the summary still arrives and says which evidence is missing and why', async () => {
    const undo = h.kube.rbac.deny({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'demo' });
    try {
      await run('U0ALICE01', 'crash-exit1 demo');
      const summary = await summaryOf('crash-exit1');
      const seen = visibleText(summary);
      expect(seen.split('\n')[0]).toMatch(/^demo\/crash-exit1 — CrashLoopBackOff, exit 1 \(\d+ restarts\)$/);
      expect(seen).toContain(':warning: Missing evidence: logs of app (Forbidden), logs of app (previous) (Forbidden)');
      expect(seen).toContain('Create debug clone');
      await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === 'crash-exit1', 'the finished diagnosis');
      const thread = h.slack.thread(CHANNEL, summary.ts).replies().map(visibleText).join('\n');
      expect(thread).toMatch(/\*Missing evidence\*/);
      expect(thread).toMatch(/logs of app: Forbidden — .*cannot get resource "pods\/log"/);
      // The evidence that could be read is all there.
      expect(thread).toMatch(/\*Describe\* demo\/crash-exit1/);
      expect(thread).toMatch(/:calendar: \*Events\*/);
    } finally {
      undo();
    }
  });

  it('an API that answers slower than the timeout gets a clear answer naming the setting to raise', async () => {
    const undo = h.kube.faults.latency(1500);
    try {
      const t0 = Date.now();
      await run('U0BOB0002', 'liveness demo');
      const answer = visibleText(await told('U0BOB0002', /did not answer/));
      expect(answer).toContain(
        ':hourglass: The Kubernetes API did not answer within 1s while reading pod demo/liveness.',
      );
      expect(answer).toContain('`kubernetes.requestTimeout`');
      // The person is not kept waiting much past the timeout.
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(posted('liveness')).toEqual([]);
      await audited((e) => e.action === 'error' && e.target?.pod === 'liveness' && /^Timeout/.test(e.detail), 'audit');
    } finally {
      undo();
    }
  });

  it('when only the log reads time out, a partial summary arrives and says the logs timed out', async () => {
    const undo = h.kube.faults.latency(1500, { subresource: 'log' });
    try {
      await run('U0BOB0002', 'init-crash demo');
      const summary = await summaryOf('init-crash');
      const seen = visibleText(summary);
      expect(seen.split('\n')[0]).toMatch(
        /^demo\/init-crash — Init:CrashLoopBackOff, exit 1 in init container migrate \(\d+ restarts\)$/,
      );
      expect(seen).toContain(':warning: Missing evidence: logs of migrate (Timeout)');
      await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === 'init-crash', 'the finished diagnosis');
      const thread = h.slack.thread(CHANNEL, summary.ts).replies().map(visibleText).join('\n');
      expect(thread).toMatch(/logs of migrate: Timeout — .*within 1000 ms/);
      expect(thread).toMatch(/:calendar: \*Events\*/);
    } finally {
      undo();
    }
  });

  it('an API server answering 503 on the pod read gets "unavailable, try again shortly"', async () => {
    const undo = h.kube.faults.error({ status: 503, verb: 'get', resource: 'pods', namespace: 'demo' });
    try {
      await run('U0BOB0002', 'pending demo');
      const answer = visibleText(await told('U0BOB0002', /unavailable right now/));
      expect(answer).toContain(':construction: The Kubernetes API is unavailable right now.');
      expect(answer).toContain('Try again shortly');
      expect(posted('pending')).toEqual([]);
    } finally {
      undo();
    }
  });

  it.each([
    {
      what: 'events fail with 500',
      pod: 'configerr',
      missing: 'events (Unavailable)',
      fault: { status: 500, resource: 'events' },
    },
    {
      what: 'the owner chain hangs',
      pod: 'imagepull',
      missing: 'owner chain (Timeout)',
      hang: { resource: 'replicasets' },
    },
  ])('when $what, the summary still arrives and names the missing evidence', async ({ pod, missing, fault, hang }) => {
    const undo = fault ? h.kube.faults.error(fault) : h.kube.faults.hang(hang);
    try {
      await run('U0BOB0002', `${pod} demo`);
      const summary = await summaryOf(pod);
      expect(visibleText(summary).split('\n')[0]).toMatch(new RegExp(`^demo/${pod} — `));
      expect(visibleText(summary)).toContain(`:warning: Missing evidence: ${missing}`);
      await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === pod, 'the finished diagnosis');
    } finally {
      undo();
    }
  });

  // A 429 with Retry-After (API Priority and Fairness throttling) is retried, as client-go does.
  it('a throttled read (429 with Retry-After) is retried, and the diagnosis arrives', async () => {
    const before = { audit: h.auditEntries().length, posted: posted('scratch-crash').length };
    // Retry-After 0: this file's requests have a 1 s deadline, and a wait that does not fit in it is not taken.
    const undo = h.kube.faults.error({ status: 429, retryAfterSeconds: 0, verb: 'get', resource: 'pods', times: 1 });
    try {
      await run('U0BOB0002', 'scratch-crash demo');
      const end = await h.slack.waitFor(
        () =>
          h
            .auditEntries()
            .slice(before.audit)
            .find((e) => ['error', 'diagnosis.done'].includes(e.action) && e.target?.pod === 'scratch-crash'),
        10_000,
        'the end of the diagnosis',
      );
      expect(end.action).toBe('diagnosis.done');
      expect(posted('scratch-crash')).toHaveLength(before.posted + 1);
    } finally {
      undo();
    }
  });

  it.each([
    { text: 'Bad_Name', problem: '`Bad_Name` is not a valid pod name' },
    { text: 'a b c d', problem: 'Too many arguments: `c` `d` (expected a pod and an optional namespace).' },
    { text: '-n', problem: '-n needs a namespace name after it.' },
    { text: 'web-1 -n Prod', problem: '`Prod` is not a valid namespace: Kubernetes names are lowercase.' },
    { text: 'web-1 --replicas 3', problem: 'Unknown option `--replicas`' },
    {
      text: 'demo/web/1',
      problem: '`demo/web/1` is neither &lt;namespace&gt;/&lt;pod&gt; nor &lt;type&gt;/&lt;name&gt;.',
    },
    { text: 'web-1 -c App_', problem: '`App_` is not a valid container name' },
    { text: 'x'.repeat(300), problem: 'is too long: at most 253 characters' },
    { text: 'audit 0', problem: 'Ask for between 1 and 1000 audit records, not 0.' },
  ])('"/debugdead $text" gets the usage ephemerally with the problem, and is audited', async ({ text, problem }) => {
    const d = await run('U0CAROL03', text);
    expect(d.response?.response_type).toBe('ephemeral');
    const reply = String(d.response?.text);
    expect(reply).toMatch(/^:warning: /);
    expect(reply.split('\n')[0]).toContain(problem);
    expect(reply).toContain(USAGE_HEAD);
    const entry = await audited(
      (e) => e.action === 'command.received' && e.result === 'error' && String(e.detail).includes(problem),
      'the invalid command in the audit log',
    );
    expect(entry.actor).toEqual({ type: 'user', id: 'U0CAROL03' });
  });

  it.each(['', 'help', '--help'])('"/debugdead %s" shows the usage only to the person who asked', async (text) => {
    const before = h.slack.channel(CHANNEL).messages().length;
    const d = await run('U0CAROL03', text);
    expect(d.response?.response_type).toBe('ephemeral');
    expect(String(d.response?.text)).toMatch(/^\*Usage\*\n/);
    expect(String(d.response?.text)).toContain('`/debugdead help`: this message');
    expect(h.slack.channel(CHANNEL).messages()).toHaveLength(before);
  });

  it('in a public channel the bot has not joined, chat:write.public posts the summary and its thread there', async () => {
    await run('U0ALICE01', 'multi demo', 'C0GENERAL');
    const summary = await summaryOf('multi', 'C0GENERAL');
    expect(summary.user).toBe(h.slack.workspace.bot.userId);
    expect(visibleText(summary).split('\n')[0]).toMatch(
      /^demo\/multi — CrashLoopBackOff, exit 1 in app \(\d+ restarts\)$/,
    );
    await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === 'multi', 'the finished diagnosis');
    expect(h.slack.thread('C0GENERAL', summary.ts).replies().length).toBeGreaterThan(0);
  });

  it.each([{ channel: 'G0SECOPS0', pod: 'scratch-crash' }])(
    'in $channel, which the bot is not in, nothing about the pod is shown: the person is told to invite the bot',
    async ({ channel, pod }) => {
      await run('U0ALICE01', `${pod} demo`, channel);
      const hint = visibleText(await told('U0ALICE01', new RegExp(`cannot post in <#${channel}>`)));
      expect(hint).toContain('`/invite @debugdead`');
      await audited(
        (e) => e.action === 'diagnosis.done' && e.result === 'denied' && e.target?.pod === pod,
        'the refusal, audited',
      );
      expect(
        h.slack
          .channel(channel)
          .messages()
          .filter((m) => m.text.includes(pod)),
      ).toEqual([]);
      expect(
        h.slack.ephemerals('U0ALICE01').filter((e) => e.channel === channel && /CrashLoopBackOff/.test(e.text)),
      ).toEqual([]);
    },
  );

  it.each(['forged', 'stale'] as const)('a %s signature is refused with 401 and nothing is posted', async (signing) => {
    const auditedBefore = h.auditEntries().length;
    const d = await h.slack.user('U0ALICE01').runCommand('/debugdead', 'healthy demo', { channel: CHANNEL, signing });
    expect(d.httpStatus).toBe(401);
    expect(d.acked).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    expect(posted('healthy')).toEqual([]);
    expect(h.slack.ephemerals('U0ALICE01').some((e) => /healthy/.test(e.text))).toBe(false);
    // Other tests' diagnoses may still be finishing: only this refused request must leave no trace.
    expect(
      h
        .auditEntries()
        .slice(auditedBefore)
        .filter((e) => e.target?.pod === 'healthy'),
    ).toEqual([]);
  });

  it('an approver reads the audit trail, with the chain verified', async () => {
    await run('U0BOB0002', 'audit');
    const answer = visibleText(await told('U0BOB0002', /Audit trail verified/));
    expect(answer).toMatch(/:lock: Audit trail verified: (records 1–\d+ \(\d+\)|no records)/);
    expect(answer).toContain('No audit channel is configured, so no anchors outside Redis were checked.');
    expect(answer).toMatch(/<@U[A-Z0-9]{8,}> command\.received sim:demo\/[\w-]+ ok/);
    // Reading the trail is itself on the trail.
    await audited(
      (e) => e.actor?.id === 'U0BOB0002' && e.action === 'command.received' && /^audit listing/.test(e.detail),
      'the listing in the audit log',
    );
  });

  it('a non-approver is told only approvers may read the audit trail, and the refusal is audited', async () => {
    await run('U0CAROL03', 'audit crash-exit1');
    const answer = visibleText(await told('U0CAROL03', /Only approvers/));
    expect(answer).toBe(':no_entry: Only approvers may read the audit trail.');
    expect(h.slack.ephemerals('U0CAROL03').some((e) => /Audit trail/.test(e.text))).toBe(false);
    await audited(
      (e) => e.actor?.id === 'U0CAROL03' && e.result === 'denied' && /not an approver/.test(e.detail),
      'the refusal in the audit log',
    );
  });

  it('hostile log content never breaks the summary or its thread, pings nobody and leaks no secret', async () => {
    const secrets = SECRET_SAMPLES.map((x) => x.secret);
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/noisy',
      behaviour: {
        kind: 'exit',
        exitCode: 1,
        afterSeconds: 0.5,
        logs: [
          ...Array.from({ length: 120 }, (_, i) => `{{time}} filler line ${i}`),
          ...SECRET_SAMPLES.map((x) => x.line),
          '<!channel> <!here> <!everyone> <@U0BOB0002> <#C0GENERAL> <https://evil.example|click me>',
          '```\nfenced\n```  `` ` ``` ````',
          '\u0000\u0007\u001b[31mred\u001b[0m \ud800 lone \udfff surrogates \u202e reversed \u200b zero-width',
          '💥'.repeat(2000),
          `${'A'.repeat(60_000)} one very long line`,
          '*bold* _it_ ~strike~ > quote & ampersand',
          'fatal: giving up',
        ],
      },
    });
    const w = buildWorkload({
      namespace: 'demo',
      app: 'noisy',
      spec: {
        containers: [{ name: 'app', image: 'ghcr.io/acme/noisy:1.0.0', resources: { limits: { memory: '64Mi' } } }],
      },
      createdAt: new Date().toISOString(),
    });
    w.pod.metadata.ownerReferences = [];
    h.kube.store.create('pods', w.pod);
    await h.slack.waitFor(
      () =>
        h.kube.store.list('pods', 'demo').find((p) => p.metadata.name === 'noisy')?.status?.containerStatuses?.[0]
          ?.restartCount > 0 || undefined,
      15_000,
      'the noisy pod to crash and restart',
    );
    // An event written by some other controller, just as hostile.
    const noisy = h.kube.store.list('pods', 'demo').find((p) => p.metadata.name === 'noisy')!;
    const at = new Date(h.kube.clock.now()).toISOString();
    h.kube.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'noisy.hostile', namespace: 'demo' },
      involvedObject: { kind: 'Pod', name: 'noisy', namespace: 'demo', uid: noisy.metadata.uid },
      reason: 'Hostile',
      message: `<!channel> ${SECRET_SAMPLES[0]!.line} \`\`\` ${'y'.repeat(5000)}`,
      type: 'Warning',
      count: 3,
      firstTimestamp: at,
      lastTimestamp: at,
      source: { component: 'chaos-controller' },
    });
    const warningsBefore = h.appWarnings.length;

    await run('U0ALICE01', 'noisy demo');
    const summary = await summaryOf('noisy');
    expect(visibleText(summary).split('\n')[0]).toMatch(/^demo\/noisy — /);
    await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === 'noisy', 'the finished diagnosis');
    const replies = h.slack.thread(CHANNEL, summary.ts).replies();
    const texts = replies.map(visibleText);
    expect(texts.some((t) => /\*Describe\* demo\/noisy/.test(t))).toBe(true);
    // More than logs.tailLines lines (the PEM samples span several): the reply says the log was cut, and how to
    // read the rest, instead of calling the tail the full log.
    expect(
      texts.some(
        (t) =>
          /log attached, last 200 lines \(earlier lines not shown\)/.test(t) && /kubectl logs -n demo noisy/.test(t),
      ),
    ).toBe(true);
    const files = h.slack.files().filter((f) => f.shares.some((x) => x.threadTs === summary.ts));
    expect(files.length).toBeGreaterThan(0);
    const log = files.map((f) => f.content!.toString('utf8')).join('\n');
    expect(log).toContain('filler line 119');
    expect(log).toContain('one very long line');
    expect(log).toContain('fatal: giving up');
    expect(texts.join('\n')).toContain('fatal: giving up');
    expect(texts.join('\n')).toMatch(/Warning\s+Hostile\s+3/);

    // What Slack stored is what people see: no secret, no live @channel / @here / user ping.
    const stored = [summary, ...replies].map((m) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`).join('\n');
    const everything = `${stored}\n${files.map((f) => f.content!.toString('utf8')).join('\n')}`;
    for (const secret of secrets) expect(everything, secret).not.toContain(secret);
    for (const ping of ['<!channel>', '<!here>', '<!everyone>', '<@U0BOB0002>']) expect(stored).not.toContain(ping);
    // Every reply was accepted: none refused by Slack's limits.
    expect(h.appWarnings.slice(warningsBefore).filter((w) => /refused/.test(String(w.msg)))).toEqual([]);
    expect(replies.length).toBeGreaterThanOrEqual(3);
  });

  it('a pod with 40 long-named crashing containers still fits Slack: every container described, every log shared', async () => {
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/sidecar',
      behaviour: {
        kind: 'exit',
        exitCode: 3,
        afterSeconds: 0.3,
        logs: Array.from({ length: 30 }, (_, i) => `sidecar line ${i} ${'x'.repeat(100)}`),
      },
    });
    const names = Array.from({ length: 40 }, (_, i) => `sidecar-${String(i).padStart(2, '0')}-${'n'.repeat(50)}`);
    const w = buildWorkload({
      namespace: 'demo',
      app: 'wide',
      spec: {
        containers: names.map((name, i) => ({
          name,
          image: `ghcr.io/acme/sidecar:1.${i}`,
          resources: { limits: { memory: '16Mi' } },
        })),
      },
      createdAt: new Date().toISOString(),
    });
    w.pod.metadata.ownerReferences = [];
    h.kube.store.create('pods', w.pod);
    await h.slack.waitFor(
      () => {
        const statuses = h.kube.store.list('pods', 'demo').find((p) => p.metadata.name === 'wide')?.status
          ?.containerStatuses as { restartCount: number }[] | undefined;
        return (statuses?.length === 40 && statuses.every((c) => c.restartCount > 0)) || undefined;
      },
      15_000,
      'every container of the wide pod to crash once',
    );
    const warningsBefore = h.appWarnings.length;

    await run('U0ALICE01', 'wide demo');
    const summary = await summaryOf('wide');
    expect(visibleText(summary).split('\n')[0]).toMatch(/^demo\/wide — /);
    await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === 'wide', 'the finished diagnosis');
    const thread = h.slack.thread(CHANNEL, summary.ts).replies().map(visibleText).join('\n');
    for (const name of names) expect(thread, name).toContain(`*${name}* (container)`);
    const logged = new Set(
      h.slack
        .files()
        .filter((f) => f.shares.some((x) => x.threadTs === summary.ts))
        .map((f) => f.name.split('_')[1]),
    );
    const inline = names.filter((n) => new RegExp(`:scroll: \\*${n} — `).test(thread));
    expect(names.filter((n) => !logged.has(n) && !inline.includes(n))).toEqual([]);
    expect(h.appWarnings.slice(warningsBefore).filter((x) => /refused/.test(String(x.msg)))).toEqual([]);
  });

  it('a pod with the longest name Kubernetes allows (253 characters) is diagnosed like any other', async () => {
    const name = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(64)}`;
    expect(name).toHaveLength(253);
    h.kube.kubelet.addRule({
      image: 'ghcr.io/acme/quick',
      behaviour: { kind: 'exit', exitCode: 1, afterSeconds: 0.2, logs: ['quick: starting', 'quick: failed'] },
    });
    const w = buildWorkload({
      namespace: 'demo',
      app: 'long',
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/quick:1.0.0' }] },
      createdAt: new Date().toISOString(),
    });
    w.pod.metadata.name = name;
    w.pod.metadata.ownerReferences = [];
    h.kube.store.create('pods', w.pod);
    await h.slack.waitFor(
      () =>
        h.kube.store.list('pods', 'demo').find((p) => p.metadata.name === name)?.status?.containerStatuses?.[0]
          ?.restartCount > 0 || undefined,
      15_000,
      'the pod to crash once',
    );
    await run('U0ALICE01', `${name} demo`);
    const summary = await summaryOf(name);
    const seen = visibleText(summary);
    // Slack's header holds 150 characters: the verdict is cut there, and the full name is still in the thread.
    expect(seen.split('\n')[0]!.length).toBeLessThanOrEqual(150);
    expect(seen).toContain('Create debug clone');
    await audited((e) => e.action === 'diagnosis.done' && e.target?.pod === name, 'the finished diagnosis');
    const thread = h.slack.thread(CHANNEL, summary.ts).replies().map(visibleText).join('\n');
    expect(thread).toContain(`*Describe* demo/${name}`);
    expect(thread).toMatch(/app — previous instance \(exit 1\)/);
  });

  it('bad input never crashes the bot: any text is acked at once and answered, and the bot keeps working', async () => {
    const nasty = [
      '`; rm -rf /`',
      '<!channel> please',
      '<@U0BOB0002>',
      '*bold* _it_ ~s~',
      'crash-exit1\u0000demo',
      '\u202Ecrash-exit1',
      '💥💥💥',
      'ｃｒａｓｈ',
      '-c',
      '--namespace=',
      '-n demo -n prod web-1',
      'demo/',
      '/web-1',
      'audit @bob',
      'audit <@U0BOB0002> <@U0ALICE01>',
      'help me',
      `${'a'.repeat(63)}.${'b'.repeat(63)}`,
      'a'.repeat(4000),
    ];
    const generated = fc.sample(fc.string({ unit: 'binary', maxLength: 80 }), { numRuns: 25, seed: 42 });
    for (const text of [...nasty, ...generated]) {
      const d = await h.slack.user('U0CAROL03').runCommand('/debugdead', text, { channel: CHANNEL });
      expect(d.timedOut, `"${text}" timed out`).toBe(false);
      expect(d.httpStatus, `"${text}"`).toBe(200);
      expect(d.responseError, `"${text}"`).toBeUndefined();
      expect(String(d.response?.text ?? '').length, `"${text}" got no answer`).toBeGreaterThan(0);
    }
    // Slack never had to tell the person the app failed.
    expect(h.slack.ephemerals('U0CAROL03').filter((e) => e.source === 'slack')).toEqual([]);
    // And the bot still diagnoses.
    await run('U0CAROL03', 'healthy demo');
    expect(visibleText(await summaryOf('healthy')).split('\n')[0]).toBe('demo/healthy — Running, healthy');
  });
});

describe('a burst of commands in one channel under Slack rate limits (Socket Mode)', () => {
  /** Each pod with the thread replies its full diagnosis has: describe, events, one per log shown. */
  const BURST = [
    { pod: 'crash-exit1', user: 'U0ALICE01', replies: 3 },
    { pod: 'oom', user: 'U0BOB0002', replies: 3 },
    { pod: 'init-crash', user: 'U0CAROL03', replies: 3 },
    { pod: 'healthy', user: 'U0ALICE01', replies: 3 },
    { pod: 'multi', user: 'U0BOB0002', replies: 5 },
    { pod: 'liveness', user: 'U0CAROL03', replies: 3 },
  ];
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'socket', rateLimits: true });
    const deliveries = await Promise.all(
      BURST.map((b) => h.slack.user(b.user).runCommand('/debugdead', `${b.pod} demo`, { channel: CHANNEL })),
    );
    for (const d of deliveries) expect(d.ackLatencyMs).toBeLessThan(1000);
    // Done means the bot finished with each command, one way or the other.
    await h.slack.waitFor(
      () =>
        BURST.every((b) =>
          h.auditEntries().some((e) => ['diagnosis.done', 'error'].includes(e.action) && e.target?.pod === b.pod),
        ),
      60_000,
      'every command of the burst finished',
    );
  }, 70_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('Slack did rate-limit the burst, yet every summary reaches the channel', () => {
    expect(h.slack.rateLimited()).toBeGreaterThan(0);
    for (const b of BURST) {
      const summary = h.slack
        .channel(CHANNEL)
        .messages()
        .find((m) => m.text.startsWith(`demo/${b.pod} `));
      expect(summary, `the summary of ${b.pod}`).toBeDefined();
      expect(visibleText(summary!).split('\n')[0]).toMatch(new RegExp(`^demo/${b.pod} — `));
    }
    // A summary that had to come through the command's response_url says so to the person who asked.
    for (const e of BURST.flatMap((b) => h.slack.ephemerals(b.user)).filter((x) => /Slack refused/.test(x.text))) {
      expect(e.text).toMatch(/came through this command without its evidence thread/);
    }
  });

  // The bot's Slack client waits out each 429, per call (handlers/wait-out-rate-limits.ts): nothing is lost.
  it('nothing is lost: every summary is posted with its whole thread', () => {
    for (const b of BURST) {
      const summary = h.slack
        .channel(CHANNEL)
        .messages()
        .find((m) => m.text.startsWith(`demo/${b.pod} `));
      expect(summary, `the summary of ${b.pod}`).toBeDefined();
      expect(h.slack.thread(CHANNEL, summary!.ts).replies(), `the thread of ${b.pod}`).toHaveLength(b.replies);
    }
  });
});
