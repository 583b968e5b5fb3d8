import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractClusterAddress } from '../../src/clusters/index.js';

describe('extractClusterAddress', () => {
  it.each([
    { text: 'web-1 prod @prod-eu', rest: 'web-1 prod', cluster: 'prod-eu' },
    { text: '@staging web-1', rest: 'web-1', cluster: 'staging' },
    { text: 'web-1 -n prod --cluster prod-eu', rest: 'web-1 -n prod', cluster: 'prod-eu' },
    { text: 'web-1 --cluster=prod-eu -c app', rest: 'web-1 -c app', cluster: 'prod-eu' },
    { text: 'prod/web-1 @a @a', rest: 'prod/web-1', cluster: 'a' },
    { text: 'web-1 prod', rest: 'web-1 prod', cluster: undefined },
    { text: 'audit <@U0ALICE01|alice>', rest: 'audit <@U0ALICE01|alice>', cluster: undefined },
    { text: '  web-1   @x  ', rest: 'web-1', cluster: 'x' },
  ])('$text → "$rest" in $cluster', ({ text, rest, cluster }) => {
    const got = extractClusterAddress(text);
    expect(got).toEqual({ ok: true, text: rest, ...(cluster ? { cluster } : {}) });
  });

  it.each([
    { text: 'web-1 @prod-eu @staging', problem: /one cluster, not @prod-eu and @staging/ },
    { text: 'web-1 --cluster', problem: /needs a cluster name/ },
    { text: 'web-1 @Prod', problem: /`Prod` is not a cluster name/ },
    { text: 'web-1 @prod_eu', problem: /not a cluster name/ },
    { text: 'web-1 --cluster=', problem: /That is not a cluster name/ },
    { text: 'web-1 @`<!channel>`', problem: /`!channel` is not a cluster name/ },
  ])('$text is refused', ({ text, problem }) => {
    const got = extractClusterAddress(text);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.problem).toMatch(problem);
  });

  it('never echoes a backtick, a mention or a control character, and never loses a word that is not an address', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 8 }), (words) => {
        const got = extractClusterAddress(words.join(' '));
        if (!got.ok) {
          const inner = got.problem.replace(/^`[^`]*`/, '');
          expect(inner).not.toMatch(/[<>\u0000-\u001f]/);
          return;
        }
        const kept = words
          .join(' ')
          .trim()
          .split(/\s+/)
          .filter((w) => w && !w.startsWith('@') && !w.startsWith('--cluster'));
        for (const w of kept) expect(got.text.split(' ')).toContain(w);
      }),
    );
  });
});
