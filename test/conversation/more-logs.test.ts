import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeMoreLogsValue,
  MORE_LOGS_MENU_TEXT_BUDGET,
  type MoreLogsPick,
  moreLogsChoices,
  parseMoreLogsValue,
  renderMoreLogsMenu,
} from '../../src/conversation/more-logs-menu.js';
import { moreLogsRead, planMoreLogs, sliceOlderLines } from '../../src/conversation/plan-more-logs.js';
import type { ContainerDiagnosis, ContainerLogFacts, LogCut, TerminationFacts } from '../../src/diagnosis/index.js';
import { validateMessage } from '../sim/slack/block-kit.js';

const ID = 'AbCdEfGh12';
const ok = (value: string) => ({ ok: true as const, value });
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `l${from + i}`).join('\n');

const container = (over: Partial<ContainerDiagnosis> = {}): ContainerDiagnosis => ({
  name: 'app',
  kind: 'app',
  image: 'ghcr.io/acme/app:1',
  state: 'running',
  ready: true,
  restartCount: 0,
  failing: false,
  ...over,
});
const crashed: TerminationFacts = {
  exitCode: 1,
  explanation: { code: 1, meaning: 'the application reported an error' },
  finishedAt: '2026-11-23T09:58:00Z',
};
/** Waiting in back-off after its 4th restart: the thread showed its last run once, as previous. */
const backingOff = container({
  state: 'waiting',
  reason: 'CrashLoopBackOff',
  restartCount: 4,
  lastTermination: crashed,
  failing: true,
  backOffSeconds: 300,
});
/** Running again after 4 restarts: the thread showed both instances. */
const restarted = container({ restartCount: 4, lastTermination: crashed });

