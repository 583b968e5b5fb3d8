import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ContainerDiagnosis,
  ContainerLogFacts,
  Diagnosis,
  Fetched,
  Finding,
  TerminationFacts,
} from '../../src/diagnosis/types.js';
import type { KubeErrorKind } from '../../src/kube/errors.js';
import {
  type RenderableError,
  renderApprovalRequest,
  renderDiagnosisMessage,
  renderErrorMessage,
  renderJobProgress,
  renderThreadReplies,
  type SlackMessage,
  type TextObject,
} from '../../src/render/index.js';
import { SECRET_SAMPLES } from '../redact/secret-corpus.js';
import { validateMessage } from '../sim/slack/block-kit.js';
import { crashLoop } from './fixtures.js';
import { messagesOf } from './slack-assertions.js';

// Whatever the pod, its events and its logs contain, every message must be one Slack accepts.

const hostile = fc.constantFrom(
  '`',
  '```',
  '````',
  '<',
  '>',
  '&',
  '&amp;',
  '@channel',
  '@here',
  '<!here>',
  '<!channel>',
  '<@U123>',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\x00',
  '\x07',
  '\x1b[31m',
  '\x1b]0;title\x07',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udc00',
  '😀',
  '👩‍👩‍👧',
  '*',
  '_',
  '~',
  ' ',
  'é',
  '\u0301',
  'password=hunter22',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  '-----BEGIN PRIVATE KEY-----',
);

