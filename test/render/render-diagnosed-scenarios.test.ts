import { describe, expect, it } from 'vitest';
import { parseActionId } from '../../src/actions/index.js';
import { diagnose } from '../../src/diagnosis/index.js';
import { renderDiagnosisMessage, renderThreadReplies } from '../../src/render/index.js';
import { SCENARIOS } from '../diagnosis/fixtures.js';
import { buttonsOf, expectSlackAccepts, messagesOf, visibleText } from './slack-assertions.js';

// The real diagnose() over the scenario pods the simulators use, rendered: what the e2e tests will post.
const scenarios = Object.entries(SCENARIOS).map(([name, facts]) => ({ name, d: diagnose(facts()) }));

describe('rendering what diagnose() says about each scenario pod', () => {
  it.each(scenarios)('$name: Slack accepts the parent message, which leads with the verdict', ({ d }) => {
    const msg = renderDiagnosisMessage(d, { requestId: 'req-1abcd', redactions: 0 });
    expectSlackAccepts(msg);
    expect(visibleText(msg).startsWith(d.verdict.slice(0, 100))).toBe(true);
    expect(visibleText(msg)).toContain(
      d.findings[0]!.summary.slice(0, 40).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
  });

  it.each(scenarios)('$name: a clone button whose value names a container of the pod', ({ d }) => {
    const clones = buttonsOf(renderDiagnosisMessage(d, { requestId: 'req-1abcd', redactions: 0 })).filter((b) =>
      b.action_id.startsWith('debugdead.clone.'),
    );
    expect(clones.length).toBeGreaterThanOrEqual(d.containers.length > 0 ? 1 : 0);
    for (const b of clones) {
      const ref = parseActionId(b.value);
      expect(ref).toMatchObject({ diagnosisId: 'req-1abcd', slot: { kind: 'clone' } });
      const index = ref?.slot.kind === 'clone' ? ref.slot.container : -1;
      expect(d.containers[index]).toBeDefined();
      expect(b.action_id).toBe(`debugdead.clone.${index}`);
    }
  });

  it.each(scenarios)('$name: Slack accepts every thread reply', ({ d }) => {
    const replies = renderThreadReplies(d, { inlineLogLines: 20 });
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const m of messagesOf(replies)) expectSlackAccepts(m);
  });
});
