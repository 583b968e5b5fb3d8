/** Whether a namespace matches a config glob: `*` any run of characters, `?` exactly one, everything else literal. */
export function matchGlob(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(text);
}