/** Short text from every corner: ASCII, any code point, graphemes, and Slack's special characters. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: hostile, maxLength: 30 }),
  fc.string({ unit: fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 3 })), maxLength: 30 }),
);

/** Log-sized text: the above, plus huge single lines, many lines, and binary noise decoded as UTF-8. */
const bigText = fc.oneof(
  text,
  fc.tuple(text, fc.integer({ min: 1, max: 3000 })).map(([s, n]) => s.repeat(n)),
  fc
    .tuple(fc.string({ unit: hostile, minLength: 1, maxLength: 5 }), fc.integer({ min: 100, max: 20_000 }))
    .map(([s, n]) => s.repeat(n)),
  fc.integer({ min: 0, max: 60_000 }).map((n) => 'x'.repeat(n)),
  fc.array(text, { maxLength: 400 }).map((lines) => lines.join('\n')),
  fc.uint8Array({ maxLength: 4000 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.uint8Array({ maxLength: 4000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

/** Mostly short text, sometimes log-sized: keeps each run fast while still reaching every limit. */
const field = fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: bigText });

const kubeErrorKind = fc.constantFrom<KubeErrorKind>(
  'NotFound',
  'Forbidden',
  'Timeout',
  'Invalid',
  'Conflict',
  'Unavailable',
);
const maybeNumber = fc.option(fc.oneof(fc.nat(), fc.double(), fc.integer({ min: -1000, max: 10_000_000 })), {
  nil: undefined,
});

const fetched: fc.Arbitrary<Fetched<string>> = fc.oneof(
  bigText.map((value) => ({ ok: true as const, value })),
  fc.record({ ok: fc.constant(false as const), kind: kubeErrorKind, message: text }),
);

const termination: fc.Arbitrary<TerminationFacts> = fc.record(
  {
    exitCode: fc.integer({ min: -1, max: 300 }),
    reason: text,
    message: field,
    finishedAt: text,
    ranSeconds: maybeNumber,
    explanation: fc.record({ code: fc.nat(300), meaning: text }),
  },
  { requiredKeys: ['exitCode', 'explanation'] },
);

const containerArb: fc.Arbitrary<ContainerDiagnosis> = fc.record(
  {
    name: text,
    kind: fc.constantFrom('init', 'sidecar', 'app'),
    image: text,
    state: fc.constantFrom('running', 'waiting', 'terminated', 'unknown'),
    reason: text,
    message: field,
    ready: fc.boolean(),
    restartCount: fc.nat(),
    terminated: termination,
    lastTermination: termination,
    backOffSeconds: maybeNumber,
    failing: fc.boolean(),
  },
  { requiredKeys: ['name', 'kind', 'image', 'state', 'ready', 'restartCount', 'failing'] },
);

const finding: fc.Arbitrary<Finding> = fc.record({
  kind: fc.constantFrom('ApplicationError', 'OOMKilled', 'ProbeFailure', 'CommandNotFound', 'Healthy'),
  severity: fc.constantFrom('critical', 'warning', 'info'),
  container: text,
  summary: field,
  evidence: fc.array(field, { maxLength: 12 }),
  recommendation: field,
  action: fc.constantFrom('clone', 'clone-with-busybox', 'clone-without-probes', 'node-shell', 'none'),
});

const logs: fc.Arbitrary<ContainerLogFacts> = fc.record(
  { container: text, current: fetched, previous: fetched },
  { requiredKeys: ['container'] },
);

const diagnosis: fc.Arbitrary<Diagnosis> = fc.record({
  pod: fc.record(
    {
      name: text,
      namespace: text,
      phase: text,
      status: text,
      reason: text,
      message: field,
      node: text,
      owners: fc.array(fc.record({ kind: text, name: text }), { maxLength: 4 }),
      ageSeconds: maybeNumber,
      restartPolicy: text,
      restarts: fc.nat(),
      conditions: fc.array(
        fc.record({ type: text, status: text, reason: text, message: field }, { requiredKeys: ['type', 'status'] }),
        { maxLength: 15 },
      ),
    },
    { requiredKeys: ['name', 'namespace', 'phase', 'status', 'owners', 'restartPolicy', 'restarts', 'conditions'] },
  ),
  verdict: field,
  containers: fc.array(containerArb, { maxLength: 12 }),
  findings: fc.array(finding, { minLength: 1, maxLength: 6 }),
  events: fc.array(fc.record({ type: text, reason: text, message: field, count: fc.nat(), ageSeconds: maybeNumber }), {
    maxLength: 120,
  }),
  logs: fc.array(logs, { maxLength: 5 }),
  missing: fc.array(fc.record({ what: text, kind: kubeErrorKind, message: field }), { maxLength: 8 }),
});

const requestId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);

/** Slack accepts it, `text` stays under 4,000, no broken UTF-16 or control characters, code fences balanced. */
function expectWellFormed(message: SlackMessage): void {
  const verdict = validateMessage(message);
  if (!verdict.ok) throw new Error(`${verdict.error}: ${verdict.messages.slice(0, 3).join(' | ')}`);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  for (const { text: t, mrkdwn } of allTexts(message)) {
    expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(t).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    // Only mrkdwn renders code blocks; plain_text shows backticks as they are.
    if (mrkdwn)
      expect((t.match(/```/g) ?? []).length % 2, `unbalanced fences in ${JSON.stringify(t).slice(0, 400)}`).toBe(0);
  }
}

function allTexts(message: SlackMessage): { text: string; mrkdwn: boolean }[] {
  const out = [{ text: message.text, mrkdwn: true }];
  const add = (...objects: (TextObject | undefined)[]) => {
    for (const o of objects) if (o) out.push({ text: o.text, mrkdwn: o.type === 'mrkdwn' });
  };
  for (const b of message.blocks) {
    if (b.type === 'header') add(b.text);
    if (b.type === 'section') add(b.text, ...(b.fields ?? []));
    if (b.type === 'context') add(...b.elements);
    if (b.type === 'actions') {
      for (const e of b.elements) add(e.text, e.confirm?.title, e.confirm?.text, e.confirm?.confirm, e.confirm?.deny);
    }
  }
  return out;
}

const RUNS = { numRuns: 60, endOnFailure: true };

describe('rendering arbitrary pods, events and logs', () => {
  it('every diagnosis message is accepted by Slack', () => {
    fc.assert(
      fc.property(diagnosis, requestId, fc.nat(), fc.boolean(), (d, id, redactions, nodeShellAvailable) => {
        expectWellFormed(renderDiagnosisMessage(d, { requestId: id, redactions, nodeShellAvailable }));
      }),
      RUNS,
    );
  });

  it('every thread reply, file comments included, is accepted by Slack', () => {
    fc.assert(
      fc.property(
        diagnosis,
        fc.integer({ min: -5, max: 300 }),
        fc.option(fc.integer({ min: -10, max: 20_000 }), { nil: undefined }),
        (d, inlineLogLines, maxInlineChars) => {
          const replies = renderThreadReplies(d, { inlineLogLines, maxInlineChars });
          for (const m of messagesOf(replies)) expectWellFormed(m);
          for (const r of replies) if (r.kind === 'file') expect(r.filename).toMatch(/^[A-Za-z0-9._-]+\.log$/);
        },
      ),
      RUNS,
    );
  });

  it('any log content, alone in an otherwise ordinary pod, renders within limits', () => {
    fc.assert(
      fc.property(bigText, bigText, fc.integer({ min: 0, max: 100 }), (current, previous, inlineLogLines) => {
        const d: Diagnosis = {
          ...crashLoop,
          logs: [{ container: 'app', current: { ok: true, value: current }, previous: { ok: true, value: previous } }],
        };
        for (const m of messagesOf(renderThreadReplies(d, { inlineLogLines }))) expectWellFormed(m);
      }),
      { numRuns: 150 },
    );
  });

  it('a secret of the corpus, anywhere in logs, events or evidence, shows in no message and no file', () => {
    const sample = fc.constantFrom(...SECRET_SAMPLES);
    fc.assert(
      fc.property(sample, text, text, fc.integer({ min: 0, max: 40 }), (s, before, after, inlineLogLines) => {
        const noisy = `${before}\n${s.line}\n${after}`;
        const d: Diagnosis = {
          ...crashLoop,
          findings: [{ ...crashLoop.findings[0]!, summary: noisy, evidence: [noisy], recommendation: noisy }],
          events: [{ type: 'Warning', reason: 'BackOff', message: noisy, count: 2 }],
          logs: [
            {
              container: 'app',
              current: { ok: true, value: noisy.repeat(inlineLogLines) },
              previous: { ok: true, value: noisy },
            },
          ],
        };
        const replies = renderThreadReplies(d, { inlineLogLines });
        const everything = [
          JSON.stringify(renderDiagnosisMessage(d, { requestId: 'r0000000', redactions: 0 })),
          JSON.stringify(replies),
          ...replies.map((r) => (r.kind === 'file' ? r.content : '')),
        ].join('\n');
        // Undo mrkdwn escaping so a secret with `&` or `<` in it cannot hide behind its entity form.
        const readable = everything
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&')
          .replace(/\u200b/g, '');
        expect(readable).not.toContain(JSON.stringify(s.secret).slice(1, -1));
        expect(readable).not.toContain(s.secret);
      }),
      { numRuns: 100 },
    );
  });

  it('rendering is pure: the same diagnosis renders the same messages', () => {
    fc.assert(
      fc.property(diagnosis, requestId, (d, id) => {
        expect(renderDiagnosisMessage(d, { requestId: id, redactions: 1 })).toEqual(
          renderDiagnosisMessage(d, { requestId: id, redactions: 1 }),
        );
        expect(renderThreadReplies(d, { inlineLogLines: 20 })).toEqual(renderThreadReplies(d, { inlineLogLines: 20 }));
      }),
      { numRuns: 8 },
    );
  });
});

const renderableError: fc.Arbitrary<RenderableError> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('NotFound' as const),
      resource: text,
      name: text,
      namespace: text,
      closestNames: fc.array(text, { maxLength: 50 }),
      namespacesWithName: fc.array(text, { maxLength: 50 }),
      message: bigText,
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    {
      kind: fc.constant('Forbidden' as const),
      verb: text,
      resource: text,
      namespace: text,
      serviceAccount: text,
      message: bigText,
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constant('Timeout' as const), what: text, timeoutSeconds: fc.nat(), message: bigText },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constantFrom('Invalid' as const, 'Conflict' as const, 'Unavailable' as const), message: bigText },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constant('Policy' as const), namespace: text, reason: bigText, message: bigText },
    { requiredKeys: ['kind'] },
  ),
  fc.record(
    { kind: fc.constant('Usage' as const), usage: bigText, problem: bigText },
    { requiredKeys: ['kind', 'usage'] },
  ),
);

describe('rendering arbitrary errors, job states and approval requests', () => {
  it('every error message is accepted by Slack', () => {
    fc.assert(
      fc.property(renderableError, (e) => expectWellFormed(renderErrorMessage(e))),
      { numRuns: 150 },
    );
  });

  it('every job progress message is accepted by Slack', () => {
    const state = fc.record(
      {
        kind: fc.constantFrom('clone' as const, 'node-shell' as const),
        target: text,
        container: text,
        requestedBy: text,
        approvedBy: text,
        step: fc.constantFrom(
          'requested' as const,
          'awaiting-approval' as const,
          'approved' as const,
          'creating' as const,
          'ready' as const,
          'failed' as const,
          'deleted' as const,
        ),
        podName: text,
        namespace: text,
        execCommand: bigText,
        originalCommand: bigText,
        expiresAt: fc.oneof(
          text,
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        notes: fc.array(bigText, { maxLength: 15 }),
        error: bigText,
        requestId,
        canExtend: fc.boolean(),
      },
      { requiredKeys: ['kind', 'target', 'requestedBy', 'step', 'requestId'] },
    );
    fc.assert(
      fc.property(state, (s) => expectWellFormed(renderJobProgress(s))),
      { numRuns: 150 },
    );
  });

  it('every approval request is accepted by Slack', () => {
    const request = fc.record({
      requestId,
      kind: fc.constantFrom('clone' as const, 'node-shell' as const),
      target: bigText,
      requestedBy: text,
      approvers: fc.record({ users: fc.array(text, { maxLength: 60 }), groups: fc.array(text, { maxLength: 60 }) }),
      required: fc.constantFrom(1 as const, 2 as const, undefined),
      anyone: fc.boolean(),
    });
    fc.assert(
      fc.property(request, (r) => expectWellFormed(renderApprovalRequest(r))),
      { numRuns: 150 },
    );
  });
});
