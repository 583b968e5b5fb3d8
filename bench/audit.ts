/**
 * The audit chain at its default size: 100,000 records appended (batched, as a burst would be), then verified
 * against hourly-style anchors and against the audit log's copies. Goal: verification under 2 s.
 * Last line: {"bench":"audit","records":100000,"verifyMs":…}
 */
import { Redis } from 'ioredis';
import { type AuditAnchor, type AuditLine, AuditLog, deriveAuditKey, verifyAudit } from '../src/audit/index.js';
import { startRedis } from '../test/support/redis-server.js';
import { median, round } from './_shared.js';

const RECORDS = 100_000;
const redisServer = await startRedis();
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
const lines: AuditLine[] = [];
const audit = new AuditLog({
  redis,
  key: 'bench:audit',
  clusterName: 'bench',
  maxLen: RECORDS,
  macKey: deriveAuditKey('bench signing key, 32 characters or more'),
  anchorEvery: 1000,
  anchorIntervalMs: 0,
  sink: (line) => lines.push(line),
});
try {
  const appendStart = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS; i++) {
    writes.push(
      audit.record({
        actor: { type: 'user', id: `U${i % 50}` },
        action: i % 2 ? 'diagnosis.done' : 'command.received',
        target: { namespace: 'shop', pod: `api-${i % 300}` },
        result: 'ok',
        detail: `demo/api-${i % 300} — CrashLoopBackOff, exit 1`,
      }),
    );
  }
  await Promise.all(writes);
  const appendMs = performance.now() - appendStart;
  const anchors = lines.flatMap((l): AuditAnchor[] => (l.kind === 'anchor' ? [l.anchor] : []));
  const logged = lines.flatMap((l) => (l.kind === 'record' ? [l.record] : []));

  const runs: number[] = [];
  const pureRuns: number[] = [];
  let ok = true;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const report = await audit.verify({ anchors });
    runs.push(performance.now() - start);
    ok &&= report.ok && report.count === RECORDS;
    const pureStart = performance.now();
    verifyAudit({ records: logged, anchors });
    pureRuns.push(performance.now() - pureStart);
  }
  const withLogStart = performance.now();
  const withLog = await audit.verify({ anchors, logged });
  const withLogMs = performance.now() - withLogStart;

  const verifyMs = median(runs);
  console.log(
    `appended ${RECORDS} records in ${round(appendMs / 1000, 2)} s (${round(RECORDS / (appendMs / 1000), 0)}/s)`,
  );
  console.log(
    `verify (read Redis + chain + ${anchors.length} anchors), median of 3: ${round(verifyMs)} ms   goal < 2000 ms`,
  );
  console.log(`  of which the pure check (no Redis): ${round(median(pureRuns))} ms`);
  console.log(`verify with the audit log's ${logged.length} copies too: ${round(withLogMs)} ms (ok: ${withLog.ok})`);
  if (!ok) console.log('VERIFICATION FAILED on an intact chain');
  console.log(JSON.stringify({ bench: 'audit', records: RECORDS, verifyMs: round(verifyMs) }));
  if (!ok) process.exitCode = 1;
} finally {
  audit.close();
  redis.disconnect();
  await redisServer.stop();
}
