import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itOnSimulator } from '../support/by-backend.js';
import { type Harness, startHarness } from '../support/harness.js';
import { type RedisHandle, startRedis } from '../support/redis-server.js';

const CHANNEL = 'C0INCIDENT';

async function get(h: Harness, path: string): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`http://127.0.0.1:${h.bot.healthPort}${path}`);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** Polls `path` until its status is `status`; returns the last answer. */
async function until(h: Harness, path: string, status: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await get(h, path);
    if (answer.status === status) return answer;
    if (Date.now() > deadline) throw new Error(`${path} still ${answer.status} after ${timeoutMs} ms:\n${answer.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of one sample in Prometheus text, e.g. `debugdead_diagnoses_total{outcome="posted"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('health endpoints on their own port', () => {
  let redis: RedisHandle;
  let h: Harness;
  beforeAll(async () => {
    redis = await startRedis({ private: true }); // a private one: this test stops and restarts it
    h = await startHarness({ redisUrl: redis.url, logLevel: 'fatal' });
  });
  afterAll(async () => {
    await h?.stop();
    await redis?.stop();
  });

  it('/healthz answers while the process runs, /readyz once Redis, Kubernetes and Slack all work', async () => {
    expect(await get(h, '/healthz')).toMatchObject({ status: 200, text: 'ok\n' });
    const ready = await until(h, '/readyz', 200);
    expect(ready.text).toContain('[+]redis ok');
    expect(ready.text).toContain('[+]kubernetes ok');
    expect(ready.text).toContain('[+]slack ok');
  });

  it('/readyz is 503 while the Socket Mode connection is down, and 200 once the bot has reconnected', async () => {
    await until(h, '/readyz', 200);
    h.slack.socket.kill();
    const down = await until(h, '/readyz', 503, 5000);
    expect(down.text).toMatch(/\[-\]slack failed: the Socket Mode connection is (lost|reconnecting|connecting)/);
    expect(down.text).toContain('[+]redis ok');
    expect((await get(h, '/healthz')).status).toBe(200);
    await until(h, '/readyz', 200, 30_000);
  });

  it('/readyz is 503 naming Redis while Redis is stopped, and 200 once it is back', async () => {
    await until(h, '/readyz', 200);
    const port = Number(new URL(redis.url).port);
    await redis.stop();
    const down = await until(h, '/readyz', 503);
    expect(down.text).toMatch(/\[-\]redis failed: Redis is not connected/);
    expect(down.text).toContain('[+]slack ok');
    redis = await startRedis({ private: true, port });
    await until(h, '/readyz', 200, 30_000);
  });

  itOnSimulator('/readyz is 503 naming Kubernetes while the API server refuses, and 200 again after', async () => {
    await until(h, '/readyz', 200);
    const restore = h.kube.faults.error({ path: '/version', status: 503 });
    const down = await until(h, '/readyz', 503);
    expect(down.text).toMatch(/\[-\]kubernetes failed/);
    restore();
    await until(h, '/readyz', 200);
  });

  it('/metrics is Prometheus text whose counters move with a diagnosis', async () => {
    const before = await get(h, '/metrics');
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.text).toMatch(/^debugdead_build_info\{version="[^"]+",commit="[^"]+",node="v\d+[^"]*"\} 1$/m);
    const posted = sample(before.text, 'debugdead_diagnoses_total{outcome="posted"}');
    const podGets = sample(before.text, 'debugdead_kube_requests_total{verb="get",resource="pods",code="200"}');

    await h.slack.user('U0ALICE01').runCommand('/debugdead', 'oom demo', { channel: CHANNEL });
    await h.slack.waitFor(
      () =>
        h.slack
          .channel(CHANNEL)
          .messages()
          .find((m) => m.text.startsWith('demo/oom ')),
      15_000,
      'the diagnosis',
    );
    // The outcome is counted after the thread replies, a moment after the summary appears.
    const deadline = Date.now() + 10_000;
    let after = await get(h, '/metrics');
    while (sample(after.text, 'debugdead_diagnoses_total{outcome="posted"}') === posted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await get(h, '/metrics');
    }
    expect(sample(after.text, 'debugdead_diagnoses_total{outcome="posted"}')).toBe(posted + 1);
    expect(sample(after.text, 'debugdead_diagnosis_duration_seconds_count{outcome="posted"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(after.text, 'debugdead_kube_requests_total{verb="get",resource="pods",code="200"}')).toBeGreaterThan(
      podGets,
    );
    expect(after.text).toMatch(/^debugdead_kube_requests_total\{verb="get",resource="pods\/log",code="200"\} \d+$/m);
    expect(sample(after.text, 'debugdead_slack_calls_total{method="chat.postMessage",status="200"}')).toBeGreaterThan(
      0,
    );
    expect(after.text).toMatch(/^debugdead_queue_depth \d+$/m);
    expect(after.text).toMatch(/^debugdead_audit_lines_total\{kind="record"\} [1-9]\d*$/m);
    // Every sample line is `name{labels} value`: what Prometheus' text parser accepts.
    for (const line of after.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|\+Inf|-Inf)$/);
    }
  });
});
