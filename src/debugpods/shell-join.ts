const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Joins words into one POSIX shell line, single-quoting any word a shell would split or expand. */
export function shellJoin(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
