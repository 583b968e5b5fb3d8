import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readMessageTs,
  readProgressOptions,
  readProgressPatch,
  readRelayedAlert,
  readSummaryEntries,
  readThreadLine,
} from '../../src/gateway/read-agent-report.js';

// The gateway reads what an agent relays about its alerts as untrusted: it posts it as the bot, and some of it
// reaches Slack as plain text (the notification line).
const alert = {
  workload: { namespace: 'demo', kind: 'Deployment', name: 'checkout' },
  channel: 'C0FROMAGENT',
  pod: 'checkout-7d4b9c-x1',
  reason: 'CrashLoopBackOff',
  failingPods: ['checkout-7d4b9c-x1', 'checkout-7d4b9c-x2'],
  failingCount: 2,
  since: '2026-12-07T06:00:00.000Z',
};

describe('an alert an agent relays', () => {
  it('is taken as it is when every field is well-formed, with the channel routing chose', () => {
    expect(readRelayedAlert(alert, 'C0ROUTED')).toEqual({ ...alert, channel: 'C0ROUTED' });
    const recovered = { ...alert, recoveredAt: '2026-12-07T07:00:00Z' };
    expect(readRelayedAlert(recovered, 'C0ROUTED').recoveredAt).toBe('2026-12-07T07:00:00Z');
    const custom = { ...alert, workload: { namespace: 'demo', kind: 'Rollout', name: 'Checkout.v2:canary' } };
    expect(readRelayedAlert(custom, 'C0ROUTED').workload.name).toBe('Checkout.v2:canary');
  });

  it.each([
    ['no alert at all', null],
    ['a namespace with a mention', { ...alert, workload: { ...alert.workload, namespace: '<!channel>' } }],
    ['a workload name with a link', { ...alert, workload: { ...alert.workload, name: 'x <https://evil.example|ok>' } }],
    ['a kind with a mention', { ...alert, workload: { ...alert.workload, kind: '<!here>' } }],
    ['a pod name with markup', { ...alert, pod: '*PAGE*' }],
    ['a reason with a link', { ...alert, reason: 'Crash <https://evil.example>' }],
    ['a reason that is a sentence', { ...alert, reason: 'Crash loop, call @oncall' }],
    ['failing pods with a mention', { ...alert, failingPods: ['ok', '<!channel>'] }],
    ['failing pods that are not a list', { ...alert, failingPods: 'a,b' }],
    ['a negative count', { ...alert, failingCount: -1 }],
    ['a count that is not a whole number', { ...alert, failingCount: 1.5 }],
    ['a count of 2^31', { ...alert, failingCount: 2 ** 31 }],
    ['a since that is no time', { ...alert, since: '<!date^1^{date}|x>' }],
    ['a recovered at that is no time', { ...alert, recoveredAt: 'soon' }],
  ])('%s is refused', (_what, body) => {
    expect(() => readRelayedAlert(body, 'C0ROUTED')).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });

  it('whatever an agent sends, what is accepted holds no Slack markup in any text field', () => {
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('<!channel>', '<@U0BOSS>', 'a&b', 'x`y', '*b*', 'demo', 'checkout', 'CrashLoopBackOff'),
    );
    fc.assert(
      fc.property(text, text, text, text, text, (namespace, kind, name, pod, reason) => {
        const body = { ...alert, workload: { namespace, kind, name }, pod, reason, failingPods: [pod] };
        let read: ReturnType<typeof readRelayedAlert> | undefined;
        try {
          read = readRelayedAlert(body, 'C0ROUTED');
        } catch (err) {
          expect((err as Error).name).toBe('ReportRefused');
          return;
        }
        const { workload } = read;
        for (const field of [workload.namespace, workload.kind, workload.name, read.pod, read.reason])
          expect(field).not.toMatch(/[<>&`*_~|\s]/);
      }),
    );
  });
});

describe('storm summary entries an agent relays', () => {
  const entry = { workload: alert.workload, reason: 'OOMKilled', failingCount: 7 };

  it('are taken field by field', () => {
    expect(readSummaryEntries([entry, { ...entry, reason: 'ImagePullBackOff' }])).toEqual([
      entry,
      { ...entry, reason: 'ImagePullBackOff' },
    ]);
  });

  it.each([
    ['a made-up message instead of entries', { text: '<!channel>', blocks: [] }],
    ['an entry naming a link', [{ ...entry, workload: { ...entry.workload, name: '<https://evil.example>' } }]],
    ['an entry with a sentence for a reason', [{ ...entry, reason: 'go to evil.example now' }]],
    ['an entry without its count', [{ workload: entry.workload, reason: 'OOMKilled' }]],
    ['more entries than any summary shows', Array.from({ length: 1001 }, () => entry)],
  ])('%s is refused', (_what, body) => {
    expect(() => readSummaryEntries(body)).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });
});

describe('the timestamp of the message an update rewrites', () => {
  it('is a Slack message timestamp, nothing else', () => {
    expect(readMessageTs('1796641879.365000')).toBe('1796641879.365000');
    for (const bad of ['', '<!channel>', '1796641879', 1796641879.365, null])
      expect(() => readMessageTs(bad)).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });
});

describe('a thread line an agent reports', () => {
  it('keeps its text, code and mentions of people as written', () => {
    const text =
      ':white_check_mark: Debug clone `ledger-dbg-1` is ready for <@U0ALICE01>:\n```kubectl exec -it -n demo ledger-dbg-1 -- sh```';
    expect(readThreadLine({ text })).toEqual({ text });
  });

  it.each([
    ['a broadcast', 'x <!channel> y', 'x &lt;!channel&gt; y'],
    ['a user group', '<!subteam^S0123|@oncall>', '&lt;!subteam^S0123|@oncall&gt;'],
    ['a link', 'see <https://evil.example|the fix>', 'see &lt;https://evil.example|the fix&gt;'],
    ['a channel link', 'go to <#C0INCIDENT>', 'go to &lt;#C0INCIDENT&gt;'],
    ['a date token', 'at <!date^1^{time}|now>', 'at &lt;!date^1^{time}|now&gt;'],
    ['a quote at the start of a line', '> approved by @security', '&gt; approved by @security'],
    ['a mention that does not close', '<@U0ALICE01 <!here>', '&lt;@U0ALICE01 &lt;!here&gt;'],
  ])('%s is shown as text', (_what, text, shown) => {
    expect(readThreadLine({ text })).toEqual({ text: shown });
  });

  it('drops blocks, and refuses a line without text or too long', () => {
    expect(readThreadLine({ text: 'ok', blocks: [{ type: 'section' }] })).toEqual({ text: 'ok' });
    for (const bad of [undefined, {}, { text: '' }, { text: 42 }, { text: 'x'.repeat(4001) }])
      expect(() => readThreadLine(bad)).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });

  it('whatever an agent writes, no `<` survives but one opening a mention of a person', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        if (text.length === 0) return;
        const shown = readThreadLine({ text }).text;
        expect(shown.replace(/<@[UW][A-Z0-9]{1,20}>/g, '')).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('a progress patch an agent reports', () => {
  const ready = {
    podName: 'ledger-dbg-1',
    namespace: 'demo',
    execCommand: 'kubectl exec -it -n demo ledger-dbg-1 -- sh',
    notes: ['PVC data swapped for emptyDir'],
    expiresAt: '2026-12-07T07:00:00.000Z',
    maxExpiresAt: '2026-12-07T10:00:00.000Z',
    canExtend: true,
  };

  it('is taken when it says where its pod stands and how to reach it', () => {
    expect(readProgressPatch(ready)).toEqual(ready);
    expect(readProgressPatch({ step: 'failed', error: 'quota exceeded' })).toEqual({
      step: 'failed',
      error: 'quota exceeded',
    });
    expect(readProgressOptions(3600, 'failed')).toEqual({ keepSeconds: 3600, unless: 'failed' });
    expect(readProgressOptions(undefined, undefined)).toEqual({});
  });

  it.each([
    ['who approved', { approvedBy: 'U0CEO0001' }],
    ['who asked', { requestedBy: 'U0CEO0001' }],
    ['who denied', { deniedBy: 'U0CEO0001' }],
    ['what the action is', { kind: 'node-shell' }],
    ['a step the gateway decides', { step: 'approved' }],
    ['a pod name with a mention', { podName: '<!channel>' }],
    ['notes that are not a list of text', { notes: 'x' }],
    ['an expiry that is no time', { expiresAt: 'never' }],
    ['no patch', null],
  ])('%s is refused', (_what, patch) => {
    expect(() => readProgressPatch(patch)).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });

  it('refuses a keep time or an "unless" out of shape', () => {
    for (const [keep, unless] of [
      [-1, undefined],
      [1e12, undefined],
      ['1h', undefined],
      [undefined, 'approved'],
    ])
      expect(() => readProgressOptions(keep, unless)).toThrow(expect.objectContaining({ name: 'ReportRefused' }));
  });
});
