import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MUTE_NOTICE_BLOCK, planMute, renderAlertContext, type WorkloadAlert } from '../../src/alerts/index.js';
import {
  isRecentDiagnosis,
  parseRecentDiagnosis,
  type RecentDiagnosis,
  recentDiagnosisKey,
  workloadOfDiagnosis,
} from '../../src/conversation/recent-diagnoses.js';
import {
  DIAGNOSIS_LINK_BLOCK,
  isLinkablePermalink,
  renderAlertRaisedReply,
  renderDiagnosisLink,
} from '../../src/conversation/render-diagnosis-link.js';
import {
  ALERT_HEADLINE_BLOCK,
  MUTE_ENDED_TEXT,
  rewriteAlertPrefix,
  tagAlertHeadline,
} from '../../src/conversation/rewrite-alert-prefix.js';
import type { Diagnosis } from '../../src/diagnosis/index.js';
import type { Block } from '../../src/render/index.js';

const NOW = new Date('2026-12-07T14:00:00Z');
const minutesAgo = (min: number, seconds = 0) => new Date(NOW.getTime() - min * 60_000 - seconds * 1000).toISOString();

describe('isRecentDiagnosis: a person diagnosis stands in for an alert for one hour', () => {
  it.each([
    { name: 'just posted', at: minutesAgo(0), by: 'U0ALICE01', want: true },
    { name: '59 min old', at: minutesAgo(59), by: 'U0ALICE01', want: true },
    { name: '59 min 59 s old', at: minutesAgo(59, 59), by: 'U0ALICE01', want: true },
    { name: 'exactly 60 min old', at: minutesAgo(60), by: 'U0ALICE01', want: false },
    { name: '61 min old', at: minutesAgo(61), by: 'U0ALICE01', want: false },
    { name: "a second ahead (another replica's clock)", at: minutesAgo(0, -1), by: 'U0ALICE01', want: true },
    { name: "an alert's own diagnosis", at: minutesAgo(1), by: 'alert', want: false },
    { name: 'an unreadable time', at: 'yesterday', by: 'U0ALICE01', want: false },
  ])('$name → $want', ({ at, by, want }) => {
    expect(isRecentDiagnosis({ at, by }, NOW)).toBe(want);
  });

  it('takes another window', () => {
    expect(isRecentDiagnosis({ at: minutesAgo(9), by: 'U0ALICE01' }, NOW, 600)).toBe(true);
    expect(isRecentDiagnosis({ at: minutesAgo(11), by: 'U0ALICE01' }, NOW, 600)).toBe(false);
  });
});

describe('recentDiagnosisKey', () => {
  const name = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
  const place = fc.record({
    channel: fc.stringMatching(/^[CG][A-Z0-9]{8,10}$/),
    cluster: fc.option(name, { nil: undefined }),
    workload: fc.record({
      namespace: name,
      kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod'),
      name,
    }),
  });
  const clean = (p: { channel: string; cluster?: string | undefined; workload: RecentDiagnosis['workload'] }) =>
    p.cluster === undefined ? { channel: p.channel, workload: p.workload } : { ...p, cluster: p.cluster };

  it('gives two places one key only when they are the same place (channel, cluster, workload)', () => {
    fc.assert(
      fc.property(place, place, (a, b) => {
        const same = JSON.stringify(clean(a)) === JSON.stringify(clean(b));
        expect(recentDiagnosisKey('{debugdead}', clean(a)) === recentDiagnosisKey('{debugdead}', clean(b))).toBe(same);
      }),
    );
  });

  it('keeps every key under the hash-tagged prefix', () => {
    fc.assert(
      fc.property(place, (p) => {
        expect(recentDiagnosisKey('{debugdead}', clean(p)).startsWith('{debugdead}:recent-diagnosis:')).toBe(true);
      }),
    );
  });

  it.each([
    {
      name: 'one cluster',
      place: { channel: 'C0INCIDENT', workload: { namespace: 'demo', kind: 'Deployment', name: 'web' } },
      want: '{debugdead}:recent-diagnosis:C0INCIDENT:demo/Deployment/web',
    },
    {
      name: 'many clusters',
      place: {
        channel: 'C0INCIDENT',
        cluster: 'prod-eu',
        workload: { namespace: 'demo', kind: 'Deployment', name: 'web' },
      },
      want: '{debugdead}:recent-diagnosis:C0INCIDENT:@prod-eu/demo/Deployment/web',
    },
  ])('$name', ({ place, want }) => {
    expect(recentDiagnosisKey('{debugdead}', place)).toBe(want);
  });
});

