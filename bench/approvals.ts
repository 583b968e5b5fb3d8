/**
 * 100 approved debug-clone requests end to end, the bot in Socket Mode against both simulators (Slack rate limits
 * off, no injected Kubernetes latency; TTL one hour so nothing is deleted mid-bench; three nodes added to the
 * default scenario's three, or the scheduler runs out of CPU for 100 clones):
 * - U0CAROL03 (not an approver) runs 100 `/debugdead <pod> demo` over the scenario pods whose clones can run (not
 *   `pending`, `imagepull` or `configerr`: their clones fail for the same reason as the source);
 * - an approver clicks "Create debug clone" on each of the 100 summaries, one request every 50 ms (open loop, a
 *   burst of 20/s; env CLICK_EVERY_MS changes it); every tenth request is also clicked by a second approver at the
 *   same moment, and every tenth (offset by 5) twice at once by the same approver (a double click), to prove the
 *   claim is atomic;
 * - readiness: from the click to the parent message showing the clone Running with its `kubectl exec` line (the
 *   message's edit timestamp in the Slack simulator);
 * - podsCreated: every pod the simulator saw ADDED with our managed label; duplicates: pods beyond one per request id.
 * - the bot's own share: click → job queued (claim) + job queued → pod created (create) + pod Running → message
 *   updated (report; the worker follows the pod with a watch, no polling).
 * Last line: {"bench":"approvals","approvals":100,"podsCreated":…,"duplicates":…,"readyP95Ms":…,"botShareP95Ms":…}
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseActionId, REQUEST_BUTTON_PATTERN } from '../src/actions/index.js';
import { REQUEST_ID_ANNOTATION } from '../src/debugpods/labels.js';
import { buildNode } from '../test/sim/kube/scenarios/build-objects.js';
import { type SimMessage, visibleText } from '../test/sim/slack/index.js';
import type { Harness } from '../test/support/harness.js';
import { formatTable, percentile, round, sleep, startBenchStack, tsToMs } from './_shared.js';

const APPROVALS = 100;
const CLICK_EVERY_MS = Number(process.env.CLICK_EVERY_MS ?? 50);
const COMMAND_CONCURRENCY = 10;
const CHANNEL = 'C0INCIDENT';
const NAMESPACE = 'demo';
/** Scenario pods whose clone runs (the clone replaces the command, drops probes, injects busybox). */
const PODS = ['crash-exit1', 'oom', 'liveness', 'init-crash', 'scratch-crash', 'multi', 'healthy'];
const REQUESTER = 'U0CAROL03';
const APPROVER = 'U0ALICE01';
const SECOND_APPROVER = 'U0BOB0002';
const READY = /:white_check_mark: Running[\s\S]*kubectl exec -it/;
const FAILED = /:x: Failed/;
const GOAL_DUPLICATES = 0;
const EXTRA_NODES = 3;

