import { shellJoin } from './shell-join.js';

const SAFE_TEXT = /^[A-Za-z0-9_@%+=:,./-]+$/;
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A piece of one word after Kubernetes expansion: literal text, or the value of an environment variable. */
type Piece = { text: string } | { variable: string };

/**
 * Which names the container's environment defines: the kubelet expands `$(NAME)` only for those and leaves any other
 * reference as written. `all` when envFrom may define names that cannot be known from the spec.
 */
export type DefinedNames = 'all' | { has(name: string): boolean };

/**
 * Splits one command/args word as the kubelet expands it (`$(VAR)` is the variable's value, `$$` is `$`, anything
 * else is literal; an unclosed `$(` stays as written). A name a shell cannot reference (`$(my.var)`), or one the
 * container does not define, is kept as literal text, which is what the kubelet does when no such variable is set.
 */
export function expandKubeWord(word: string, defined: DefinedNames = 'all'): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < word.length) {
    const ch = word[i]!;
    if (ch !== '$' || i + 1 >= word.length) {
      text += ch;
      i += 1;
      continue;
    }
    const next = word[i + 1]!;
    if (next === '$') {
      text += '$';
      i += 2;
    } else if (next === '(') {
      const close = word.indexOf(')', i + 2);
      const name = close < 0 ? undefined : word.slice(i + 2, close);
      if (name !== undefined && SHELL_NAME.test(name) && (defined === 'all' || defined.has(name))) {
        if (text) pieces.push({ text });
        text = '';
        pieces.push({ variable: name });
        i = close + 1;
      } else if (name !== undefined) {
        text += word.slice(i, close + 1);
        i = close + 1;
      } else {
        text += '$(';
        i += 2;
      }
    } else {
      text += `$${next}`;
      i += 2;
    }
  }
  if (text || pieces.length === 0) pieces.push({ text });
  return pieces;
}

function quoteText(text: string): string {
  if (SAFE_TEXT.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * One POSIX shell line that runs the same argv the kubelet would: `$(VAR)` becomes `"${VAR}"` (expanded by the
 * shell from the same environment, never split or globbed), `$$` becomes `$`, and every literal piece is quoted.
 */
export function renderKubeCommand(words: readonly string[], defined: DefinedNames = 'all'): string {
  return words
    .map((word) =>
      expandKubeWord(word, defined)
        .map((p) => ('variable' in p ? `"\${${p.variable}}"` : quoteText(p.text)))
        .join(''),
    )
    .join(' ');
}

/** The same line, run by `shell` (e.g. the injected busybox's `sh`), for images that have no shell of their own. */
export function renderKubeCommandVia(
  shell: readonly string[],
  words: readonly string[],
  defined: DefinedNames = 'all',
): string {
  return shellJoin([...shell, '-c', renderKubeCommand(words, defined)]);
}
