import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestPodNames, editDistance } from '../../src/kube/index.js';

const names = ['web-5d8f7c9b6-x2kq4', 'web-5d8f7c9b6-h7r2p', 'worker-0', 'worker-1', 'api-66b9c-zz9k1', 'redis-0'];

describe('closestPodNames suggests what a person probably meant', () => {
  it.each([
    { typed: 'web', expected: ['web-5d8f7c9b6-h7r2p', 'web-5d8f7c9b6-x2kq4'] },
    { typed: 'worker-2', expected: ['worker-0', 'worker-1'] },
    { typed: 'wroker-1', expected: ['worker-1'] },
    { typed: 'redis', expected: ['redis-0'] },
    { typed: 'postgres-0', expected: [] },
  ])('$typed → $expected', ({ typed, expected }) => {
    expect(closestPodNames(typed, names)).toEqual(expected);
  });

  it('never suggests more than asked, nor the name itself', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 30 }),
        fc.nat(6),
        (typed, list, limit) => {
          const out = closestPodNames(typed, list, limit);
          expect(out.length).toBeLessThanOrEqual(limit);
          expect(out).not.toContain(typed);
          for (const n of out) expect(list).toContain(n);
          expect(new Set(out).size).toBe(out.length);
        },
      ),
    );
  });
});

describe('editDistance', () => {
  it('is zero exactly for equal strings, symmetric, and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it('with a cap, answers exactly below it and more than the cap above it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 }), fc.nat(5), (a, b, max) => {
        const exact = editDistance(a, b);
        const capped = editDistance(a, b, max);
        if (exact <= max) expect(capped).toBe(exact);
        else expect(capped).toBeGreaterThan(max);
      }),
    );
  });
});