describe('parseRecentDiagnosis', () => {
  const entry: RecentDiagnosis = {
    channel: 'C0INCIDENT',
    workload: { namespace: 'demo', kind: 'Deployment', name: 'web' },
    ts: '1700000000.000100',
    diagnosisId: 'abcdefgh12',
    by: 'U0ALICE01',
    at: NOW.toISOString(),
  };
  it.each([
    { name: 'a stored entry', raw: JSON.stringify(entry), want: entry },
    { name: 'nothing', raw: null, want: undefined },
    { name: 'not JSON', raw: '{oops', want: undefined },
    { name: 'no ts', raw: JSON.stringify({ ...entry, ts: undefined }), want: undefined },
    { name: 'an empty requester', raw: JSON.stringify({ ...entry, by: '' }), want: undefined },
    { name: 'no workload', raw: JSON.stringify({ ...entry, workload: null }), want: undefined },
    { name: 'a number', raw: '42', want: undefined },
  ])('$name', ({ raw, want }) => {
    expect(parseRecentDiagnosis(raw)).toEqual(want);
  });
});

describe('workloadOfDiagnosis names the workload as the alert watch does', () => {
  const pod = (name: string, owners: Diagnosis['pod']['owners']) =>
    ({ name, namespace: 'demo', owners }) as unknown as Diagnosis['pod'];
  it.each([
    {
      name: "a ReplicaSet's pod, by its pod-template-hash",
      pod: pod('web-7d9f8c6b5-x2x4z', [
        { kind: 'ReplicaSet', name: 'web-7d9f8c6b5' },
        { kind: 'Deployment', name: 'web' },
      ]),
      labels: { 'pod-template-hash': '7d9f8c6b5' },
      want: { namespace: 'demo', kind: 'Deployment', name: 'web' },
    },
    {
      name: 'a ReplicaSet without the hash label stays a ReplicaSet',
      pod: pod('web-abc-x', [{ kind: 'ReplicaSet', name: 'web-abc' }]),
      labels: {} as Record<string, string>,
      want: { namespace: 'demo', kind: 'ReplicaSet', name: 'web-abc' },
    },
    {
      name: "a StatefulSet's pod",
      pod: pod('db-0', [{ kind: 'StatefulSet', name: 'db' }]),
      labels: {} as Record<string, string>,
      want: { namespace: 'demo', kind: 'StatefulSet', name: 'db' },
    },
    {
      name: "a CronJob's Job's pod",
      pod: pod('backup-29000000-abcde', [
        { kind: 'Job', name: 'backup-29000000' },
        { kind: 'CronJob', name: 'backup' },
      ]),
      labels: {} as Record<string, string>,
      want: { namespace: 'demo', kind: 'CronJob', name: 'backup' },
    },
    {
      name: 'a bare pod is its own workload',
      pod: pod('debug', []),
      labels: {} as Record<string, string>,
      want: { namespace: 'demo', kind: 'Pod', name: 'debug' },
    },
  ])('$name', ({ pod, labels, want }) => {
    expect(workloadOfDiagnosis(pod, labels)).toEqual(want);
  });
});

