import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/diagnosis/types.js';
import { renderDiagnosisMessage } from '../../src/render/index.js';
import { container, crashLoop, multiFailing, oomKilled, partialEvidence, unschedulable } from './fixtures.js';
import { buttonsOf, expectSlackAccepts, visibleText } from './slack-assertions.js';

const opts = { requestId: 'req-7f3a', redactions: 3 };

describe('renderDiagnosisMessage', () => {
  it('shows the verdict as the header a person reads first', () => {
    const msg = renderDiagnosisMessage(crashLoop, opts);
    expect(msg.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'demo/web-1 — CrashLoopBackOff, exit 1 (23 restarts)', emoji: true },
    });
    expect(msg.text).toContain('demo/web-1 — CrashLoopBackOff, exit 1 (23 restarts)');
  });

  it('lists node, owner chain, age, last exit with its meaning and restarts as fields', () => {
    const msg = renderDiagnosisMessage(crashLoop, opts);
    const fields = msg.blocks.flatMap((b) => (b.type === 'section' && b.fields ? b.fields.map((f) => f.text) : []));
    expect(fields).toEqual([
      '*Status*\nCrashLoopBackOff',
      '*Node*\nnode-1',
      '*Owner*\nDeployment/web (via ReplicaSet/web-7d9f8b6c5d)',
      '*Age*\n90m',
      '*Last exit*\n1 — the application exited with an error after 3s',
      '*Restarts*\n23',
    ]);
  });

  it('names the termination reason when it adds to the exit code, as OOMKilled does', () => {
    const text = visibleText(renderDiagnosisMessage(oomKilled, opts));
    expect(text).toContain('*Last exit*\n137 — killed by SIGKILL (often the OOM killer) (OOMKilled) after 12s');
  });

  it('gives the top finding with its evidence in a code block and the next step', () => {
    const text = visibleText(renderDiagnosisMessage(crashLoop, opts));
    expect(text).toContain(':red_circle: *app exits with code 1 three seconds after start');
    expect(text).toContain('```\nError: connect ECONNREFUSED 10.0.0.12:5432\n    at TCPConnectWrap.afterConnect');
    expect(text).toContain('*Next step:* Check that the database');
  });

  it.each([
    [3, ':lock: 3 secrets redacted from logs and events'],
    [1, ':lock: 1 secret redacted from logs and events'],
    [0, ':lock: no secrets found in logs and events'],
  ])('with %i redactions the context line says "%s"', (redactions, line) => {
    expect(visibleText(renderDiagnosisMessage(crashLoop, { ...opts, redactions }))).toContain(line);
  });

  it('says which evidence is missing', () => {
    const text = visibleText(renderDiagnosisMessage(partialEvidence, opts));
    expect(text).toContain(':warning: Missing evidence: events (Forbidden), logs of app (previous) (Timeout)');
  });

  it('offers one "Create debug clone" and one "Open node shell" button for a single crashing container', () => {
    const buttons = buttonsOf(renderDiagnosisMessage(crashLoop, opts));
    expect(buttons.map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      ['Create debug clone', 'debugdead.clone.0', 'req-7f3a.c0'],
      ['Open node shell', 'debugdead.node_shell', 'req-7f3a.n'],
    ]);
    expect(buttons[0]?.style).toBe('primary');
  });

  it('asks for confirmation before creating anything, saying what is created and that it is deleted after its TTL', () => {
    const [clone, shell] = buttonsOf(renderDiagnosisMessage(crashLoop, opts));
    expect(clone?.confirm?.title.text).toBe('Create a debug clone?');
    expect(clone?.confirm?.text.text).toContain('Creates a copy of demo/web-1 where container app sleeps');
    expect(clone?.confirm?.text.text).toContain('deleted automatically after its TTL');
    expect([clone?.confirm?.confirm.text, clone?.confirm?.deny.text]).toEqual(['Create clone', 'Cancel']);
    expect(shell?.confirm?.text.text).toContain('privileged pod on node node-1');
    expect(shell?.confirm?.text.text).toContain('deleted automatically after its TTL');
    expect(shell?.confirm?.style).toBe('danger');
  });

  it('offers one clone button per failing container, at most 3, labelled by name, valued by container index', () => {
    const buttons = buttonsOf(renderDiagnosisMessage(multiFailing, opts));
    expect(buttons.map((b) => [b.text.text, b.action_id, b.value])).toEqual([
      // api first: the top finding is about it.
      ['Create debug clone: api', 'debugdead.clone.2', 'req-7f3a.c2'],
      ['Create debug clone: worker', 'debugdead.clone.1', 'req-7f3a.c1'],
      ['Create debug clone: cron', 'debugdead.clone.4', 'req-7f3a.c4'],
      ['Open node shell', 'debugdead.node_shell', 'req-7f3a.n'],
    ]);
  });

  it('when nothing fails, offers a clone of the first app container, not the init container', () => {
    const buttons = buttonsOf(renderDiagnosisMessage(unschedulable, opts));
    expect(buttons.map((b) => [b.text.text, b.value])).toEqual([['Create debug clone', 'req-7f3a.c1']]);
  });

  it('offers no node shell for a pod without a node, nor when node shells are disabled', () => {
    expect(buttonsOf(renderDiagnosisMessage(unschedulable, opts)).map((b) => b.action_id)).not.toContain(
      'debugdead.node_shell',
    );
    const disabled = renderDiagnosisMessage(crashLoop, { ...opts, nodeShellAvailable: false });
    expect(buttonsOf(disabled).map((b) => b.action_id)).toEqual(['debugdead.clone.0']);
  });

  it('mentions the busybox injection in the clone dialog when the image has no shell', () => {
    const d: Diagnosis = {
      ...crashLoop,
      findings: [{ ...crashLoop.findings[0]!, kind: 'CommandNotFound', action: 'clone-with-busybox' }],
    };
    expect(buttonsOf(renderDiagnosisMessage(d, opts))[0]?.confirm?.text.text).toContain('busybox');
  });

  it('shows "none" for a bare pod and "not scheduled" for a pending one', () => {
    const text = visibleText(renderDiagnosisMessage(unschedulable, opts));
    expect(text).toContain('*Owner*\n_none (bare pod)_');
    expect(text).toContain('*Node*\n_not scheduled_');
    expect(text).toContain('*Last exit (app)*\n_none yet_');
  });

  it('lists further findings briefly', () => {
    const d: Diagnosis = { ...crashLoop, findings: [...oomKilled.findings, ...crashLoop.findings] };
    expect(visibleText(renderDiagnosisMessage(d, opts))).toContain('*Also found*\n:red_circle: app exits with code 1');
  });

  it('renders a pod with no containers at all without buttons for clones', () => {
    const d: Diagnosis = { ...crashLoop, containers: [], logs: [] };
    expect(buttonsOf(renderDiagnosisMessage(d, opts)).map((b) => b.action_id)).toEqual(['debugdead.node_shell']);
  });

  it('escapes what a pod name or log line could inject: no broadcast, no link', () => {
    const d: Diagnosis = {
      ...crashLoop,
      findings: [{ ...crashLoop.findings[0]!, summary: 'boom <!channel> @here <https://evil.example|click> & more' }],
    };
    const text = visibleText(renderDiagnosisMessage(d, opts));
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&lt;https://evil.example|click&gt; &amp; more');
    expect(text).not.toContain('@here');
  });

  it.each([
    ['crash loop', crashLoop],
    ['OOMKilled', oomKilled],
    ['several failing containers', multiFailing],
    ['unschedulable', unschedulable],
    ['partial evidence', partialEvidence],
    [
      'many long container names',
      {
        ...multiFailing,
        containers: multiFailing.containers.map((c) => container({ ...c, name: c.name.repeat(20).slice(0, 63) })),
      },
    ],
  ])('Slack accepts the message for %s', (_name, d) => {
    expectSlackAccepts(renderDiagnosisMessage(d as Diagnosis, opts));
  });
});
