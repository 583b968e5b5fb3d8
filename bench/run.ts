/**
 * `npm run bench -- <name> [<name>…]` runs bench/<name>.ts; with no name, every benchmark in turn.
 * Each benchmark prints its measurements and, as its last line, one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { productionRuntimeEnv } from './_production-runtime.js';

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
// Files the compiled code reads beside itself: the control plane's release from its go.mod and the shipped install
// applied to it (`--real`), the API server simulator's protobuf descriptor (every simulated API server).
for (const asset of ['test/control-plane/go.mod', 'deploy', 'test/sim/kube/protobuf/kubernetes-protobuf.json']) {
  cpSync(`${root}${asset}`, `${root}.bench-build/${asset}`, { recursive: true });
}
/**
 * Benchmarks that measure memory run with the Node and malloc settings of the shipped Deployment, read from it
 * (bench/_production-runtime.ts). Without a heap cap V8 lets garbage pile up to a quarter of the machine's memory
 * before a full collection (the flood bench peaked at 440 MB with at most 79 MB live); in the pod it must collect
 * well before the container's memory limit.
 */
const AS_PRODUCTION = new Set(['alerts', 'flood']);
// NODE_OPTIONS as flags of the benchmark's own process: in the environment it would reach the simulators' child
// process too, whose 150,000 pods do not fit the bot's heap cap.
const { NODE_OPTIONS: productionNodeOptions = '', ...productionMalloc } = productionRuntimeEnv(root);
const productionFlags = productionNodeOptions.split(/\s+/).filter(Boolean);
let failed = 0;
for (const name of wanted.length ? wanted : available) {
  console.log(`\n=== bench ${name} ===`);
  const asProduction = AS_PRODUCTION.has(name);
  const nodeFlags = ['--expose-gc', ...(asProduction ? productionFlags : [])];
  const run = spawnSync(process.execPath, [...nodeFlags, `${root}.bench-build/bench/${name}.js`, ...flags], {
    stdio: 'inherit',
    env: { ...process.env, ...(asProduction ? productionMalloc : {}) },
  });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