describe('renderDiagnosisLink', () => {
  const url = 'https://acme.slack.com/archives/C0INCIDENT/p1700000000000100';
  it.each([
    { name: 'a moment before', at: minutesAgo(0, 20), before: 'just before this alert' },
    { name: '12 min before', at: minutesAgo(12, 30), before: '12 min before this alert' },
    { name: '59 min before', at: minutesAgo(59), before: '59 min before this alert' },
  ])('$name', ({ at, before }) => {
    const block = renderDiagnosisLink({ by: 'U0ALICE01', at }, url, NOW) as { text: { text: string } };
    expect(block.text.text).toBe(
      `:mag: Diagnosed by <@U0ALICE01> at ${at.slice(11, 16)} UTC, ${before}: <${url}|open the diagnosis and its buttons>`,
    );
  });

  it('escapes & in a thread permalink and keeps the requester a bare mention', () => {
    const threaded = `${url}?thread_ts=1700000000.000001&cid=C0INCIDENT`;
    const block = renderDiagnosisLink({ by: 'U0ALICE01|<!here>', at: minutesAgo(3) }, threaded, NOW) as {
      block_id: string;
      text: { text: string };
    };
    expect(block.block_id).toBe(DIAGNOSIS_LINK_BLOCK);
    expect(block.text.text).toContain('?thread_ts=1700000000.000001&amp;cid=C0INCIDENT|open');
    expect(block.text.text).toContain('Diagnosed by <@U0ALICE01> at');
  });

  it.each([
    { url, want: true },
    { url: 'http://acme.slack.com/archives/C1/p1', want: false },
    { url: 'https://evil.example/x|click here', want: false },
    { url: 'https://acme.slack.com/a>b', want: false },
    { url: 'https://acme.slack.com/a b', want: false },
    { url: '', want: false },
  ])('isLinkablePermalink($url) → $want', ({ url, want }) => {
    expect(isLinkablePermalink(url)).toBe(want);
  });

  it('the reply in the thread links back to the alert and escapes its headline', () => {
    expect(renderAlertRaisedReply(url, 'Deployment demo/<web> is crash-looping').text).toBe(
      `:rotating_light: <${url}|An alert was raised> for this workload: Deployment demo/&lt;web&gt; is crash-looping`,
    );
    expect(renderAlertRaisedReply(undefined, 'x').text).toBe(
      ':rotating_light: An alert was raised for this workload: x',
    );
  });
});