describe('the menu offers, per container, what the thread did not show', () => {
  it.each([
    [
      'a container waiting in back-off (the thread folded its two reads into one)',
      backingOff,
      { container: 'app', previous: ok('x') },
      ['op:0:4', 'h1p:0:4', 'h6p:0:4', 'nc:0:5'],
    ],
    [
      'a running container that restarted (both instances shown)',
      restarted,
      { container: 'app', current: ok('x'), previous: ok('y') },
      ['op:0:3', 'oc:0:4', 'h1c:0:4', 'h6c:0:4'],
    ],
    [
      'a running container never restarted',
      container(),
      { container: 'app', current: ok('x') },
      ['oc:0:0', 'h1c:0:0', 'h6c:0:0'],
    ],
    [
      'a debug container the thread never showed',
      container({ kind: 'ephemeral', name: 'debugger' }),
      undefined,
      ['h1c:0:0', 'h6c:0:0', 'nc:0:0'],
    ],
    [
      'a container that never started (image pull): only the newest instance, which answers why there is none',
      container({ state: 'waiting', reason: 'ErrImagePull', failing: true }),
      { container: 'app', current: { ok: false as const, kind: 'Invalid', message: 'is waiting to start' } },
      ['nc:0:0'],
    ],
    [
      'a current read that failed: its older lines are not offered, the newest instance is',
      restarted,
      { container: 'app', current: { ok: false as const, kind: 'Timeout', message: 'slow' }, previous: ok('y') },
      ['op:0:3', 'h1p:0:3', 'h6p:0:3', 'nc:0:4'],
    ],
  ])('%s', (_name, c, shown, want) => {
    const values = moreLogsChoices(c, shown as ContainerLogFacts | undefined, 0).map((choice) =>
      encodeMoreLogsValue({ ...choice, diagnosisId: ID }).replace(`:${ID}`, ''),
    );
    expect(values).toEqual(want);
  });

  it('groups options by container, failing first, and is a select Slack accepts', () => {
    const menu = renderMoreLogsMenu(ID, {
      containers: [
        container({ name: 'web' }),
        { ...backingOff, name: 'api' },
        container({ name: 'init', kind: 'init', state: 'terminated' }),
      ],
      logs: [
        { container: 'web', current: ok('w') },
        { container: 'api', previous: ok('a') },
        { container: 'init', current: ok('i') },
      ],
    })!;
    expect(menu.option_groups.map((g) => g.label.text)).toEqual(['api · failing', 'web', 'init · init container']);
    expect(menu.option_groups[0]!.options.map((o) => o.text.text)).toEqual([
      'Older 500 lines · previous instance',
      'Last 1 h · previous instance',
      'Last 6 h · previous instance',
      'Newest instance',
    ]);
    // Values carry the container's index in the record, whatever the display order.
    expect(menu.option_groups[0]!.options[0]!.value).toBe(`op:1:4:${ID}`);
    expect(validateMessage({ text: 't', blocks: [{ type: 'actions', elements: [menu] }] })).toEqual({ ok: true });
  });

  it('no containers: no menu', () => {
    expect(renderMoreLogsMenu(ID, { containers: [], logs: [] })).toBeUndefined();
  });

  const arbContainer = fc.record({
    name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/),
    kind: fc.constantFrom('app', 'init', 'sidecar', 'ephemeral') as fc.Arbitrary<ContainerDiagnosis['kind']>,
    state: fc.constantFrom('running', 'waiting', 'terminated', 'unknown') as fc.Arbitrary<ContainerDiagnosis['state']>,
    restartCount: fc.oneof(fc.nat(10), fc.nat(2_000_000)),
    crashed: fc.boolean(),
    failing: fc.boolean(),
    shownCurrent: fc.boolean(),
    shownPrevious: fc.boolean(),
  });
  const arbDiagnosis = fc.array(arbContainer, { maxLength: 120 }).map((cs) => ({
    containers: cs.map((c, i) =>
      container({
        name: `${c.name.slice(0, 58)}-${i}`,
        kind: c.kind,
        state: c.state,
        restartCount: c.restartCount,
        failing: c.failing,
        ...(c.crashed ? { lastTermination: crashed } : {}),
      }),
    ),
    logs: cs.map((c, i) => ({
      container: `${c.name.slice(0, 58)}-${i}`,
      ...(c.shownCurrent ? { current: ok('c') } : {}),
      ...(c.shownPrevious ? { previous: ok('p') } : {}),
    })),
  }));
  const arbId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);

  it('any pod: the menu is within Slack limits and its text budget, and every value parses back to its option', () => {
    fc.assert(
      fc.property(arbDiagnosis, arbId, (d, id) => {
        const menu = renderMoreLogsMenu(id, d);
        if (!menu) return d.containers.length === 0;
        expect(validateMessage({ text: 't', blocks: [{ type: 'actions', elements: [menu] }] })).toEqual({ ok: true });
        const options = menu.option_groups.flatMap((g) => g.options);
        const chars = menu.option_groups.reduce(
          (n, g) => n + g.label.text.length + g.options.reduce((m, o) => m + o.text.text.length, 0),
          0,
        );
        expect(chars).toBeLessThanOrEqual(MORE_LOGS_MENU_TEXT_BUDGET);
        for (const o of options) {
          const pick = parseMoreLogsValue(o.value);
          expect(pick && encodeMoreLogsValue(pick)).toBe(o.value);
          expect(pick?.diagnosisId).toBe(id);
          expect(d.containers[pick!.container]).toBeDefined();
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  /** Strings near the value grammar: the parser must accept exactly the canonical ones the renderer can produce. */
  const nearValue = fc
    .tuple(
      fc.constantFrom('op', 'oc', 'h1p', 'h1c', 'h6p', 'h6c', 'nc', 'np', 'h2c', 'o', 'xc', 'OP'),
      fc.oneof(fc.nat(150).map(String), fc.constantFrom('00', '01', '-1', '1.5', '')),
      fc.oneof(fc.nat(2_000_000).map(String), fc.constantFrom('007', '-3', '', '1e3')),
      fc.oneof(arbId, fc.constantFrom('short', `${'a'.repeat(65)}`, 'has space1', 'colon:in:it')),
    )
    .map(([code, container, attempt, id]) => `${code}:${container}:${attempt}:${id}`);

  it('the parser accepts exactly the values the renderer can produce', () => {
    fc.assert(
      fc.property(fc.oneof(nearValue, fc.string()), (value) => {
        const pick = parseMoreLogsValue(value);
        if (!pick) return true;
        // Canonical: the renderer would write exactly this string for this pick...
        expect(encodeMoreLogsValue(pick)).toBe(value);
        // ...and a pod exists for which it does: the pick's container index, attempt and choice are renderable.
        expect(pick.container).toBeLessThanOrEqual(99);
        expect(pick.attempt).toBeLessThanOrEqual(999_999);
        expect(isRenderable(pick)).toBe(true);
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  /** Builds a pod whose menu holds `pick`'s value: the witness that the renderer produces it. */
  function isRenderable(pick: MoreLogsPick): boolean {
    const { range, instance, attempt } = pick;
    const c =
      range.kind === 'newer'
        ? // newest after a shown previous instance of attempt-1 (a container in back-off), or after nothing shown
          attempt === 0
          ? container({ kind: 'ephemeral' })
          : container({ state: 'waiting', restartCount: attempt - 1, lastTermination: crashed })
        : instance === 'previous'
          ? container({ state: 'waiting', restartCount: attempt, lastTermination: crashed })
          : container({ restartCount: attempt });
    const shown =
      range.kind === 'newer'
        ? attempt === 0
          ? undefined
          : { container: 'x', previous: ok('p') }
        : instance === 'previous'
          ? { container: 'x', previous: ok('p') }
          : { container: 'x', current: ok('c') };
    const containers = Array.from({ length: pick.container + 1 }, (_, i) =>
      i === pick.container ? { ...c, name: 'x', failing: true } : container({ name: `c${i}` }),
    );
    const menu = renderMoreLogsMenu(pick.diagnosisId, { containers, logs: shown ? [shown] : [] });
    const value = encodeMoreLogsValue(pick);
    return Boolean(menu?.option_groups.some((g) => g.options.some((o) => o.value === value)));
  }
});

describe('slicing the older lines out of a longer tail', () => {
  it.each([
    [
      'a long log: the 500 before the thread’s 200',
      numbered(1, 700),
      { by: 'tail', lines: 700 },
      200,
      { by: 'lines', before: numbered(1, 500).split('\n'), fromStart: false },
    ],
    [
      'a shorter log: what there is, from its start',
      numbered(1, 450),
      undefined,
      200,
      { by: 'lines', before: numbered(1, 250).split('\n'), fromStart: true },
    ],
    ['the thread showed it all', numbered(1, 150), undefined, 200, { by: 'lines', before: [], fromStart: true }],
    ['an empty log', '', undefined, 200, { by: 'lines', before: [], fromStart: true }],
    [
      'a final newline ends the last line',
      `${numbered(1, 201)}\n`,
      undefined,
      200,
      { by: 'lines', before: ['l1'], fromStart: true },
    ],
    [
      'a read cut at limitBytes: the complete lines of its head, said to be unplaced',
      `${numbered(1, 3)}\nl4-cut-mid`,
      { by: 'bytes', limitBytes: 20 },
      200,
      { by: 'bytes', lines: ['l1', 'l2', 'l3'] },
    ],
  ] as const)('%s', (_name, text, cut, shown, want) => {
    expect(sliceOlderLines(text, cut as LogCut | undefined, shown, 500)).toEqual(want);
  });
});

describe('what a pick posts', () => {
  const base = {
    container: 'app',
    pod: { namespace: 'prod', name: 'api-1' },
    user: 'U0BOB0002',
    thread: { tailLines: 200, limitBytes: 262_144 },
    now: new Date('2026-11-23T10:00:00Z'),
  };
  const pick = (over: Partial<MoreLogsPick>): MoreLogsPick => ({
    range: { kind: 'older' },
    instance: 'previous',
    container: 0,
    attempt: 4,
    diagnosisId: ID,
    ...over,
  });

  it.each([
    [
      'the reads: older adds 500 to the tail, a window caps at 2000 lines, the newest reads as the thread did',
      [pick({}), pick({ range: { kind: 'since', seconds: 21600 } }), pick({ range: { kind: 'newer' } })].map((p) =>
        moreLogsRead(p, base.thread),
      ),
      [
        { tailLines: 700, limitBytes: 1_048_576 },
        { tailLines: 2000, limitBytes: 1_048_576, sinceSeconds: 21600 },
        { tailLines: 200, limitBytes: 262_144 },
      ],
    ],
  ])('%s', (_name, got, want) => {
    expect(got).toEqual(want);
  });

  it.each([
    [
      'older lines of the shown instance, still in back-off',
      pick({}),
      backingOff,
      { container: 'app', previous: ok(numbered(1, 700)), cut: { previous: { by: 'tail', lines: 700 } } },
      ':mag: More logs of `app`, previous instance (restart 4), for <@U0BOB0002>: the 500 lines before the last 200 the thread showed. Earlier lines: `kubectl logs -n prod api-1 -c app --previous --tail=1200`.',
      500,
    ],
    [
      'older lines after one restart: the shown instance is now the previous one, still readable',
      pick({}),
      container({ restartCount: 5, lastTermination: crashed }),
      { container: 'app', current: ok('new'), previous: ok(numbered(1, 300)) },
      ':mag: More logs of `app`, previous instance (restart 4), for <@U0BOB0002>: the 100 lines before the last 200 the thread showed; the log starts there (only 100 earlier lines).',
      100,
    ],
    [
      'older lines of a running instance that crashed since (no restart yet): counted from its end',
      pick({ instance: 'current', attempt: 4 }),
      container({ state: 'waiting', restartCount: 4, lastTermination: crashed }),
      { container: 'app', previous: ok(numbered(1, 300)) },
      ':mag: More logs of `app`, previous instance (restart 4), for <@U0BOB0002>: the 100 lines before the last 200 the thread showed (it ran on after the thread and ended: counted from its end); the log starts there (only 100 earlier lines).',
      100,
    ],
    [
      'older lines once the instance restarted twice: gone',
      pick({ instance: 'current', attempt: 4 }),
      container({ state: 'waiting', restartCount: 5, lastTermination: crashed }),
      { container: 'app', previous: ok(numbered(1, 300)) },
      ':hourglass: More logs of `app`, for <@U0BOB0002>: the instance the thread showed (restart 4) is gone: the container restarted since (restart 5 now), and the kubelet keeps only the last ended instance. Run `/debugdead` again for the newest.',
      0,
    ],
    [
      'older lines of a still-running instance',
      pick({ instance: 'current', attempt: 0 }),
      container(),
      { container: 'app', current: ok(numbered(1, 250)) },
      ':mag: More logs of `app`, current instance (restart 0), for <@U0BOB0002>: the 50 lines before the last 200 the thread showed (it is still writing: counted from its end now); the log starts there (only 50 earlier lines).',
      50,
    ],
    [
      'older lines when the kubelet cut the read at its byte limit',
      pick({}),
      backingOff,
      { container: 'app', previous: ok('l1\nl2\nl3-cut'), cut: { previous: { by: 'bytes', limitBytes: 1_048_576 } } },
      ":mag: More logs of `app`, previous instance (restart 4), for <@U0BOB0002>: the first 2 lines of its last 700. The kubelet stopped the read at 1 MiB (4 × logs.limitBytes), so where the thread's lines begin is not known, and some may repeat them. The whole log: `kubectl logs -n prod api-1 -c app --previous`",
      2,
    ],
    [
      'a window, capped',
      pick({ range: { kind: 'since', seconds: 3600 } }),
      backingOff,
      { container: 'app', previous: ok(numbered(1, 2000)), cut: { previous: { by: 'tail', lines: 2000 } } },
      ':mag: More logs of `app`, previous instance (restart 4), for <@U0BOB0002>: the last 1 h, capped at its last 2000 lines: earlier lines of the window are not shown (`kubectl logs -n prod api-1 -c app --previous --since=1h`).',
      2000,
    ],
    [
      'an empty window',
      pick({ range: { kind: 'since', seconds: 21600 }, instance: 'current', attempt: 0 }),
      container(),
      { container: 'app', current: ok('') },
      ':mag: More logs of `app`, current instance (restart 0), for <@U0BOB0002>: nothing written in the last 6 h.',
      0,
    ],
    [
      'the newest instance while in back-off: none yet, with the next start',
      pick({ range: { kind: 'newer' }, instance: 'current', attempt: 5 }),
      backingOff,
      { container: 'app', previous: ok('crash') },
      ':hourglass: More logs of `app`, for <@U0BOB0002>: no newer instance yet: the container is waiting in back-off (CrashLoopBackOff), next start in about 3 min; the thread already shows its last run (restart 4).',
      0,
    ],
    [
      'the newest instance once it restarted and crashed again: the kubelet now calls it previous',
      pick({ range: { kind: 'newer' }, instance: 'current', attempt: 5 }),
      container({ state: 'waiting', reason: 'CrashLoopBackOff', restartCount: 5, lastTermination: crashed }),
      { container: 'app', previous: ok('second crash') },
      ':mag: More logs of `app`, newest instance (restart 5), for <@U0BOB0002>: 1 line; it has ended (exit 1).',
      1,
    ],
    [
      'the newest instance of a container that never started',
      pick({ range: { kind: 'newer' }, instance: 'current', attempt: 0 }),
      container({ state: 'waiting', reason: 'ImagePullBackOff' }),
      undefined,
      ':hourglass: More logs of `app`, for <@U0BOB0002>: `app` has not started yet (ImagePullBackOff), so it has no log.',
      0,
    ],
    [
      'a container the pod no longer has',
      pick({}),
      undefined,
      undefined,
      ':x: More logs of `app`, for <@U0BOB0002>: the pod has no container `app` any more.',
      0,
    ],
    [
      'a read that failed, its message escaped',
      pick({}),
      backingOff,
      {
        container: 'app',
        previous: { ok: false as const, kind: 'Forbidden', message: 'pods "api-1" is forbidden <!channel>' },
      },
      ':warning: More logs of `app`, previous instance, for <@U0BOB0002>: could not be read: Forbidden: pods "api-1" is forbidden &lt;!channel&gt;',
      0,
    ],
  ])('%s', (_name, p, status, logs, header, lines) => {
    const answer = planMoreLogs({
      ...base,
      pick: p,
      status,
      logs: logs as ContainerLogFacts | undefined,
      read: moreLogsRead(p, base.thread),
    });
    expect(answer.header).toBe(header);
    expect(answer.log ? answer.log.text.split('\n').length : 0).toBe(lines);
    expect(answer.detail).toMatch(/^more logs: app, /);
  });
});
