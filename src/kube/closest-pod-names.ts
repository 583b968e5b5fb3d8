/**
 * The pod names a person most likely meant, best first: names that start with what was typed (`web` → the
 * Deployment's `web-5d8f7c9b6-x2kq4`), then names within a few edits of it. At most `limit`; never the name itself.
 */
export function closestPodNames(typed: string, names: readonly string[], limit = 5): string[] {
  const maxDistance = Math.max(2, Math.floor(typed.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(names)) {
    if (!name || name === typed) continue;
    const score = matchScore(typed, name, maxDistance);
    if (score !== undefined) scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length || (a.name < b.name ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.name);
}

/** Lower is closer; undefined means too far to suggest. */
function matchScore(typed: string, name: string, maxDistance: number): number | undefined {
  // A prefix up to a dash is how generated names grow (Deployment → ReplicaSet hash → pod suffix): rank it first.
  if (typed.length >= 2 && name.startsWith(typed)) return 0;
  // Compare with the name's prefix too, so `web-1` finds `web-5d8f7c9b6-x2kq4` through `web-5`.
  const d = Math.min(
    editDistance(typed, name, maxDistance),
    editDistance(typed, name.slice(0, typed.length), maxDistance) + 1,
  );
  return d <= maxDistance ? d + 1 : undefined;
}

/** Levenshtein distance, giving up (returning max + 1) once every cell of a row exceeds `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length] ?? 0;
}
