import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ControlPlane,
  startControlPlane,
  startVirtualKubelet,
  type VirtualKubelet,
} from '../../control-plane/index.js';
import { readScenario } from '../../control-plane/virtual-kubelet/index.js';
import { ManualClock, RealClock } from '../../sim/kube/clock.js';
import { type AdminApi, createAdminApi, type RealClusterInfo } from './admin-api.js';
import { installAccess } from './install-access.js';

/** The nodes of the default scenario (test/sim/kube/scenarios/default-scenario.ts), with its nodes' size. */
const NODES = ['node-1', 'node-2', 'node-3'];
const NODE_CAPACITY = { cpu: '4', memory: '16Gi', pods: '110' };
/** Scenario pods whose first crash the tests expect to have happened (CrashLoopBackOff with a previous log). */
const CRASHING = ['crash-exit1', 'oom', 'liveness', 'scratch-crash', 'multi'];
/**
 * How long the scenario has been running when the bot starts, as in the simulator harness: long enough for the
 * crash-looping pods to be deep in back-off (the kubelet's delay doubles from 10 s to its 5 min cap), so they show
 * CrashLoopBackOff as a person finds them, not their first seconds.
 */
const WARM_UP_MS = 15 * 60_000;

export interface RealCluster {
  info: RealClusterInfo;
  plane: ControlPlane;
  kubelet: VirtualKubelet;
  /** The kubelet's clock: {@link WARM_UP_MS} behind at the start, then following real time. */
  clock: ManualClock;
  stop(): Promise<void>;
}

/**
 * A real control plane ready for the bot: started (test/control-plane), the virtual kubelet running the default
 * scenario's container rules on its three nodes, the shipped access objects of deploy/ applied, and the default
 * scenario's objects created in namespace `demo`, under their literal names. The kubelet's clock starts
 * {@link WARM_UP_MS} in the past; once it has started every scheduled pod the clock is fast-forwarded to now (the
 * pods crash, back off and restart through those minutes at once) and then follows real time. One per test run
 * (vitest global setup) or per benchmark.
 */
export async function startRealCluster(options: { log?: (line: string) => void } = {}): Promise<RealCluster> {
  const plane = await startControlPlane(options.log ? { log: options.log } : {});
  const clock = new ManualClock(Date.now() - WARM_UP_MS);
  let ticker: NodeJS.Timeout | undefined;
  let kubelet: VirtualKubelet | undefined;
  try {
    const info: RealClusterInfo = {
      server: plane.server,
      tls: { ca: plane.adminTls.ca ?? '', cert: plane.adminTls.cert ?? '', key: plane.adminTls.key ?? '' },
      adminKubeconfig: plane.kubeconfig,
    };
    // Literal pod names: the tests type them (`crash-exit1`), so the pods are created as orphans for the
    // controllers to adopt rather than left to the controllers to make and name.
    const scenario = await readScenario('default', new RealClock(), { keepPodNames: true });
    kubelet = await startVirtualKubelet({
      plane,
      nodeNames: NODES,
      rules: scenario.rules,
      capacity: NODE_CAPACITY,
      clock,
      ...(options.log ? { log: options.log } : {}),
    });
    await installAccess(info);
    const api = createAdminApi(info);
    await scenario.apply(plane);
    await startEveryPod(api, clock, kubelet, 60_000);
    clock.advance(Math.max(0, Date.now() - clock.now()));
    ticker = setInterval(() => clock.advance(Math.max(0, Date.now() - clock.now())), 25);
    await kubelet.idle();
    await waitForFirstCrashes(api, 30_000);
    const running = kubelet;
    const following = ticker;
    return {
      info,
      plane,
      kubelet: running,
      clock,
      async stop() {
        clearInterval(following);
        await running.stop();
        await plane.stop();
      },
    };
  } catch (e) {
    clearInterval(ticker);
    await kubelet?.stop();
    await plane.stop();
    throw e;
  }
}

/**
 * Moves the kubelet's clock a second at a time until it has started every pod the scheduler bound (its status
 * lists containers): a pod its watch has not delivered yet would otherwise miss the fast-forward.
 */
async function startEveryPod(api: AdminApi, clock: ManualClock, kubelet: VirtualKubelet, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    clock.advance(1000);
    await kubelet.idle();
    const pods = await api.list('/api/v1/namespaces/demo/pods');
    const unstarted = pods.filter(
      (p) => p.spec.nodeName && !(p.status?.containerStatuses ?? p.status?.initContainerStatuses),
    );
    const bound = pods.filter((p) => p.spec.nodeName);
    if (bound.length > 0 && unstarted.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the virtual kubelet never started: ${unstarted.map((p) => p.metadata.name).join(', ')}`);
    }
    await sleep(100);
  }
}

/** Until every pod of {@link CRASHING} has restarted once (the kubelet's back-off then runs in real time). */
async function waitForFirstCrashes(api: AdminApi, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = await api.list('/api/v1/namespaces/demo/pods');
    const waiting = CRASHING.filter((name) => {
      const pod = pods.find((p) => p.metadata.name === name);
      return !(pod?.status?.containerStatuses ?? []).some((c: { restartCount?: number }) => (c.restartCount ?? 0) > 0);
    });
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`scenario pods never crashed: ${waiting.join(', ')}`);
    await sleep(500);
  }
}
