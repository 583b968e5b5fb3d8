import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Grant, signGrant, verifyGrant } from '../../src/actions/index.js';
import {
  alertHeadline,
  asMuteRecord,
  type CompactPod,
  parseMuteValue,
  renderAlertContext,
  renderAlertSummary,
  renderMuteMenu,
  renderMuteNotice,
  type WorkloadAlert,
  workloadKey,
  workloadOf,
} from '../../src/alerts/index.js';
import { parseCommand } from '../../src/command/index.js';
import { buildConfig } from '../../src/config/index.js';
import { parseMoreLogsValue } from '../../src/conversation/more-logs-menu.js';
import { failingSince } from '../../src/diagnosis/failing-since.js';
import { redact, redactBelow } from '../../src/redact/index.js';
import { renderRunbookLinks } from '../../src/runbooks/index.js';

// What session 3 added (workload targets, mute, More logs, runbooks, failing since, debug containers), attacked
// through its pure functions with what an adversary controls: a pod's owner references (the API server checks only
// that they are not empty), menu values, Redis records, command text, config, a pod's status.

/** Slack control sequences: a broadcast, a mention, a channel or user group, a link, a date. */
const SLACK_CONTROL = /<[!@#]|<(?:https?|mailto|javascript|slack):/i;
const hostileText = fc.oneof(
  fc.constantFrom(
    '<!channel>',
    '<!here|here>',
    '<@U0ALICE01>',
    '<#C0INCIDENT>',
    '<https://evil.example/approve|Approve here>',
    '<!subteam^S0SRELEADS>',
    '`a`*b*_c_~d~',
    'x\u202eevil',
    'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
    '&lt;!channel&gt;',
  ),
  fc.string({ unit: 'grapheme', maxLength: 80 }).filter((s) => s.length > 0),
);

const pod = (owner: { kind: string; name: string } | undefined, labels: Record<string, string> = {}): CompactPod => ({
  namespace: 'demo',
  name: 'web-7d4b9c-x1',
  uid: 'u1',
  labels,
  ready: false,
  deleting: false,
  containers: [{ name: 'app', restartCount: 4, ready: false, waitingReason: 'CrashLoopBackOff' }],
  ...(owner ? { owner } : {}),
});

const alertOf = (workload: WorkloadAlert['workload'], reason = 'CrashLoopBackOff'): WorkloadAlert => ({
  workload,
  channel: 'C0INCIDENT',
  pod: 'web-7d4b9c-x1',
  reason,
  failingPods: ['web-7d4b9c-x1'],
  failingCount: 1,
  since: '2026-12-07T06:00:00.000Z',
});
const NOW = new Date('2026-12-07T06:30:00.000Z');

describe('a pod whose owner reference is named to inject (anyone who may create a pod can name any owner)', () => {
  it.each([
    { kind: 'ReplicaSet', name: '<!channel>-7d4b9c' },
    { kind: 'ReplicaSet', name: 'x <https://evil.example|Approve>' },
    { kind: '<!here>', name: 'web' },
    { kind: 'Job', name: 'nightly *PAGE EVERYONE* -28934567' },
    { kind: 'StatefulSet', name: 'db`' },
    { kind: 'Rollout', name: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB token' },
    { kind: 'DaemonSet', name: 'agent\u202egnp.exe' },
  ])('owner $kind/$name: the pod is its own workload', (owner) => {
    expect(workloadOf(pod(owner, { 'pod-template-hash': '7d4b9c' }))).toEqual({
      namespace: 'demo',
      kind: 'Pod',
      name: 'web-7d4b9c-x1',
    });
  });

  it('owners named as controllers and custom resources name them are still followed', () => {
    expect(workloadOf(pod({ kind: 'ReplicaSet', name: 'web-7d4b9c' }, { 'pod-template-hash': '7d4b9c' }))).toEqual({
      namespace: 'demo',
      kind: 'Deployment',
      name: 'web',
    });
    expect(workloadOf(pod({ kind: 'Rollout', name: 'Checkout.v2:canary' })).name).toBe('Checkout.v2:canary');
  });

  it('whatever the owner, the alert headline, context, summary and mute key carry no Slack control sequence', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (kind, name) => {
        const workload = workloadOf(pod({ kind, name }));
        const alert = alertOf(workload);
        expect(workloadKey(workload)).not.toMatch(/[<>&`*_~|\s]/);
        expect(alertHeadline(alert, NOW)).not.toMatch(SLACK_CONTROL);
        expect(JSON.stringify(renderAlertContext(alert, NOW))).not.toMatch(SLACK_CONTROL);
        expect(JSON.stringify(renderAlertSummary([{ workload, reason: alert.reason, failingCount: 1 }]))).not.toMatch(
          SLACK_CONTROL,
        );
      }),
    );
  });

  it('a storm summary shows a relayed entry (an agent report) as text, never as a mention or link', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (kind, name, reason) => {
        const text = JSON.stringify(
          renderAlertSummary([{ workload: { namespace: 'demo', kind, name }, reason, failingCount: 2 }]),
        );
        expect(text).not.toMatch(SLACK_CONTROL);
      }),
    );
  });
});

describe('overflow values: only what we rendered is ours', () => {
  const id = 'AbCdEfGh12345678';
  it('every rendered mute option parses back to itself', () => {
    for (const o of renderMuteMenu(id).options) expect(parseMuteValue(o.value)?.diagnosisId).toBe(id);
  });

  it.each([
    `1h:${id}:extra`,
    `1h:${id}.c0`,
    `forever:${id}`,
    `1h:${id}\u202e`,
    `1h:${'A'.repeat(65)}`,
    `1h: ${id}`,
    `__proto__:${id}`,
    `b:1234:${id}`,
    `b:-1:${id}`,
    `x:0:${id}`,
    `p:0:${id}\n`,
    `${'1h:'.repeat(10_000)}${id}`,
  ])('%s is refused by both menus', (value) => {
    expect(parseMuteValue(value)).toBeUndefined();
    expect(parseMoreLogsValue(value)).toBeUndefined();
  });

  it('any other string is refused, or names a well-formed diagnosis id and a choice we render', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (value) => {
        const mute = parseMuteValue(value);
        if (mute) expect(value).toBe(`${mute.choice}:${mute.diagnosisId}`);
        const logs = parseMoreLogsValue(value);
        if (logs) expect(logs.container).toBeLessThan(1000);
      }),
    );
  });
});

describe('a mute record written straight into Redis', () => {
  it.each([
    { name: 'a broadcast in `by`', value: { by: '<!channel>', at: NOW.toISOString(), untilRecovery: true } },
    {
      name: 'a mention hidden in `until`',
      value: { by: 'U0BOB0002', at: NOW.toISOString(), until: 'xxxxxxxxxxx<@U0ALICE01>', untilRecovery: false },
    },
    { name: 'no time at all', value: { by: 'U0BOB0002', untilRecovery: true } },
    { name: 'a string for the flag', value: { by: 'U0BOB0002', at: NOW.toISOString(), untilRecovery: 'yes' } },
    { name: 'a timed mute without its end', value: { by: 'U0BOB0002', at: NOW.toISOString(), untilRecovery: false } },
    { name: 'an array', value: ['U0BOB0002'] },
    { name: 'a number', value: 7 },
    { name: 'null', value: null },
  ])('$name is no mute', ({ value }) => {
    expect(asMuteRecord(value)).toBeUndefined();
  });

  it('prototype keys are not carried over, and a good record comes back as planMute wrote it', () => {
    const parsed = JSON.parse(
      `{"by":"U0BOB0002","at":"${NOW.toISOString()}","untilRecovery":true,"__proto__":{"polluted":1},"constructor":{"x":1}}`,
    );
    const record = asMuteRecord(parsed)!;
    expect(record).toEqual({ by: 'U0BOB0002', at: NOW.toISOString(), untilRecovery: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('whatever a record holds, its notice mentions only the Slack user who muted', () => {
    fc.assert(
      fc.property(hostileText, hostileText, fc.boolean(), (by, until, untilRecovery) => {
        const notice = renderMuteNotice({ by, at: NOW.toISOString(), until, untilRecovery });
        expect(notice.replace(/^:no_bell: Muted by <@[A-Z0-9]*>/, '')).not.toMatch(SLACK_CONTROL);
      }),
    );
  });
});

describe('command targets', () => {
  it.each([
    ['deploy/../x -n demo', /neither/],
    ['deploy/x -n kube-system -n demo', /namespace is given twice/],
    ['deploy/x demo -n prod', /namespace is given twice/],
    ['deploy/x -n prod-*', /not a valid namespace/],
    ['deploy/x -n *', /not a valid namespace/],
    [`deploy/${'a'.repeat(254)}`, /too long: at most 253/],
    ['deploy/<!channel>', /not a valid deployment name/],
    ['deploy/<https://evil.example|checkout>', /neither/],
    ['deploy/x --cluster=prod -n demo', /Unknown option/],
    ['deploy/x -n=', /-n needs a namespace name/],
    ['deploy/ -n demo', /empty/i],
  ])('%s is refused: %s', (text, problem) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(problem);
  });

  it.each([
    ['deploy/x -n kube-system', { kind: 'Deployment', name: 'x' }, 'kube-system'],
    ['deployments.apps/x -n demo', { kind: 'Deployment', name: 'x' }, 'demo'],
    ['jobs/pods -n deploy', { kind: 'Job', name: 'pods' }, 'deploy'],
  ])('%s parses (the namespace policy and bindings then decide)', (text, workload, namespace) => {
    expect(parseCommand(text)).toEqual({ kind: 'diagnose-workload', workload, namespace });
  });

  it('no problem sentence echoes a Slack control sequence, a control or bidi character, whatever was typed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(hostileText, fc.constantFrom('deploy/', '-n', '-c', 'sts/x', '/')), { maxLength: 5 }),
        (words) => {
          const parsed = parseCommand(words.join(' '));
          if (parsed.kind !== 'invalid') return;
          expect(parsed.problem).not.toMatch(SLACK_CONTROL);
          expect(parsed.problem).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        },
      ),
    );
  });
});

describe('runbook links from config (a malicious config reviewer)', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DEBUGDEAD_SIGNING_KEY: 'k'.repeat(32) };
  it.each([
    'javascript:alert(1)',
    'slack://channel?team=T1&id=C1',
    'data:text/html,<script>alert(1)</script>',
    'HTTPS://wiki.example.com/x',
    'https://wiki.example.com/<!channel>',
    'https://wiki.example.com/a|<!here>',
    'https://wiki.example.com/a\nb',
    '//wiki.example.com/x',
  ])('%s is refused as a runbook URL', (url) => {
    const built = buildConfig({ runbooks: [{ match: { kind: 'OOMKilled' }, url }] }, env);
    expect(built.ok).toBe(false);
  });

  it('any title renders as exactly one link to the configured URL, with no mention', () => {
    fc.assert(
      fc.property(hostileText, fc.webUrl({ withQueryParameters: true }), (title, url) => {
        fc.pre(/^https?:\/\/[^\s|<>]{1,2000}$/.test(url));
        const text: string = renderRunbookLinks([{ match: { kind: 'OOMKilled' }, url, title }]).elements[0].text;
        expect(text.match(/</g)).toHaveLength(1);
        expect(text.match(/>/g)).toHaveLength(1);
        expect(text.startsWith(`:book: Runbook: <${url}|`)).toBe(true);
        expect(text.replace(`<${url}|`, '')).not.toMatch(SLACK_CONTROL);
      }),
    );
  });
});

describe("failing since, from a pod status someone wrote (a node's kubelet may set any restartCount)", () => {
  const history = (restartCount: number, runSeconds = 1) => ({
    podStartedAt: '2026-01-01T00:00:00Z',
    containers: [
      {
        restartCount,
        waitingReason: 'CrashLoopBackOff',
        lastTerminated: {
          startedAt: new Date(NOW.getTime() - 60_000 - runSeconds * 1000).toISOString(),
          finishedAt: new Date(NOW.getTime() - 60_000).toISOString(),
          exitCode: 1,
        },
      },
    ],
  });

  it('a restart count of 2^31 - 1 is answered at once (it used to hold the process for about a minute)', () => {
    const started = performance.now();
    const since = failingSince(history(2 ** 31 - 1), NOW);
    expect(performance.now() - started).toBeLessThan(50);
    expect(since).toMatchObject({ at: '2026-01-01T00:00:00.000Z', source: 'estimate' });
  });

  it('the count back matches the kubelet schedule summed crash by crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 400 }), fc.integer({ min: 0, max: 500 }), (restarts, run) => {
        let back = 0;
        for (let i = 0; i < restarts - 1; i++) back += Math.min(10 * 2 ** i, 300) + run;
        const want = Math.max(Date.parse('2026-01-01T00:00:00Z'), NOW.getTime() - 60_000 - back * 1000);
        expect(failingSince(history(restarts, run), NOW)?.at).toBe(new Date(want).toISOString());
      }),
    );
  });

  it('any timestamps and counts give a time between the pod start and now, or none', () => {
    const stamp = fc.oneof(
      fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc.constantFrom('not a time', '', '9999-99-99T00:00:00Z', 'Infinity'),
      fc.integer(),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ reason: fc.constantFrom('BackOff', 'Failed'), firstTimestamp: stamp }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        stamp,
        stamp,
        (events, restartCount, startedAt, finishedAt) => {
          const since = failingSince(
            {
              podStartedAt: '2026-01-01T00:00:00Z',
              containers: [{ restartCount, lastTerminated: { startedAt, finishedAt, exitCode: 1 } }],
              events,
            },
            NOW,
          );
          if (!since) return;
          const at = Date.parse(since.at);
          expect(at).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:00:00Z'));
          expect(at).toBeLessThanOrEqual(NOW.getTime());
        },
      ),
    );
  });
});

describe('a debug-container grant: the signature covers every field the job acts on', () => {
  const KEY = 'k'.repeat(40);
  const grant: Grant = {
    actionId: 'AbCdEfGh12345678.e0',
    kind: 'ephemeral',
    privilege: 'standard',
    cluster: 'sim',
    namespace: 'demo',
    pod: 'web-1',
    container: 'app',
    profile: 'general',
    image: 'busybox:1.37-musl',
    requester: 'U0MALLORY',
    approvers: ['U0ALICE01'],
    expiresAt: '2026-12-07T07:00:00.000Z',
  };
  const changes: [string, Partial<Grant> | ((g: Grant) => Grant)][] = [
    ['actionId', { actionId: 'AbCdEfGh12345678.e1' }],
    ['kind', { kind: 'clone' }],
    ['privilege', { privilege: 'privileged' }],
    ['cluster', { cluster: 'prod' }],
    ['namespace', { namespace: 'kube-system' }],
    ['pod', { pod: 'kube-proxy-x' }],
    ['container', { container: 'sidecar' }],
    ['profile', { profile: 'sysadmin' }],
    ['image', { image: 'attacker/tools:latest' }],
    ['requester', { requester: 'U0ALICE01' }],
    ['approvers', { approvers: ['U0ALICE01', 'U0CAROL03'] }],
    ['expiresAt', { expiresAt: '2027-12-07T07:00:00.000Z' }],
    ['profile removed', ({ profile: _p, ...g }) => g],
    ['profile and image removed', ({ profile: _p, image: _i, ...g }) => g],
    ['profile and image swapped', (g) => ({ ...g, profile: g.image!, image: g.profile! })],
  ];
  it.each(changes)('changing %s breaks the signature', (_field, change) => {
    const signed = signGrant(grant, KEY);
    const forged = typeof change === 'function' ? change(signed.grant) : { ...signed.grant, ...change };
    expect(verifyGrant({ grant: forged, signature: signed.signature }, KEY, NOW, 'sim')).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
  });
});

describe('a tail that starts between a secret and the line naming it (redactBelow)', () => {
  const secret = 'Zq8vLr2pWm4kTn7xQ3';
  it.each([
    ['- name: DB_PASSWORD', `  value: ${secret}`],
    ['- name: API_TOKEN', `  value: "${secret}"`],
    ['{"name": "STRIPE_SECRET_KEY",', ` "value": "${secret}"}`],
  ])('%s above %s: the value is redacted', (above, first) => {
    expect(redact(first).text).toContain(secret);
    const judged = redactBelow(above, `${first}\nordinary line after`);
    expect(judged).not.toContain(secret);
    expect(judged.endsWith('\nordinary line after')).toBe(true);
  });

  it('changes nothing but the first line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')),
          { minLength: 1, maxLength: 5 },
        ),
        (lines) => {
          const text = lines.join('\n');
          const judged = redactBelow('ordinary line 00042 ....', text);
          expect(judged.split('\n').slice(1)).toEqual(text.split('\n').slice(1));
        },
      ),
    );
  });
});

describe('an alert relayed by an agent (its workload is whatever the report says)', () => {
  it.each([
    { kind: 'Deployment', name: 'web`*x*`' },
    { kind: 'Deployment', name: "a$'$`$&b" },
    { kind: 'Dep`loyment', name: 'web' },
  ])('$kind $name stays one code span, shown as written', (w) => {
    const [section] = renderAlertContext(alertOf({ namespace: 'demo', ...w }), NOW);
    const text: string = section.text.text;
    expect(text.match(/`/g)).toHaveLength(2);
    expect(text).not.toContain(':rotating_light: :rotating_light:');
    expect(text.split('is crash-looping')).toHaveLength(2);
  });
});
