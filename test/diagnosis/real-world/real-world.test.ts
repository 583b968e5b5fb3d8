import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/diagnosis/index.js';
import type { KubeEvent } from '../../../src/kube/types.js';
import { ACCURACY_GOAL, formatCorpusScore, REAL_WORLD_CASES, scoreCorpus } from './score-corpus.js';

describe('the real-world corpus', () => {
  it('holds at least 60 cases, each with a public source, an expected cause and headline words', () => {
    expect(REAL_WORLD_CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(REAL_WORLD_CASES.map((c) => c.id)).size).toBe(REAL_WORLD_CASES.length);
    for (const c of REAL_WORLD_CASES) {
      expect(c.source, c.id).toMatch(/^https:\/\//);
      expect(c.headline.length, c.id).toBeGreaterThan(0);
    }
  });

  it(`names the cause in the headline of at least ${ACCURACY_GOAL * 100} % of the cases`, () => {
    const score = scoreCorpus();
    console.log(formatCorpusScore(score));
    expect(score.hit / score.cases).toBeGreaterThanOrEqual(ACCURACY_GOAL);
  });

  it('gives the same verdict and top finding whatever order the API server lists the events in', () => {
    const withEvents = REAL_WORLD_CASES.filter((c) => c.facts.events.ok && c.facts.events.value.length > 1);
    expect(withEvents.length).toBeGreaterThan(20);
    fc.assert(
      fc.property(
        fc.constantFrom(...withEvents),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (c, noise) => {
          const events = c.facts.events.ok ? c.facts.events.value : [];
          const keyed = events.map((e) => ({ e, k: noise.next().value as number }));
          const shuffled: KubeEvent[] = keyed.sort((a, b) => a.k - b.k).map(({ e }) => e);
          const before = diagnose(c.facts);
          const after = diagnose({ ...c.facts, events: { ok: true, value: shuffled } });
          expect(after.verdict).toBe(before.verdict);
          expect(after.findings[0]).toEqual(before.findings[0]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
