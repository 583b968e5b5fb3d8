import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../sim/kube/clock.js';
import { Kubelet } from '../sim/kube/kubelet/index.js';
import { loadScenario } from '../sim/kube/scenarios/index.js';
import { MemoryStore } from '../sim/kube/store.js';
import { findControlPlaneBinaries, HOW_TO_BUILD_CONTROL_PLANE } from './control-plane-release.js';
import { type ControlPlane, startControlPlane } from './start-control-plane.js';
import { startVirtualKubelet, type VirtualKubelet } from './virtual-kubelet/index.js';

// The binaries take 10 CPU-minutes to build, once per machine: without them this file is skipped, and its title says
// how to get them.
const missing = findControlPlaneBinaries() === undefined ? HOW_TO_BUILD_CONTROL_PLANE : undefined;
const suite = missing ? describe.skip : describe;
const title = missing
  ? `simulator scenarios on a real control plane: skipped. ${missing}`
  : 'simulator scenarios on a real control plane behave as in the simulator';

const WATCHED_MS = 40_000;
/** A state the simulator holds this long within the watched time is one the real cluster must show too. */
const STEADY_MS = 4_000;

type Json = any;

/** Which pod of the scenario this is, the same on both backends (controllers name real pods differently). */
function workloadOf(pod: Json): string {
  const l = pod.metadata.labels ?? {};
  return `${pod.metadata.namespace}/${l.app ?? l['job-name'] ?? l['batch.kubernetes.io/job-name'] ?? pod.metadata.name}`;
}

/** What `kubectl get pods` and a diagnosis read of a pod, without times and counts (pure). */
function summarise(pod: Json): string {
  const st = pod.status ?? {};
  const one = (cs: Json) => {
    const now = cs.state?.waiting?.reason ?? (cs.state?.running ? 'Running' : cs.state?.terminated?.reason);
    const last = cs.lastState?.terminated;
    return `${cs.name}:${now}${cs.ready ? '+ready' : ''}${last ? `/last ${last.reason} ${last.exitCode}` : ''}`;
  };
  const scheduled = (st.conditions ?? []).find((c: Json) => c.type === 'PodScheduled');
  return [
    st.phase,
    scheduled?.status === 'False' ? scheduled.reason : '',
    ...(st.initContainerStatuses ?? []).map(one),
    ...(st.containerStatuses ?? []).map(one),
  ].join(' ');
}

/** A Pending pod whose containers are pulling or running, none failed yet: a start-up state. Pure. */
function startingUp(summary: string): boolean {
  const [phase, ...containers] = summary.split(' ').filter(Boolean);
  return (
    phase === 'Pending' &&
    containers.length > 0 &&
    containers.some((c) => c.endsWith(':ContainerCreating')) &&
    containers.every((c) => /:(ContainerCreating|Running|Running\+ready)$/.test(c))
  );
}

/** Each workload's summaries over the simulator's first WATCHED_MS, with how long each was held. */
async function simulate(): Promise<Map<string, Map<string, number>>> {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  const kubelet = new Kubelet(store, clock);
  kubelet.start();
  await loadScenario('all', { store, clock, kubelet });
  const held = new Map<string, Map<string, number>>();
  const step = 250;
  for (let t = 0; t < WATCHED_MS; t += step) {
    clock.advance(step);
    kubelet.flush();
    for (const pod of store.list('pods')) {
      const w = workloadOf(pod);
      const m = held.get(w) ?? new Map<string, number>();
      held.set(w, m);
      const s = summarise(pod);
      m.set(s, (m.get(s) ?? 0) + step);
    }
  }
  kubelet.stop();
  return held;
}

suite(title, () => {
  let plane: ControlPlane;
  let vk: VirtualKubelet;
  const refused: string[] = [];
  const seen = new Map<string, Set<string>>();

  beforeAll(async () => {
    plane = await startControlPlane();
    vk = await startVirtualKubelet({ plane, scenario: 'all', log: (line) => refused.push(line) });
    const until = Date.now() + WATCHED_MS;
    while (Date.now() < until) {
      const res = await plane.get('/api/v1/pods');
      for (const pod of JSON.parse(res.body).items) {
        const w = workloadOf(pod);
        const s = seen.get(w) ?? new Set<string>();
        seen.set(w, s);
        s.add(summarise(pod));
      }
      await new Promise((r) => setTimeout(r, 400));
    }
  }, 180_000);

  afterAll(async () => {
    await vk?.stop();
    await plane?.stop();
  });

  it('registers the scenario nodes and runs a pod of every workload of it', async () => {
    const nodes = JSON.parse((await plane.get('/api/v1/nodes')).body).items;
    expect(nodes.map((n: Json) => n.metadata.name).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(nodes[0].metadata.labels['topology.kubernetes.io/zone']).toMatch(/^eu-west-1[abc]$/);
    const sim = await simulate();
    expect([...seen.keys()].sort()).toEqual([...sim.keys()].sort());
    expect(refused).toEqual([]);
  });

  it('shows only states the simulator shows, and every state the simulator holds for seconds', async () => {
    const sim = await simulate();
    for (const [workload, states] of sim) {
      const real = seen.get(workload) ?? new Set();
      const steady = [...states].filter(([, ms]) => ms >= STEADY_MS).map(([s]) => s);
      expect({ workload, missing: steady.filter((s) => !real.has(s)) }).toEqual({ workload, missing: [] });
      // Before the kubelet's first status a real pod is Pending with no container statuses; the simulator's
      // scheduler and kubelet act in the same instant. And while a pod starts, which of its containers still pull
      // depends on the images its node already holds: the two backends' schedulers place pods on different nodes.
      const extra = [...real].filter((s) => !states.has(s) && !/^Pending\s*$/.test(s) && !startingUp(s));
      expect({ workload, extra }).toEqual({ workload, extra: [] });
    }
  });
});
