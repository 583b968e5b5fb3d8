/**
 * Redaction throughput and accuracy:
 * - throughput: `redact` over a 10 MB log of mixed lines (JSON and logfmt app logs, access logs, stack traces,
 *   Kubernetes events, ids and digests, and about 2 % lines holding a secret), best of 5 runs;
 * - recall: the generated corpus (test/redact/generate-secrets.ts), secret lines whose every secret is gone;
 * - false positives: ordinary lines (test/redact/ordinary-lines.ts) that did not come out byte for byte.
 * With SECRETLINT_DIR pointing at a directory where `@secretlint/core` and
 * `@secretlint/secretlint-rule-preset-recommend` are installed, the same three figures are measured for secretlint
 * too (the comparison the README reports).
 * Last line: {"bench":"redact","mbPerSecond":…,"recall":…,"falsePositives":…}
 */
import { createRequire } from 'node:module';
import { redact } from '../src/redact/index.js';
import { generateSecretLines, pick, seededRandom } from '../test/redact/generate-secrets.js';
import { generateOrdinaryLines, ORDINARY_LINES } from '../test/redact/ordinary-lines.js';
import { formatTable, round } from './_shared.js';

const TARGET_BYTES = 10 * 1024 * 1024;
const rng = seededRandom(42);
const secrets = generateSecretLines(99, 3);
const ordinary = [...ORDINARY_LINES, ...generateOrdinaryLines(11, 200)].filter((l) => l !== '');
const hex = (n: number) => pick(rng, 'h', n);
const APP_LINES: (() => string)[] = [
  () =>
    `{"ts":"2026-01-07T10:${String(Math.floor(rng() * 60)).padStart(2, '0')}:00.123Z","level":"info","msg":"request served","method":"GET","path":"/api/v1/items/${Math.floor(rng() * 1e6)}","status":200,"durationMs":${Math.floor(rng() * 900)},"traceId":"${hex(32)}"}`,
  () =>
    `time=2026-01-07T10:00:00Z level=info msg="cache refreshed" entries=${Math.floor(rng() * 1e5)} took=${Math.floor(rng() * 400)}ms`,
  () =>
    `10.0.${Math.floor(rng() * 255)}.${Math.floor(rng() * 255)} - - [07/Jan/2026:10:00:00 +0000] "GET /static/app.${hex(8)}.js HTTP/1.1" 200 ${Math.floor(rng() * 1e5)} "-" "Mozilla/5.0"`,
  () => `    at com.acme.orders.OrderService.place(OrderService.java:${Math.floor(rng() * 500)})`,
  () =>
    `Normal   Pulled     ${Math.floor(rng() * 60)}s   kubelet  Container image "ghcr.io/acme/api@sha256:${hex(64)}" already present on machine`,
  () =>
    `I0107 10:00:00.000000       1 controller.go:${Math.floor(rng() * 900)}] Syncing pod web-${hex(10)}-${hex(5)} uid=${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
  () => `WARN [worker-${Math.floor(rng() * 16)}] retrying job ${hex(24)} attempt=${Math.floor(rng() * 5)} backoff=2s`,
  () => `DEBUG sql: SELECT id, name FROM orders WHERE customer_id = $1 LIMIT 50 -- ${Math.floor(rng() * 100)} rows`,
];

function buildLog(): { text: string; secretLines: number } {
  const parts: string[] = [];
  let bytes = 0;
  let secretLines = 0;
  let i = 0;
  while (bytes < TARGET_BYTES) {
    let line: string;
    const roll = rng();
    if (roll < 0.02) {
      line = secrets[i++ % secrets.length]!.line;
      secretLines++;
    } else if (roll < 0.12) line = ordinary[Math.floor(rng() * ordinary.length)]!;
    else line = APP_LINES[Math.floor(rng() * APP_LINES.length)]!();
    parts.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return { text: parts.join('\n'), secretLines };
}

interface Scores {
  mbPerSecond: number;
  recall: number;
  falsePositives: number;
  /** Recall on the vendor-shape lines alone: what a vendor catalogue is for. */
  vendorRecall: number;
}

async function measure(
  name: string,
  scrub: (text: string) => Promise<string> | string,
  log: string,
  runs: number,
): Promise<Scores> {
  const mb = Buffer.byteLength(log) / (1024 * 1024);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await scrub(log);
    best = Math.min(best, performance.now() - t);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
  }
  let caught = 0;
  let vendorCaught = 0;
  for (const s of secrets) {
    const out = await scrub(s.line);
    if (s.secrets.every((x) => !out.includes(x))) {
      caught++;
      if (s.kind.startsWith('vendor:')) vendorCaught++;
    }
  }
  const vendorLines = secrets.filter((s) => s.kind.startsWith('vendor:')).length;
  let falsePositives = 0;
  for (const line of ordinary) if ((await scrub(line)) !== line) falsePositives++;
  const scores = {
    mbPerSecond: round(mb / (best / 1000), 1),
    recall: round(caught / secrets.length, 4),
    falsePositives,
    vendorRecall: round(vendorCaught / vendorLines, 4),
  };
  // On a machine shared with other work, wall time includes waiting for a core; CPU time (this process, GC threads
  // included) is what the redactor itself costs.
  console.log(
    `${name}: ${mb.toFixed(1)} MB in ${best.toFixed(0)} ms (best of ${runs}); ${bestCpu.toFixed(0)} ms of CPU, ${(mb / (bestCpu / 1000)).toFixed(1)} MB per CPU second`,
  );
  return scores;
}

/** secretlint as a redactor: every range it reports is replaced by the marker. */
async function loadSecretlint(dir: string): Promise<(text: string) => Promise<string>> {
  const require = createRequire(`${dir.replace(/\/$/, '')}/package.json`);
  const core = (await import(require.resolve('@secretlint/core'))) as {
    lintSource: (o: unknown) => Promise<{ messages: { range: [number, number] }[] }>;
  };
  const preset = (await import(require.resolve('@secretlint/secretlint-rule-preset-recommend'))) as {
    creator: unknown;
  };
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] };
  return async (text) => {
    const result = await core.lintSource({
      source: { content: text, filePath: '/log.txt', contentType: 'text' },
      options: { config, noPhysicFilePath: true },
    });
    const ranges = result.messages.map((m) => m.range).sort((a, b) => b[0] - a[0]);
    let out = text;
    for (const [start, end] of ranges) out = `${out.slice(0, start)}[REDACTED]${out.slice(end)}`;
    return out;
  };
}

const { text: log, secretLines } = buildLog();
console.log(
  `log: ${(Buffer.byteLength(log) / 1e6).toFixed(1)} MB, ${log.split('\n').length} lines (${secretLines} with a secret); corpus: ${secrets.length} secret lines of ${new Set(secrets.map((s) => s.kind)).size} kinds, ${ordinary.length} ordinary lines`,
);
const ours = await measure('debugdead redact', (t) => redact(t).text, log, 5);
const rows: (string | number)[][] = [
  ['debugdead redact', ours.mbPerSecond, ours.recall, ours.vendorRecall, ours.falsePositives],
];
if (process.env.SECRETLINT_DIR) {
  const secretlint = await loadSecretlint(process.env.SECRETLINT_DIR);
  const theirs = await measure('secretlint preset-recommend', secretlint, log, 1);
  rows.push([
    'secretlint preset-recommend',
    theirs.mbPerSecond,
    theirs.recall,
    theirs.vendorRecall,
    theirs.falsePositives,
  ]);
}
console.log(formatTable(['redactor', 'MB/s', 'recall', 'vendor recall', 'false positives'], rows));
console.log(
  JSON.stringify({
    bench: 'redact',
    mbPerSecond: ours.mbPerSecond,
    recall: ours.recall,
    falsePositives: ours.falsePositives,
  }),
);