describe('rewriteAlertPrefix keeps what is still true besides the headline', () => {
  const alert: WorkloadAlert = {
    workload: { namespace: 'demo', kind: 'Deployment', name: 'web' },
    channel: 'C0INCIDENT',
    pod: 'web-1',
    reason: 'CrashLoopBackOff',
    failingPods: ['web-1'],
    failingCount: 1,
    since: minutesAgo(20),
  };
  const failing = renderAlertContext(alert, NOW) as Block[];
  const recovered = renderAlertContext({ ...alert, recoveredAt: NOW.toISOString() }, NOW) as Block[];
  const timed = planMute('1h', 'U0BOB0002', new Date(NOW.getTime() - 10 * 60_000)).record;
  const untilRecovery = planMute('recovery', 'U0BOB0002', new Date(NOW.getTime() - 10 * 60_000)).record;
  const notice = (text: string) => ({
    type: 'context',
    block_id: MUTE_NOTICE_BLOCK,
    elements: [{ type: 'mrkdwn', text }],
  });
  const timedNotice = notice(
    ':no_bell: Muted by <@U0BOB0002> until 14:50 UTC: no new alerts or updates for this workload.',
  );
  const recoveryNotice = notice(
    ':no_bell: Muted by <@U0BOB0002> until it recovers: no new alerts or updates for this workload.',
  );
  const other = { type: 'context', block_id: 'debugdead.something-else', elements: [{ type: 'mrkdwn', text: 'x' }] };
  const texts = (blocks: Block[]) => JSON.stringify(blocks);

  it.each([
    {
      name: 'a timed mute still running keeps its notice through the recovery',
      prefix: [...tagAlertHeadline(failing), timedNotice],
      headline: recovered,
      facts: { mute: timed, recovered: true },
      want: [':white_check_mark:', 'Muted by <@U0BOB0002> until 14:50 UTC'],
      not: [':rotating_light:', MUTE_ENDED_TEXT],
    },
    {
      name: '"until it recovers" ends with the recovery, and says so',
      prefix: [...tagAlertHeadline(failing), recoveryNotice],
      headline: recovered,
      facts: { recovered: true },
      want: [MUTE_ENDED_TEXT],
      not: ['Muted by'],
    },
    {
      name: 'a timed mute that expired leaves no notice, even at the recovery',
      prefix: [...tagAlertHeadline(failing), timedNotice],
      headline: recovered,
      facts: { recovered: true },
      want: [':white_check_mark:'],
      not: ['Muted by', MUTE_ENDED_TEXT],
    },
    {
      name: 'failing again: the "mute ended" line goes',
      prefix: [...tagAlertHeadline(recovered), notice(MUTE_ENDED_TEXT)],
      headline: failing,
      facts: { recovered: false },
      want: [':rotating_light:'],
      not: [MUTE_ENDED_TEXT],
    },
    {
      name: 'a mute made from another message shows here too',
      prefix: tagAlertHeadline(failing),
      headline: recovered,
      facts: { mute: untilRecovery, recovered: true },
      want: ['Muted by <@U0BOB0002> until it recovers'],
      not: [],
    },
    {
      name: "an older release's untagged headline is replaced, not repeated",
      prefix: [...failing, timedNotice],
      headline: recovered,
      facts: { mute: timed, recovered: true },
      want: [':white_check_mark:'],
      not: [':rotating_light:'],
    },
  ])('$name', ({ prefix, headline, facts, want, not }) => {
    const out = rewriteAlertPrefix(prefix as Block[], headline, facts);
    for (const w of want) expect(texts(out)).toContain(w);
    for (const n of not) expect(texts(out)).not.toContain(n);
    // Slack refuses a message whose block_ids repeat.
    const ids = out.map((b) => (b as { block_id?: string }).block_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps other tagged blocks in place and the headline first, the notice last', () => {
    const out = rewriteAlertPrefix([...tagAlertHeadline(failing), other as Block, timedNotice as Block], recovered, {
      mute: timed,
      recovered: true,
    });
    expect(out.map((b) => (b as { block_id?: string }).block_id)).toEqual([
      `${ALERT_HEADLINE_BLOCK}.0`,
      `${ALERT_HEADLINE_BLOCK}.1`,
      'debugdead.something-else',
      MUTE_NOTICE_BLOCK,
    ]);
  });

  it('never grows: rewriting again and again gives the same prefix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ recovered: fc.boolean(), muted: fc.constantFrom('none', '1h', 'recovery') }), {
          maxLength: 8,
        }),
        (steps) => {
          let prefix: Block[] = tagAlertHeadline(failing);
          for (const s of steps) {
            const mute = s.muted === '1h' ? timed : s.muted === 'recovery' ? untilRecovery : undefined;
            prefix = rewriteAlertPrefix(prefix, s.recovered ? recovered : failing, { mute, recovered: s.recovered });
            expect(prefix.length).toBeLessThanOrEqual(3);
            // "Muted by" exactly while a mute runs; "mute ended" only on a recovered alert, never beside a notice.
            expect(texts(prefix).includes('Muted by')).toBe(mute !== undefined);
            if (texts(prefix).includes(MUTE_ENDED_TEXT)) expect(s.recovered && !mute).toBe(true);
            expect(texts(prefix)).toContain(s.recovered ? ':white_check_mark:' : ':rotating_light:');
          }
        },
      ),
    );
  });
});
