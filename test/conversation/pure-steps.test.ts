import { describe, expect, it } from 'vitest';
import { composeParentMessage } from '../../src/conversation/compose-parent-message.js';
import { debugPodReadiness } from '../../src/conversation/debug-pod-readiness.js';
import { describeFailure } from '../../src/conversation/describe-failure.js';
import type { DiagnosisFacts } from '../../src/diagnosis/index.js';
import { KubeError } from '../../src/kube/index.js';
import { foldDuplicateLogs, redactFacts } from '../../src/pipeline/index.js';
import { validateMessage } from '../sim/slack/block-kit.js';

const facts = (logs: DiagnosisFacts['logs'], extra: Partial<DiagnosisFacts> = {}): DiagnosisFacts => ({
  pod: { metadata: { name: 'web-1', namespace: 'prod' } },
  events: { ok: true, value: [] },
  logs,
  owners: { ok: true, value: [] },
  now: new Date('2026-11-23T10:00:00Z'),
  ...extra,
});

describe('folding the duplicate log of a crash-looping container', () => {
  it.each([
    [
      'identical current and previous keep only previous',
      { ok: true, value: 'boom' },
      { ok: true, value: 'boom' },
      ['previous'],
    ],
    [
      'different instances keep both',
      { ok: true, value: 'now' },
      { ok: true, value: 'before' },
      ['current', 'previous'],
    ],
    [
      'a failed read is never folded away',
      { ok: false, kind: 'Timeout', message: 'slow' },
      { ok: true, value: 'x' },
      ['current', 'previous'],
    ],
    ['no previous keeps current', { ok: true, value: 'only' }, undefined, ['current']],
  ] as const)('%s', (_name, current, previous, want) => {
    const [l] = foldDuplicateLogs(
      facts([{ container: 'app', current, ...(previous ? { previous } : {}) } as any]),
    ).logs;
    expect(Object.keys(l!).filter((k) => k !== 'container')).toEqual(want);
  });
});

describe('redacting facts before they leave the cluster', () => {
  it('scrubs logs, event messages and termination messages, and counts what it removed', () => {
    const input = facts([{ container: 'app', current: { ok: true, value: 'password=hunter2 ok' } }], {
      events: {
        ok: true,
        value: [
          { message: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456', involvedObject: {}, metadata: {} },
        ],
      },
      pod: {
        metadata: { name: 'web-1', namespace: 'prod' },
        status: {
          containerStatuses: [
            {
              name: 'app',
              image: 'x',
              imageID: '',
              ready: false,
              restartCount: 1,
              lastState: { terminated: { exitCode: 1, message: 'token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' } },
            },
          ],
        },
      },
    });
    const { facts: out, redactions } = redactFacts(input);
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/hunter2|abcdefghijklmnopqrstuvwxyz123456|ghp_abcdefghijklmnopqrstuvwxyz0123456789/);
    expect(redactions).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(input)).toContain('hunter2');
  });
});

describe('is the debug pod ready yet', () => {
  const pod = (status: any) => ({ metadata: { name: 'c' }, status }) as any;
  it.each([
    [
      'target running',
      pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] }),
      'ready',
    ],
    [
      'still pulling',
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }],
      }),
      'starting',
    ],
    [
      'image pull failure',
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }],
      }),
      'failed',
    ],
    [
      'unschedulable',
      pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' }],
      }),
      'failed',
    ],
    [
      'injector failed',
      pod({
        phase: 'Pending',
        initContainerStatuses: [{ name: 'debugdead-tools', state: { terminated: { exitCode: 1 } } }],
      }),
      'failed',
    ],
    ['deadline passed', pod({ phase: 'Failed', reason: 'DeadlineExceeded' }), 'failed'],
    ['no status yet', pod(undefined), 'starting'],
  ])('%s → %s', (_name, p, want) => expect(debugPodReadiness(p, 'app').state).toBe(want));
});

describe('what a person reads when a flow fails unexpectedly', () => {
  it.each([
    [
      Object.assign(new Error('Reached the max retries per request limit (which is 2).'), {
        name: 'MaxRetriesPerRequestError',
      }),
      /cannot reach its Redis/,
    ],
    [new KubeError('Forbidden', 403, 'pods is forbidden'), /Kubernetes answered Forbidden \(403\)/],
    [new Error('kaboom'), /Something unexpected went wrong/],
  ])('%s', (err, want) => expect(describeFailure(err)).toMatch(want));
});

describe('the parent message with progress panels', () => {
  const diagnosis = {
    text: 'demo/web — CrashLoopBackOff',
    blocks: Array.from({ length: 45 }, (_, i) => ({
      type: 'section',
      text: { type: 'mrkdwn', text: `block ${i} ${'x'.repeat(200)}` },
    })).concat([
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'debugdead.clone.0',
            text: { type: 'plain_text', text: 'Create debug clone' },
            value: 'id#0',
          },
        ],
      } as any,
    ]),
  };
  it('stays within Slack limits however many panels it carries, keeping the buttons', () => {
    const panels = ['c0', 'c1', 'n'].map((slot, i) => ({
      kind: i === 2 ? ('node-shell' as const) : ('clone' as const),
      target: 'demo/web',
      requestedBy: 'U1',
      step: 'ready' as const,
      podName: `web-debug-${slot}`,
      namespace: 'demo',
      expiresAt: '2026-11-23T11:00:00Z',
      requestId: `abcdefgh.${slot}`,
    }));
    const message = composeParentMessage(diagnosis, panels);
    expect(validateMessage(message)).toEqual({ ok: true });
    expect(JSON.stringify(message.blocks)).toContain('debugdead.clone.0');
  });
});
