import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// On a Redis Cluster a script may touch only keys passed in KEYS, all in one slot (they share the `{prefix}` hash tag):
// a key built inside a script may live on another node, and the cluster refuses it. Every redis.call/pcall in every
// script of ours must therefore name its key as KEYS[…].

const ROOTS = ['src', 'jobs', 'handlers'];
/** Commands that take no key. */
const KEYLESS = new Set(['TIME', 'PING', 'ECHO', 'INFO']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const calls = ROOTS.flatMap(sources).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/redis\.p?call\(\s*'([A-Za-z]+)'\s*(?:,\s*([^,)]+))?/g)].map((m) => ({
    file,
    command: m[1]!.toUpperCase(),
    firstArg: (m[2] ?? '').trim(),
  })),
);

describe('the Lua scripts', () => {
  it('are found (the audit chain, the debug-pod limits and the diagnosis records use them)', () => {
    expect([...new Set(calls.map((c) => c.file.split('/').pop()))]).toEqual(
      expect.arrayContaining(['audit-log.ts', 'debug-pod-limits.ts', 'diagnosis-record-store.ts']),
    );
  });

  it('name every key they touch as KEYS[…], never a key built inside the script', () => {
    const built = calls.filter((c) => !KEYLESS.has(c.command) && !/^KEYS\[.+\]$/.test(c.firstArg));
    expect(built).toEqual([]);
  });

  it('never list or scan keys (a cluster node holds only its own slots)', () => {
    expect(calls.filter((c) => ['KEYS', 'SCAN'].includes(c.command))).toEqual([]);
  });
});
