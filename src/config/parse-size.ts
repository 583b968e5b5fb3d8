const UNIT_BYTES: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** Parses 262144, "256KiB", "1MiB", "500KB"; undefined when it is not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)\s*(B|KB|MB|KiB|MiB|GiB)?$/.exec(value.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * (UNIT_BYTES[match[2] ?? ''] ?? 1);
  return bytes > 0 ? bytes : undefined;
}
