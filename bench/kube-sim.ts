/**
 * Kubernetes simulator at scale: 50,000 running pods, then
 * - list: every pod through paged `GET /api/v1/pods?limit=500` (what informers and the bot's sweeps do);
 * - watch: 5 concurrent watchers of all pods while 10,000 pods change; events delivered per second, all watchers.
 * Last line: {"bench":"kube-sim","pods":50000,"listSeconds":…,"watchEventsPerSecond":…}
 */
import { request } from 'node:http';
import { ManualClock, startKubeSim } from '../test/sim/kube/index.js';

const PODS = 50_000;
const PAGE = 500;
const WATCHERS = 5;
const CHANGES = 10_000;

const t0 = performance.now();
const sim = await startKubeSim({ clock: new ManualClock(), pods: PODS });
const headers = { Authorization: `Bearer ${sim.token}` };
console.log(`filled ${sim.store.count('pods')} pods in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

async function listAll(): Promise<{ items: number; pages: number; seconds: number; bytes: number }> {
  const start = performance.now();
  let cont = '';
  let items = 0;
  let pages = 0;
  let bytes = 0;
  do {
    const res = await fetch(
      `${sim.url}/api/v1/pods?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
      { headers },
    );
    const text = await res.text();
    bytes += text.length;
    const body = JSON.parse(text) as { items: unknown[]; metadata: { continue?: string } };
    items += body.items.length;
    pages++;
    cont = body.metadata.continue ?? '';
  } while (cont);
  return { items, pages, seconds: (performance.now() - start) / 1000, bytes };
}

await listAll(); // warm-up: sorted key index, JIT
const list = await listAll();
if (list.items !== PODS) throw new Error(`listed ${list.items} pods, expected ${PODS}`);
console.log(
  `paged list: ${list.items} pods in ${list.pages} pages of ${PAGE}, ${(list.bytes / 1e6).toFixed(1)} MB, ${list.seconds.toFixed(3)} s (${Math.round(list.items / list.seconds)} pods/s)`,
);

const selStart = performance.now();
await (
  await fetch(`${sim.url}/api/v1/pods?labelSelector=${encodeURIComponent('app=nonexistent')}&limit=${PAGE}`, {
    headers,
  })
).text();
console.log(`selective list scanning all pods: ${((performance.now() - selStart) / 1000).toFixed(3)} s`);

/** A raw watcher that counts events (newline-terminated lines) without parsing them. */
function openWatcher(rv: string): Promise<{ count: () => number; close: () => void }> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const req = request(`${sim.url}/api/v1/pods?watch=1&resourceVersion=${rv}`, { headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) n++;
      });
      res.on('error', () => {});
      resolve({ count: () => n, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

const rv = sim.store.currentResourceVersion();
const watchers = await Promise.all(Array.from({ length: WATCHERS }, () => openWatcher(rv)));
const targets = sim.store.list('pods').slice(0, CHANGES);
const wStart = performance.now();
for (let i = 0; i < targets.length; i++) {
  const p = targets[i] as (typeof targets)[number];
  p.metadata.labels = { ...(p.metadata.labels ?? {}), bench: String(i) };
  sim.store.update('pods', p);
  if (i % 500 === 499) await new Promise((r) => setImmediate(r));
}
const expected = CHANGES * WATCHERS;
for (;;) {
  const got = watchers.reduce((s, w) => s + w.count(), 0);
  if (got >= expected) break;
  if (performance.now() - wStart > 120_000) throw new Error(`watchers got ${got} of ${expected} events`);
  await new Promise((r) => setTimeout(r, 2));
}
const wSeconds = (performance.now() - wStart) / 1000;
const watchEventsPerSecond = Math.round(expected / wSeconds);
console.log(
  `watch: ${CHANGES} changes × ${WATCHERS} watchers = ${expected} events in ${wSeconds.toFixed(3)} s (${watchEventsPerSecond} events/s)`,
);
for (const w of watchers) w.close();
await sim.close();
console.log(
  JSON.stringify({ bench: 'kube-sim', pods: PODS, listSeconds: Number(list.seconds.toFixed(3)), watchEventsPerSecond }),
);
