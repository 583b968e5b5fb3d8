import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandKubeWord, renderKubeCommand } from '../../src/debugpods/render-kube-command.js';

/** The kubelet's expansion of one word (third_party/forked/golang/expansion), as the reference to check against. */
function kubeletExpand(word: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < word.length; ) {
    if (word[i] === '$' && i + 1 < word.length) {
      const next = word[i + 1]!;
      if (next === '$') {
        out += '$';
        i += 2;
      } else if (next === '(') {
        const close = word.indexOf(')', i + 2);
        if (close < 0) {
          out += '$(';
          i += 2;
        } else {
          const name = word.slice(i + 2, close);
          out += name in env ? env[name] : `$(${name})`;
          i = close + 1;
        }
      } else {
        out += `$${next}`;
        i += 2;
      }
    } else {
      out += word[i];
      i += 1;
    }
  }
  return out;
}

/** The argv a real POSIX shell builds from `line`, with `env` set. */
function shellArgv(line: string, env: Record<string, string>): string[] {
  const r = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { env: { PATH: process.env.PATH, ...env } });
  expect(r.status).toBe(0);
  return r.stdout.toString('utf8').split('\0').slice(0, -1);
}

// Words rich in what shells and the kubelet treat specially.
const special = fc.constantFrom(
  '$',
  '(',
  ')',
  '$(',
  '$$',
  "'",
  '"',
  '\\',
  ' ',
  '*',
  '?',
  '`',
  '\n',
  '\t',
  '#',
  '~',
  ';',
  '&',
  '|',
  '{',
  '}',
);
// Variables the container may define, plus names no shell can reference; a name the container does not define is left
// as written by the kubelet (and would be empty in a shell), so the renderer is told which names are defined.
const names = fc.constantFrom('A', 'B_2', '_x', 'my.var', '', 'B');
const word = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 4 }),
      special,
      names.map((n) => `$(${n})`),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  .filter((w) => !w.includes('\0'));
const env = fc
  .record({ A: fc.string({ maxLength: 6 }), B_2: fc.string({ maxLength: 6 }), _x: fc.string({ maxLength: 6 }) })
  .map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => !v.includes('\0'))));

describe('renderKubeCommand', () => {
  it('makes a shell build exactly the argv the kubelet runs', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), env, (words, vars) => {
        const expected = words.map((w) => kubeletExpand(w, vars));
        expect(shellArgv(renderKubeCommand(words, new Set(Object.keys(vars))), vars)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['$(VAR)', [{ variable: 'VAR' }]],
    ['$$(VAR)', [{ text: '$(VAR)' }]],
    ['a$(B)c', [{ text: 'a' }, { variable: 'B' }, { text: 'c' }]],
    ['$(my.var)', [{ text: '$(my.var)' }]],
    ['$(unclosed', [{ text: '$(unclosed' }]],
    ['cost $', [{ text: 'cost $' }]],
    ['', [{ text: '' }]],
  ])('splits %j as the kubelet expands it', (w, pieces) => {
    expect(expandKubeWord(w)).toEqual(pieces);
  });

  it('keeps a reference to a name the container does not define as written, as the kubelet does', () => {
    expect(expandKubeWord('a$(B)$(A)', new Set(['A']))).toEqual([{ text: 'a$(B)' }, { variable: 'A' }]);
    expect(renderKubeCommand(['echo', '$(MISSING)'], new Set())).toBe(`echo '$(MISSING)'`);
  });
});
