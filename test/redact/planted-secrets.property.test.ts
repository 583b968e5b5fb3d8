import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTerminal, toTerminalJson } from '../../src/cli/print.js';
import { diagnose, formatDiagnosisText, toDiagnosisJson } from '../../src/diagnosis/index.js';
import type { DiagnosisFacts } from '../../src/diagnosis/types.js';
import { redactFacts } from '../../src/pipeline/index.js';
import {
  renderDiagnosisMessage,
  renderJobProgress,
  renderThreadReplies,
  sealFile,
  sealMessage,
  type ThreadReply,
} from '../../src/render/index.js';
import { container, crashLooping, event, facts, logs, NOW, pod, terminated } from '../diagnosis/fixtures.js';
import { generateSecretLines } from './generate-secrets.js';

const CORPUS = generateSecretLines(777, 2);
const secretLine = fc.constantFrom(...CORPUS);
const noise = fc.oneof(
  fc.constantFrom(
    'level=info msg="ok"',
    'GET /healthz 200',
    '\x1b[31merror\x1b[0m',
    '<!channel>',
    '```',
    '',
    'at x.y(Z.java:1)',
  ),
  fc.string({ maxLength: 40 }),
);
/** Secret lines among ordinary ones, as a log, a message or a config dump holds them. */
const planted = plantedOf(secretLine);
const single = secretLine.filter((s) => !s.line.includes('\n'));

function plantedOf(lines: fc.Arbitrary<(typeof CORPUS)[number]>) {
  return fc
    .array(
      fc.oneof(
        { weight: 2, arbitrary: lines.map((s) => ({ text: s.line, secrets: s.secrets })) },
        noise.map((n) => ({ text: n, secrets: [] as string[] })),
      ),
      {
        minLength: 1,
        maxLength: 12,
      },
    )
    .map((parts) => ({ text: parts.map((p) => p.text).join('\n'), secrets: parts.flatMap((p) => p.secrets) }));
}

/** A crash-looping pod whose logs, events, termination messages, args, env and annotations hold planted secrets. */
const plantedFacts = factsWith(planted);
/** The same with short one-line secrets only: what a renderer can recognise in the lines a diagnosis quotes whole. */
const plantedLines = factsWith(plantedOf(single.filter((s) => s.line.length <= 300)));

function factsWith(planted: ReturnType<typeof plantedOf>) {
  return fc
    .record({
      current: planted,
      previous: planted,
      event: planted,
      termination: planted,
      lastMessage: planted,
      args: fc.array(single, { maxLength: 6 }),
      env: fc.array(single, { maxLength: 4 }),
      annotation: single,
    })
    .map((p): { facts: DiagnosisFacts; secrets: string[] } => {
      const image = 'ghcr.io/acme/api:1.0.0';
      const f = facts(
        pod('leaky', {
          containers: [
            container('app', image, {
              command: ['/app/server'],
              args: p.args.map((a) => a.line),
              env: p.env.map((e, i) => ({ name: `SETTING_${i}`, value: e.line })),
            }),
            container('sidecar', image),
          ],
          statuses: [
            crashLooping(
              'leaky',
              'app',
              image,
              { exitCode: 1, reason: 'Error', message: p.lastMessage.text },
              { restarts: 4 },
            ),
            terminated('sidecar', image, { exitCode: 2, reason: 'Error', message: p.termination.text }, 1),
          ],
        }),
        {
          events: [event('Warning', 'ConfigDump', p.event.text)],
          logs: [logs('app', p.current.text, p.previous.text), logs('sidecar', p.termination.text)],
        },
      );
      f.pod.metadata = { ...f.pod.metadata, annotations: { 'app.example.com/config': p.annotation.line } };
      return {
        facts: { ...f, now: NOW },
        secrets: [
          ...p.current.secrets,
          ...p.previous.secrets,
          ...p.event.secrets,
          ...p.termination.secrets,
          ...p.lastMessage.secrets,
          ...p.args.flatMap((a) => a.secrets),
          ...p.env.flatMap((e) => e.secrets),
          ...p.annotation.secrets,
        ],
      };
    });
}

function everything(replies: ThreadReply[]): string {
  return replies
    .map((r) => (r.kind === 'message' ? JSON.stringify(sealMessage(r.message)) : JSON.stringify(sealFile(r))))
    .join('\n');
}

describe('planted secrets: random secrets in random facts, found in no rendering', () => {
  it('the bot (summary, thread, files) and the CLI (text, JSON) show none of them', () => {
    fc.assert(
      fc.property(plantedFacts, ({ facts: f, secrets }) => {
        const { facts: clean, redactions } = redactFacts(f);
        const d = diagnose(clean);
        const outputs = [
          JSON.stringify(sealMessage(renderDiagnosisMessage(d, { requestId: 'req-r1abcd', redactions }))),
          everything(renderThreadReplies(d, { inlineLogLines: 20 })),
          toTerminal(formatDiagnosisText(d)),
          toTerminalJson(toDiagnosisJson(d)),
        ].join('\n');
        for (const s of secrets) expect(outputs).not.toContain(s);
      }),
      { numRuns: 60 },
    );
  });

  // A key body line alone (a PEM line without its neighbours, a piece of a long escaped key) is recognised only in the
  // whole text, which is why the pipeline redacts the facts before the diagnosis picks and cuts lines; a short
  // one-line secret is recognised wherever it is quoted.
  it('the renderers alone, given unredacted facts, still show no one-line secret (defence in depth)', () => {
    fc.assert(
      fc.property(plantedLines, ({ facts: f, secrets }) => {
        const d = diagnose(f);
        const outputs = [
          JSON.stringify(sealMessage(renderDiagnosisMessage(d, { requestId: 'req-r1abcd', redactions: 0 }))),
          everything(renderThreadReplies(d, { inlineLogLines: 20 })),
        ].join('\n');
        for (const s of secrets) expect(outputs).not.toContain(s);
      }),
      { numRuns: 40 },
    );
  });

  it('a debug clone\u2019s "original command" panel shows no secret of the pod\u2019s args', () => {
    fc.assert(
      fc.property(fc.array(single, { minLength: 1, maxLength: 8 }), (args) => {
        const message = renderJobProgress({
          kind: 'clone',
          target: 'demo/leaky',
          container: 'app',
          requestedBy: 'U1',
          approvedBy: 'U2',
          step: 'ready',
          podName: 'leaky-debug-abc',
          namespace: 'demo',
          originalCommand: ['/app/server', ...args.map((a) => a.line)].join(' '),
          requestId: 'req-r1abcd',
        });
        const out = JSON.stringify(message);
        for (const a of args) for (const s of a.secrets) expect(out).not.toContain(s);
      }),
      { numRuns: 100 },
    );
  });
});
