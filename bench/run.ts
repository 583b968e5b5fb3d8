/**
 * `npm run bench -- <name> [<name>…]` runs bench/<name>.ts; with no name, every benchmark in turn.
 * Each benchmark prints its measurements and, as its last line, one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
/** Flags (`--real`) go to every benchmark run. */
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
// Benchmarks run compiled, as production does (node dist/…): under tsx the same process carries ~80 MB more
// (measured: 222 MB vs 139 MB after importing the bot's modules), which would distort every memory figure.
const root = fileURLToPath(new URL('..', import.meta.url));
console.log('compiling (tsc -p tsconfig.bench.json) …');
const build = spawnSync(
  process.execPath,
  [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.bench.json`],
  {
    stdio: 'inherit',
  },
);
if (build.status !== 0) process.exit(1);
// Files the compiled code reads beside itself (`--real`): the control plane's release from its go.mod, the shipped
// install that is applied to it.
for (const asset of ['test/control-plane/go.mod', 'deploy']) {
  cpSync(`${root}${asset}`, `${root}.bench-build/${asset}`, { recursive: true });
}
/**
 * Node flags a benchmark runs with, as production runs the bot: deploy/base/deployment.yaml sets the same
 * NODE_OPTIONS. Without a heap cap V8 lets garbage pile up to a quarter of the machine's memory before a full
 * collection (the flood bench peaked at 440 MB with at most 79 MB live); in the pod it must collect well before
 * the container's memory limit.
 */
const NODE_FLAGS: Record<string, string[]> = {
  flood: ['--max-old-space-size=256'],
  alerts: ['--max-old-space-size=256'],
};
/**
 * Environment a benchmark runs with, as production: deploy/base/deployment.yaml sets the same glibc malloc tuning
 * (fewer arenas, freed memory trimmed back to the OS), without which a 150,000-pod list leaves ~40 MB of freed
 * response buffers in the process's resident memory.
 */
const NODE_ENV_VARS: Record<string, Record<string, string>> = {
  alerts: { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' },
};
let failed = 0;
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== bench ${name} ===`);
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', ...(NODE_FLAGS[name] ?? []), `${root}.bench-build/bench/${name}.js`, ...flags],
    {
      stdio: 'inherit',
      env: { ...process.env, ...NODE_ENV_VARS[name] },
    },
  );
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