const stack = await startBenchStack({
  mode: 'socket',
  rateLimits: false,
  configure: (c) => {
    c.approvers = { users: [APPROVER, SECOND_APPROVER], groups: [] };
    c.debugClone.defaultTtlSeconds = 3600;
    c.debugClone.maxTtlSeconds = 7200;
    // The bench measures speed, not the limits (test/security/limits.test.ts does): room for all 100 clones.
    c.limits = { activePerUser: 1000, activePerNamespace: 1000, activeCluster: 1000, createdPerUserPerHour: 1000 };
  },
});
const { h } = stack;
// The default scenario's 3 nodes of 4 CPUs cannot hold 100 clones (each keeps its source's requests): the scheduler
// answers "Insufficient cpu". Three more nodes make room for them all.
for (let i = 4; i < 4 + EXTRA_NODES; i++) h.kube.store.create('nodes', buildNode(`node-${i}`, { index: i }));
// Every managed pod the API server stores, as it is stored: a duplicate deleted again later is still counted.
const created = new Map<string, string>(); // pod name → request id
const podCreatedAt = new Map<string, number>(); // diagnosis id → ms (first pod)
const podRunningAt = new Map<string, number>(); // diagnosis id → ms (phase Running)
const unsubscribe = h.kube.store.subscribeRaw((e) => {
  const md = e.object.metadata;
  if (e.resource !== 'pods' || md?.labels?.['debugdead.io/managed'] !== 'true') return;
  const request: string = md.annotations?.[REQUEST_ID_ANNOTATION] ?? '?';
  // The pod's request id is the action id `<diagnosisId>.c<container>` (src/actions/action-ref.ts).
  const diagnosisId = request.replace(/\.c\d+$/, '');
  if (e.type === 'ADDED') {
    created.set(`${md.namespace}/${md.name}`, request);
    if (!podCreatedAt.has(diagnosisId)) podCreatedAt.set(diagnosisId, Date.now());
  }
  if (e.type === 'MODIFIED' && e.object.status?.phase === 'Running' && !podRunningAt.has(diagnosisId)) {
    podRunningAt.set(diagnosisId, Date.now());
  }
});
try {
  // 1. The diagnoses behind the buttons.
  const diagStart = performance.now();
  for (let i = 0; i < APPROVALS; i += COMMAND_CONCURRENCY) {
    const before = diagnosesDone(h);
    const batch = Array.from({ length: Math.min(COMMAND_CONCURRENCY, APPROVALS - i) }, (_, j) => i + j);
    await Promise.all(
      batch.map((n) =>
        h.slack.user(REQUESTER).runCommand('/debugdead', `${PODS[n % PODS.length]} ${NAMESPACE}`, { channel: CHANNEL }),
      ),
    );
    await h.slack.waitFor(
      () => diagnosesDone(h) >= before + batch.length,
      30_000,
      `diagnoses ${i + 1}–${i + batch.length}`,
    );
  }
  const summaries = h.slack
    .channel(CHANNEL)
    .messages()
    .filter((m) => /Create debug clone/.test(visibleText(m)));
  if (summaries.length !== APPROVALS) throw new Error(`expected ${APPROVALS} summaries, found ${summaries.length}`);
  const diagSeconds = (performance.now() - diagStart) / 1000;

  // 2. The clicks, open loop, with the ready monitor running.
  const clickedAt = new Map<string, number>(); // summary ts → ms
  const readyAt = new Map<string, number>();
  const failed = new Map<string, string>();
  const seenEdit = new Map<string, string>();
  let clicksSent = 0;
  let racing = 0;
  let doubles = 0;
  const monitor = h.slack.waitFor(
    () => {
      for (const m of h.slack.channel(CHANNEL).messages()) {
        if (!clickedAt.has(m.ts) || readyAt.has(m.ts) || failed.has(m.ts)) continue;
        const edit = m.edited?.ts ?? '';
        if (seenEdit.get(m.ts) === edit) continue;
        seenEdit.set(m.ts, edit);
        const text = visibleText(m);
        if (READY.test(text)) readyAt.set(m.ts, tsToMs(edit || m.ts));
        else if (FAILED.test(text)) failed.set(m.ts, text.split('\n').find((l) => FAILED.test(l)) ?? '');
      }
      return readyAt.size + failed.size >= APPROVALS;
    },
    90_000,
    `${APPROVALS} clones ready`,
  );
  const clickStart = performance.now();
  const clicks: Promise<unknown>[] = [];
  for (const [n, summary] of summaries.entries()) {
    clickedAt.set(summary.ts, Date.now());
    const who = [APPROVER];
    if (n % 10 === 0) {
      who.push(SECOND_APPROVER);
      racing++;
    }
    if (n % 10 === 5) {
      who.push(APPROVER);
      doubles++;
    }
    for (const user of who) clicks.push(click(summary, user));
    clicksSent += who.length;
    await sleep(CLICK_EVERY_MS);
  }
  const clickResults = await Promise.all(clicks);
  const notAcked = clickResults.filter((r) => r !== 'acked').length;
  await monitor;
  // Stray duplicates would come from the racing clicks' jobs: give them time to show up before counting.
  await sleep(1500);
  const totalSeconds = (performance.now() - clickStart) / 1000;

  const readyMs = [...readyAt].map(([ts, at]) => at - (clickedAt.get(ts) as number));
  // Where the time goes, per request: the bot until the pod exists, the simulated kubelet (scheduling, image pulls)
  // until it runs, the bot again until the message says so.
  // The bot's own share is claim + create + report; the kubelet's scheduling and image pulls are the simulator's.
  const queuedAt = new Map<string, number>(); // diagnosis id → ms (audit job.queued)
  for (const e of h.auditEntries()) {
    if (e.action !== 'job.queued' || !e.requestId) continue;
    const id = parseActionId(e.requestId)?.diagnosisId;
    if (id && !queuedAt.has(id)) queuedAt.set(id, Date.parse(e.time));
  }
  const phases = {
    claim: [] as number[],
    create: [] as number[],
    kubelet: [] as number[],
    report: [] as number[],
    bot: [] as number[],
  };
  for (const summary of summaries) {
    const id = diagnosisIdOf(summary);
    const clicked = clickedAt.get(summary.ts);
    const [queued, added, running, shown] = [
      queuedAt.get(id),
      podCreatedAt.get(id),
      podRunningAt.get(id),
      readyAt.get(summary.ts),
    ];
    if ([clicked, queued, added, running, shown].some((v) => v === undefined)) continue;
    phases.claim.push((queued as number) - (clicked as number));
    phases.create.push((added as number) - (queued as number));
    phases.kubelet.push((running as number) - (added as number));
    phases.report.push((shown as number) - (running as number));
    phases.bot.push((added as number) - (clicked as number) + ((shown as number) - (running as number)));
  }
  const perRequest = new Map<string, number>();
  for (const request of created.values()) perRequest.set(request, (perRequest.get(request) ?? 0) + 1);
  const podsCreated = created.size;
  const duplicates = [...perRequest.values()].reduce((sum, n) => sum + n - 1, 0);
  const alreadyTold = [APPROVER, SECOND_APPROVER]
    .flatMap((u) => h.slack.ephemerals(u))
    .filter((e) => /Already approved by/.test(e.text)).length;
  const audit = h.auditEntries();
  const granted = audit.filter((e) => e.action === 'approval.granted').length;
  const readyP95Ms = percentile(readyMs, 95);

  console.log(
    `Load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores at the end: the bot and both simulators share this process.`,
  );
  console.log(
    `Bot in Socket Mode, Slack rate limits OFF, no injected Kubernetes latency, clone TTL 3600 s (max 7200 s), ${3 + EXTRA_NODES} nodes of 4 CPUs.`,
  );
  console.log(
    `${APPROVALS} diagnoses by ${REQUESTER} over ${PODS.join(', ')} (${COMMAND_CONCURRENCY} at a time): ${diagSeconds.toFixed(1)} s`,
  );
  console.log(
    `${clicksSent} clicks on "Create debug clone", one request every ${CLICK_EVERY_MS} ms: ${racing} requests also clicked by ${SECOND_APPROVER} at once, ${doubles} double-clicked by ${APPROVER}; ${notAcked} clicks not acked`,
  );
  console.log(
    `all clicks to all ready: ${totalSeconds.toFixed(1)} s (including 1.5 s waiting for stray duplicates); ${failed.size} clones failed${failed.size ? `: ${[...new Set(failed.values())].join('; ')}` : ''}`,
  );
  const row = (label: string, v: number[]) =>
    [label, ...[percentile(v, 50), percentile(v, 95), Math.max(...v)].map((x) => round(x))] as const;
  console.log(
    `\n${formatTable(
      ['ms', 'p50', 'p95', 'max'],
      [
        row('click → parent message shows the clone Running', readyMs),
        row('  click → job queued (bot: ack, authorise, claim slot, sign grant)', phases.claim),
        row('  job queued → pod created (bot: verify, re-check, read, reserve, create)', phases.create),
        row('  pod created → pod Running (simulated kubelet: schedule, pull)', phases.kubelet),
        row('  pod Running → message updated (bot: watch event, chat.update)', phases.report),
        row("bot's own share (claim + create + report)", phases.bot),
      ],
    )}`,
  );
  console.log(
    `\n${formatTable(
      ['count', 'value', 'goal'],
      [
        ['requests approved (audit approval.granted)', granted, APPROVALS],
        ['parents showing the clone ready', readyAt.size, APPROVALS],
        ['pods created in the simulator', podsCreated, APPROVALS],
        ['request ids with a pod', perRequest.size, APPROVALS],
        ['duplicates (pods beyond one per request)', duplicates, GOAL_DUPLICATES],
        ['extra clicks answered "Already approved by…"', alreadyTold, racing + doubles],
        ["bot's own share p95, ms", round(percentile(phases.bot, 95)), '< 100'],
      ],
    )}`,
  );
  console.log(
    JSON.stringify({
      bench: 'approvals',
      approvals: APPROVALS,
      podsCreated,
      duplicates,
      readyP95Ms: round(readyP95Ms),
      botShareP95Ms: round(percentile(phases.bot, 95)),
    }),
  );
} finally {
  unsubscribe();
  await stack.stop();
}

/** Diagnoses that ended, well or not (the bot audits `diagnosis.done` after the last thread reply, or `error`). */
function diagnosesDone(harness: Harness): number {
  return harness.auditEntries().filter((e) => e.action === 'diagnosis.done' || e.action === 'error').length;
}

/** The diagnosis id of a summary, from its clone button's value (an action id `<diagnosisId>.c<i>`). */
function diagnosisIdOf(summary: SimMessage): string {
  for (const block of (summary.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) {
      if (el.action_id && REQUEST_BUTTON_PATTERN.test(el.action_id)) return parseActionId(el.value)?.diagnosisId ?? '';
    }
  }
  return '';
}

/** One click with the confirm dialog accepted; 'acked' when the bot acknowledged it. */
async function click(summary: SimMessage, user: string): Promise<string> {
  const d = await h.slack.user(user).click(summary, 'Create debug clone', { confirm: true });
  return 'acked' in d && d.acked ? 'acked' : 'not acked';
}
