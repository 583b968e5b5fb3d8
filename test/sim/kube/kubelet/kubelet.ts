import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { isoSeconds } from '../store.js';
import type { KubeObject, KubeStore, StoreChange } from '../store-contract.js';
import type { ContainerRule } from './behaviour.js';
import { buildPodStatus, containerStatus, runPhase } from './build-pod-status.js';
import { chooseLogInstance } from './choose-log-instance.js';
import { BACKOFF_RESYNC_MS, decideRestart, goDuration, nextBackoff } from './crash-back-off.js';
import { EventRecorder, type InvolvedObject } from './event-recorder.js';
import { runExecHook } from './exec-hook.js';
import { type ExecAnswer, type ExecRequest, execInContainer } from './exec-in-container.js';
import { lookupImage, normaliseImage } from './image-catalogue.js';
import { missingEnvConfig, missingVolumeConfig } from './missing-config.js';
import { planContainer, pullFailure, type RunPlan } from './plan-container.js';
import { podHostPorts, podRequests } from './pod-requests.js';
import { type ContainerRun, type Instance, newContainerRun, type PodRun } from './pod-run.js';
import { fallbackMessage, type InstanceLog, type LogParams, renderLog } from './render-log.js';
import { type NodeUsage, schedulePod } from './schedule-pod.js';

type Json = any;

/** Options of the simulated kubelet and scheduler; all times are on the injected Clock. */
export interface KubeletOptions {
  /** Between a container exiting and the kubelet acting on it (the PLEG relist). @defaultValue 1000 */
  syncDelayMs?: number;
  /** Longest a graceful stop takes before a deleted pod is removed; the pod's grace period caps it. @defaultValue 1000 */
  stopMs?: number;
  /** How often unschedulable pods are retried (the scheduler's unschedulable-queue flush). @defaultValue 300000 */
  rescheduleMs?: number;
  /** How often a missing ConfigMap/Secret (env or volume) is looked for again. @defaultValue 10000 */
  configRetryMs?: number;
  /** Rules consulted before the built-in image catalogue, first match wins; see {@link Kubelet.addRule}. */
  rules?: ContainerRule[];
}

export const KUBELET_DEFAULTS = {
  syncDelayMs: 1000,
  stopMs: 1000,
  rescheduleMs: 300_000,
  configRetryMs: 10_000,
  rules: [],
} satisfies Required<KubeletOptions>;

/** The answer to a `pods/{name}/log` request once the API server has resolved the container. */
export type LogResult = { status: 200; body: string } | { status: 400; message: string };

const key = (ns: string, name: string): string => `${ns}/${name}`;
const iso = isoSeconds;
const EPOCH = '1970-01-01T00:00:00Z';

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `Always` for `:latest` or no tag, otherwise `IfNotPresent`, as the API server defaults it. */
function pullPolicy(c: Json): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image: string = c.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const tail = image.split('/').pop() ?? '';
  return !tail.includes(':') || tail.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

/**
 * The simulated kubelets of every node plus the default scheduler, driven by store changes and the injected Clock.
 * Pods without `spec.nodeName` are scheduled; bound pods have their containers run according to rules (see
 * behaviour.ts, image-catalogue.ts); status, events and per-instance logs follow what a real kubelet 1.32 writes.
 *
 * State is kept only for pods it drives; pods that arrive already Running (the scale helper's) are just accounted
 * for, which keeps 50,000 idle pods cheap.
 */
export class Kubelet {
  private readonly opts: Required<KubeletOptions>;
  private readonly rules: ContainerRule[];
  private readonly events: EventRecorder;
  private readonly runs = new Map<string, PodRun>();
  /** Requests of every pod counted against a node, by pod key. */
  private readonly accounted = new Map<
    string,
    { uid: string; node: string; cpuMillis: number; memoryBytes: number; hostPorts: string[] }
  >();
  private readonly usage = new Map<
    string,
    { cpuMillis: number; memoryBytes: number; pods: number; hostPorts: Map<string, number> }
  >();
  private readonly pending = new Set<string>();
  /** Pods bound to a node that does not exist (yet), by key → node name. */
  private readonly orphans = new Map<string, string>();
  private readonly images = new Map<string, Set<string>>();
  private readonly ipCounters = new Map<string, number>();
  private readonly deleting = new Map<string, unknown>();
  private rescheduleTimer: unknown;
  private unsubscribe?: () => void;
  private queue: { change: StoreChange; own: boolean }[] = [];
  private draining = false;
  private drainQueued = false;
  private writing = 0;
  private execs = 0;

  constructor(
    private readonly store: KubeStore,
    private readonly clock: Clock,
    opts: KubeletOptions = {},
  ) {
    this.opts = { ...KUBELET_DEFAULTS, ...opts };
    this.rules = [...this.opts.rules];
    this.events = new EventRecorder(store, clock);
  }

  /**
   * Adds a container behaviour rule after the existing ones (first match wins). Containers already started keep
   * their plan; rules apply to containers started afterwards.
   */
  addRule(rule: ContainerRule): void {
    this.rules.push(rule);
  }

  /** Subscribes to the store and takes charge of the pods already in it. */
  start(): void {
    if (this.unsubscribe) return;
    const raw = (this.store as { subscribeRaw?: (l: (e: StoreChange) => void) => () => void }).subscribeRaw;
    // The MemoryStore's raw feed skips a deep copy per change, which matters at 50,000 pods; we only read it.
    // Reactions run after the change has reached every other listener (a microtask later), never inside the
    // store's emit: an update made there would reach later watchers before the change that caused it.
    const listen = (change: StoreChange): void => {
      if (change.resource !== 'pods' && change.resource !== 'nodes') return;
      this.queue.push({ change, own: this.writing > 0 });
      if (this.drainQueued || this.draining) return;
      this.drainQueued = true;
      queueMicrotask(() => this.drain());
    };
    this.unsubscribe = raw ? raw.call(this.store, listen) : this.store.subscribe(listen);
    // The MemoryStore's scan lists without copies (read only), as the raw feed does.
    const scan = (this.store as { scan?: (r: string) => KubeObject[] }).scan;
    const all = (r: string): KubeObject[] => (scan ? scan.call(this.store, r) : this.store.list(r));
    for (const node of all('nodes'))
      this.queue.push({ change: { type: 'ADDED', resource: 'nodes', object: node }, own: false });
    for (const pod of all('pods'))
      this.queue.push({ change: { type: 'ADDED', resource: 'pods', object: pod }, own: false });
    this.drain();
  }

  /** Unsubscribes, cancels every timer and forgets its state; pods stay as they are in the store. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const run of this.runs.values()) this.clearTimers(run);
    for (const t of this.deleting.values()) this.clock.clearTimeout(t);
    this.deleting.clear();
    if (this.rescheduleTimer !== undefined) this.clock.clearTimeout(this.rescheduleTimer);
    this.rescheduleTimer = undefined;
    // Forget everything: a later start() takes the pods as it finds them (running ones are adopted as is).
    for (const m of [this.runs, this.accounted, this.usage, this.orphans]) m.clear();
    this.pending.clear();
    this.queue = [];
  }

  /**
   * Processes the store changes not yet handled, synchronously. Changes are otherwise handled a microtask after
   * they happen; tests that write to the store and look at once call this (or await a tick).
   */
  flush(): void {
    this.drain();
  }

  // ---------------------------------------------------------------- change handling

  private write<T>(fn: () => T): T {
    this.writing++;
    try {
      return fn();
    } finally {
      this.writing--;
    }
  }

  private drain(): void {
    this.drainQueued = false;
    if (this.draining) return;
    this.draining = true;
    try {
      // An index, not shift(): shift is O(n), and 50,000 pods arrive at once at start-up.
      for (let i = 0; i < this.queue.length; i++) {
        const item = this.queue[i]!;
        if (item.own) continue;
        try {
          this.handle(item.change);
        } catch (err) {
          // A pod deleted under our feet (404) or a conflicting write must not stop the kubelet.
          if (!(err instanceof Error && err.name === 'StoreError')) throw err;
        }
      }
    } finally {
      this.queue = [];
      this.draining = false;
    }
  }

  /** `change.object` may be the store's own object (raw feed) and stale by now: read only, re-read to write. */
  private handle(change: StoreChange): void {
    const o = change.object;
    if (change.resource === 'nodes') {
      if (change.type !== 'DELETED') {
        this.startOrphans(o.metadata.name);
        this.retryPending();
      }
      return;
    }
    const k = key(o.metadata.namespace, o.metadata.name);
    if (change.type === 'DELETED') {
      this.forgetPod(k, o.metadata.uid);
      return;
    }
    const run = this.runs.get(k);
    if (run && run.uid !== o.metadata.uid) this.forgetPod(k, run.uid);
    if (!o.spec?.nodeName) {
      if (o.metadata.deletionTimestamp) {
        this.removePod(o.metadata.namespace, o.metadata.name);
        return;
      }
      const fresh = this.store.get('pods', o.metadata.namespace, o.metadata.name);
      if (fresh && fresh.metadata.uid === o.metadata.uid && !fresh.spec?.nodeName) this.schedule(fresh);
      return;
    }
    if (o.metadata.deletionTimestamp) {
      this.beginDeletion(o);
      return;
    }
    if (run && run.uid === o.metadata.uid) {
      if (o.spec?.activeDeadlineSeconds !== run.spec.activeDeadlineSeconds && !run.terminal) {
        // activeDeadlineSeconds may be changed on a live pod (only lowered, which the API server enforces).
        run.spec = { ...run.spec, activeDeadlineSeconds: o.spec?.activeDeadlineSeconds };
        this.armDeadline(run);
      }
      this.addEphemeral(run, o);
      return;
    }
    if (this.isAlreadyRunning(o)) {
      this.account(k, o, o.spec.nodeName);
      return;
    }
    const fresh = this.store.get('pods', o.metadata.namespace, o.metadata.name);
    if (!fresh || fresh.metadata.uid !== o.metadata.uid || fresh.metadata.deletionTimestamp) return;
    this.account(k, fresh, fresh.spec.nodeName);
    this.startPod(fresh);
  }

  /** (Re)arms the activeDeadlineSeconds timer, counted from status.startTime as the kubelet does. */
  private armDeadline(run: PodRun): void {
    if (run.deadlineTimer !== undefined) this.clock.clearTimeout(run.deadlineTimer);
    run.deadlineTimer = undefined;
    const ads = run.spec.activeDeadlineSeconds;
    if (typeof ads !== 'number') return;
    run.deadlineTimer = this.clock.setTimeout(
      () => this.act(run, () => this.deadlineExceeded(run)),
      Math.max(0, run.startTime + ads * 1000 - this.clock.now()),
    );
  }

  /**
   * Ephemeral containers added through pods/ephemeralcontainers start at once on a running pod (restartPolicy
   * Never, no probes), as `kubectl debug -it --target` relies on.
   */
  private addEphemeral(run: PodRun, pod: KubeObject): void {
    const added = (pod.spec?.ephemeralContainers ?? []).filter(
      (e: Json) => !run.containers.some((c) => c.ephemeral && c.name === e.name),
    );
    if (added.length === 0) return;
    this.act(run, () => {
      run.spec = pod.spec;
      for (const e of added) {
        const c: ContainerRun = {
          ...newContainerRun(e, false, 'ContainerCreating'),
          ephemeral: true,
          fieldPath: `spec.ephemeralContainers{${e.name}}`,
        };
        run.containers.push(c);
        if (!run.terminal && !run.deleting && run.sandboxReady) this.startContainer(run, c);
      }
    });
  }

  /** A pod written with a running status (the scale helper's): adopted as is, with no timers of its own. */
  private isAlreadyRunning(pod: KubeObject): boolean {
    const phase = pod.status?.phase;
    return (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') && !!pod.status?.containerStatuses;
  }

  private forgetPod(k: string, uid: string): void {
    const run = this.runs.get(k);
    if (run && run.uid === uid) {
      this.clearTimers(run);
      this.runs.delete(k);
    }
    const t = this.deleting.get(k);
    if (t !== undefined) this.clock.clearTimeout(t);
    this.deleting.delete(k);
    this.events.forget(uid);
    this.pending.delete(k);
    this.orphans.delete(k);
    if (this.release(k, uid)) this.retryPending();
  }

  private clearTimers(run: PodRun): void {
    for (const c of run.containers) if (c.timer !== undefined) this.clock.clearTimeout(c.timer);
    for (const c of run.containers) c.timer = undefined;
    if (run.podTimer !== undefined) this.clock.clearTimeout(run.podTimer);
    if (run.deadlineTimer !== undefined) this.clock.clearTimeout(run.deadlineTimer);
    run.podTimer = undefined;
    run.deadlineTimer = undefined;
  }

  // ---------------------------------------------------------------- scheduler

  private account(k: string, pod: KubeObject, node: string): void {
    if (this.accounted.has(k)) return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const req = podRequests(pod);
    const hostPorts = podHostPorts(pod);
    this.accounted.set(k, { uid: pod.metadata.uid, node, ...req, hostPorts });
    const u = this.usage.get(node) ?? { cpuMillis: 0, memoryBytes: 0, pods: 0, hostPorts: new Map() };
    u.cpuMillis += req.cpuMillis;
    u.memoryBytes += req.memoryBytes;
    u.pods++;
    for (const p of hostPorts) u.hostPorts.set(p, (u.hostPorts.get(p) ?? 0) + 1);
    this.usage.set(node, u);
  }

  /** Frees what pod `uid` held (a StatefulSet pod's successor reuses its name, not its uid). */
  private release(k: string, uid: string): boolean {
    const a = this.accounted.get(k);
    if (!a || a.uid !== uid) return false;
    this.accounted.delete(k);
    const u = this.usage.get(a.node);
    if (u) {
      u.cpuMillis -= a.cpuMillis;
      u.memoryBytes -= a.memoryBytes;
      u.pods--;
      for (const p of a.hostPorts) u.hostPorts.set(p, (u.hostPorts.get(p) ?? 1) - 1);
    }
    return true;
  }

  private startOrphans(nodeName: string): void {
    for (const [k, node] of [...this.orphans]) {
      if (node !== nodeName) continue;
      this.orphans.delete(k);
      const [ns, name] = k.split('/') as [string, string];
      const pod = this.store.get('pods', ns, name);
      if (pod?.spec?.nodeName === nodeName && !this.runs.has(k) && !pod.metadata.deletionTimestamp) this.startPod(pod);
    }
  }

  private retryPending(): void {
    for (const k of [...this.pending]) {
      const [ns, name] = k.split('/') as [string, string];
      const pod = this.store.get('pods', ns, name);
      if (!pod || pod.spec?.nodeName) {
        this.pending.delete(k);
        continue;
      }
      this.schedule(pod);
    }
  }

  private schedule(pod: KubeObject): void {
    const k = key(pod.metadata.namespace, pod.metadata.name);
    const now = this.clock.now();
    if ((pod.spec?.schedulingGates ?? []).length > 0) {
      this.setUnscheduled(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates');
      return;
    }
    const nodes: NodeUsage[] = this.store.list('nodes').map((node) => ({
      node,
      ...(this.usage.get(node.metadata.name) ?? { cpuMillis: 0, memoryBytes: 0, pods: 0 }),
    }));
    const req = podRequests(pod);
    const result = schedulePod(pod, req, nodes, podHostPorts(pod));
    if (!result.ok) {
      this.setUnscheduled(pod, 'Unschedulable', result.message);
      this.event(this.ref(pod), 'Warning', 'FailedScheduling', result.message, 'default-scheduler');
      this.pending.add(k);
      this.armReschedule();
      return;
    }
    this.pending.delete(k);
    pod.spec.nodeName = result.nodeName;
    pod.status = {
      ...(pod.status ?? {}),
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(now) }],
    };
    this.write(() => this.store.update('pods', pod));
    this.event(
      this.ref(pod),
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${result.nodeName}`,
      'default-scheduler',
    );
    this.account(k, pod, result.nodeName);
    this.startPod(pod);
  }

  private setUnscheduled(pod: KubeObject, reason: string, message: string): void {
    const prev = (pod.status?.conditions ?? []).find((c: Json) => c.type === 'PodScheduled');
    if (prev && prev.status === 'False' && prev.reason === reason && prev.message === message) return;
    pod.status = {
      ...(pod.status ?? {}),
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : iso(this.clock.now()),
          reason,
          message,
        },
      ],
    };
    this.write(() => this.store.update('pods', pod));
  }

  private armReschedule(): void {
    if (this.rescheduleTimer !== undefined) return;
    this.rescheduleTimer = this.clock.setTimeout(() => {
      this.rescheduleTimer = undefined;
      this.retryPending();
      this.drain();
      if (this.pending.size > 0) this.armReschedule();
    }, this.opts.rescheduleMs);
  }

  // ---------------------------------------------------------------- events

  private ref(pod: KubeObject, fieldPath?: string): InvolvedObject {
    return {
      kind: 'Pod',
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      apiVersion: 'v1',
      ...(fieldPath ? { fieldPath } : {}),
    };
  }

  private runRef(run: PodRun, c?: ContainerRun): InvolvedObject {
    return {
      kind: 'Pod',
      namespace: run.ns,
      name: run.name,
      uid: run.uid,
      apiVersion: 'v1',
      ...(c ? { fieldPath: c.fieldPath } : {}),
    };
  }

  private event(
    obj: InvolvedObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: 'kubelet' | 'default-scheduler',
    host?: string,
  ): void {
    this.events.record(obj, type, reason, message, host ? { component, host } : { component });
  }

  private kev(
    run: PodRun,
    c: ContainerRun | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    this.event(this.runRef(run, c), type, reason, message, 'kubelet', run.node);
  }

  // ---------------------------------------------------------------- pod lifecycle

  private startPod(pod: KubeObject): void {
    const nodeName: string = pod.spec.nodeName;
    const node = this.store.get('nodes', undefined, nodeName);
    // A pod bound to a node that does not exist stays Pending until a kubelet of that name registers.
    if (!node) {
      this.orphans.set(key(pod.metadata.namespace, pod.metadata.name), nodeName);
      return;
    }
    this.orphans.delete(key(pod.metadata.namespace, pod.metadata.name));
    const now = this.clock.now();
    const addresses: Json[] = node.status?.addresses ?? [];
    const hostIP: string = addresses.find((a) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
    const n = (this.ipCounters.get(nodeName) ?? 1) + 1;
    this.ipCounters.set(nodeName, n);
    const cidr: string = node.spec?.podCIDR ?? `10.244.${this.nodeIndex(nodeName)}.0/24`;
    const base = cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    const hostNetwork = !!pod.spec.hostNetwork;
    const spec = pod.spec;
    const inits: Json[] = spec.initContainers ?? [];
    const containers: ContainerRun[] = [
      ...inits.map((c) => newContainerRun(c, true, 'PodInitializing')),
      ...(spec.containers ?? []).map((c: Json) =>
        newContainerRun(
          c,
          false,
          inits.some((i) => i.restartPolicy !== 'Always') ? 'PodInitializing' : 'ContainerCreating',
        ),
      ),
    ];
    const scheduled = (pod.status?.conditions ?? []).find((c: Json) => c.type === 'PodScheduled');
    const run: PodRun = {
      ns: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      node: nodeName,
      hostIP,
      podIP: hostNetwork ? hostIP : `${base}.${n % 254 || 254}`,
      startTime: now,
      spec,
      containers,
      conditions: new Map([
        ['PodScheduled', { status: 'True', since: scheduled ? Date.parse(scheduled.lastTransitionTime) || now : now }],
      ]),
      sandboxReady: false,
      deleting: false,
    };
    this.runs.set(key(run.ns, run.name), run);
    this.armDeadline(run);
    this.mountVolumes(run);
    this.writeStatus(run);
  }

  private nodeIndex(node: string): number {
    const m = /(\d+)$/.exec(node);
    return m ? Number(m[1]) : 1 + (Number.parseInt(hex(node).slice(0, 2), 16) % 200);
  }

  /** Runs `fn` for a pod still driven by us, then writes its status and processes the changes it caused. */
  private act(run: PodRun, fn: () => void): void {
    if (this.runs.get(key(run.ns, run.name)) !== run) return;
    try {
      fn();
      this.writeStatus(run);
    } catch (err) {
      if (!(err instanceof Error && err.name === 'StoreError')) throw err;
    }
    this.drain();
  }

  private lookup = (resource: 'configmaps' | 'secrets', ns: string, name: string): KubeObject | undefined =>
    this.store.get(resource, ns, name);

  /** Volumes first: a missing ConfigMap/Secret volume keeps the pod in ContainerCreating with FailedMount events. */
  private mountVolumes(run: PodRun): void {
    const missing = missingVolumeConfig(run.spec, run.ns, this.lookup);
    if (missing) {
      this.kev(run, undefined, 'Warning', 'FailedMount', missing);
      run.podTimer = this.clock.setTimeout(() => this.act(run, () => this.mountVolumes(run)), this.opts.configRetryMs);
      return;
    }
    run.podTimer = undefined;
    run.sandboxReady = true;
    this.sync(run);
  }

  /** Starts what may start: init containers one at a time in order (native sidecars once started), then the rest. */
  private sync(run: PodRun): void {
    if (run.terminal || run.deleting || !run.sandboxReady) return;
    for (const c of run.containers) {
      if (c.ephemeral) continue;
      if (!c.init) {
        if (c.step === 'idle') this.startContainer(run, c);
        continue;
      }
      if (c.sidecar) {
        if (c.step === 'idle') this.startContainer(run, c);
        if (!c.everStarted) return;
        continue;
      }
      if (c.step === 'done' && c.state.terminated?.exitCode === 0) continue;
      if (c.step === 'idle') this.startContainer(run, c);
      return;
    }
  }

  private pullMs(image: string): number {
    return 400 + (Number.parseInt(hex(image).slice(0, 4), 16) % 1200);
  }

  private startContainer(run: PodRun, c: ContainerRun): void {
    const image: string = c.spec.image ?? '';
    const now = this.clock.now();
    c.step = 'pulling';
    const failure = pullFailure(image, this.rules);
    const nodeImages = this.images.get(run.node) ?? new Set<string>();
    this.images.set(run.node, nodeImages);
    if (failure) {
      this.kev(run, c, 'Normal', 'Pulling', `Pulling image "${image}"`);
      c.timer = this.clock.setTimeout(() => this.act(run, () => this.pullFailed(run, c, failure)), this.pullMs(image));
      return;
    }
    if (nodeImages.has(image) && pullPolicy(c.spec) !== 'Always') {
      this.kev(run, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      this.create(run, c);
      return;
    }
    this.kev(run, c, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const ms = this.pullMs(image);
    c.timer = this.clock.setTimeout(
      () =>
        this.act(run, () => {
          c.timer = undefined;
          nodeImages.add(image);
          const size = lookupImage(image).sizeBytes;
          const took = goDuration(this.clock.now() - now);
          this.kev(
            run,
            c,
            'Normal',
            'Pulled',
            `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`,
          );
          this.create(run, c);
        }),
      ms,
    );
  }

  /** ErrImagePull now, ImagePullBackOff at the next sync, another try when the image back-off ends. */
  private pullFailed(run: PodRun, c: ContainerRun, message: string): void {
    const image: string = c.spec.image ?? '';
    const now = this.clock.now();
    c.timer = undefined;
    c.step = 'waiting';
    this.kev(run, c, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    this.kev(run, c, 'Warning', 'Failed', 'Error: ErrImagePull');
    c.state = { waiting: { reason: 'ErrImagePull', message } };
    c.pullBackoff = nextBackoff(c.pullBackoff, now, now);
    const msg = `Back-off pulling image "${image}"`;
    this.waitOut(
      run,
      c,
      now + c.pullBackoff.delay,
      now + this.opts.syncDelayMs,
      () => {
        this.kev(run, c, 'Normal', 'BackOff', msg);
        this.kev(run, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        c.state = { waiting: { reason: 'ImagePullBackOff', message: msg } };
      },
      () => this.startContainer(run, c),
    );
  }

  /**
   * Waits until `until`, syncing the pod at `firstSync` and then every 10 s meanwhile (`onSync`, which re-emits the
   * back-off events: the pod worker requeues a pod in back-off every 10 s, so real BackOff counts outgrow restart
   * counts), then runs `done`.
   */
  private waitOut(
    run: PodRun,
    c: ContainerRun,
    until: number,
    firstSync: number,
    onSync: () => void,
    done: () => void,
  ): void {
    const tick = (at: number): void => {
      const next = Math.min(at, until);
      c.timer = this.clock.setTimeout(
        () =>
          this.act(run, () => {
            c.timer = undefined;
            if (this.clock.now() >= until) {
              done();
              return;
            }
            onSync();
            tick(this.clock.now() + BACKOFF_RESYNC_MS);
          }),
        Math.max(0, next - this.clock.now()),
      );
    };
    tick(firstSync);
  }

  private plan(run: PodRun, c: ContainerRun): RunPlan {
    c.plan ??= planContainer(c.spec, { podSpec: run.spec, isInit: c.init, rules: this.rules });
    return c.plan;
  }

  /** Builds the container config (env references), creates and starts the container. */
  private create(run: PodRun, c: ContainerRun): void {
    const now = this.clock.now();
    c.timer = undefined;
    const missing = missingEnvConfig(c.spec, run.ns, this.lookup);
    if (missing) {
      c.step = 'waiting';
      c.state = { waiting: { reason: 'CreateContainerConfigError', message: missing } };
      this.kev(run, c, 'Warning', 'Failed', `Error: ${missing}`);
      c.timer = this.clock.setTimeout(() => this.act(run, () => this.startContainer(run, c)), this.opts.configRetryMs);
      return;
    }
    const plan = this.plan(run, c);
    if (c.state.terminated) {
      c.lastState = { terminated: c.state.terminated };
      c.last = c.cur;
    }
    c.created++;
    c.hookError = undefined;
    c.restartCount = c.created - 1;
    c.containerID = `containerd://${hex(`${run.uid}/${c.name}/${c.created}`)}`;
    c.imageID = `${normaliseImage(c.spec.image ?? '').replace(/:[^:/]+$/, '')}@sha256:${hex(c.spec.image ?? '')}`;
    c.cur = { id: c.containerID, startedAt: now, restart: c.restartCount };
    this.kev(run, c, 'Normal', 'Created', `Created container: ${c.name}`);
    if (plan.kind === 'startError') {
      this.kev(run, c, 'Warning', 'Failed', `Error: ${plan.message}`);
      this.exited(run, c, { exitCode: 128, reason: 'StartError', message: plan.message, startedAt: EPOCH });
      return;
    }
    this.kev(run, c, 'Normal', 'Started', `Started container ${c.name}`);
    c.step = 'running';
    c.state = { running: { startedAt: iso(now) } };
    c.ready = !c.init || c.sidecar;
    c.started = true;
    c.everStarted = true;
    if (this.postStartFailed(run, c)) return;
    if (plan.kind === 'exit') {
      c.timer = this.clock.setTimeout(
        () =>
          this.act(run, () =>
            this.exited(run, c, {
              exitCode: plan.exitCode,
              reason: plan.reason,
              ...(plan.reason === 'OOMKilled' ? { signal: 9 } : {}),
              ...(plan.terminationMessage ? { message: plan.terminationMessage } : {}),
            }),
          ),
        plan.afterMs,
      );
    } else if (plan.kind === 'failLiveness') {
      this.probe(run, c, plan.probeMessage, 1);
    } else if (plan.kind === 'failReadiness') {
      c.ready = false;
      this.readinessProbe(run, c, plan.probeMessage, 1);
    }
    if (c.sidecar) this.sync(run);
  }

  /**
   * Runs the postStart exec hook right after the start, as kuberuntime's startContainer does. On failure (Kubernetes
   * 1.24+) the event says only "PostStartHook failed" (details stay out of events, which may hold secrets), the
   * container is killed (Killing "FailedPostStartHook", exit 137) and the details go to the waiting message.
   */
  private postStartFailed(run: PodRun, c: ContainerRun): boolean {
    const handler = c.spec.lifecycle?.postStart;
    const failure = runExecHook(c.spec, handler, { podSpec: run.spec, rules: this.rules });
    if (!failure) return false;
    c.ready = false;
    this.kev(run, c, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
    this.kev(run, c, 'Normal', 'Killing', 'FailedPostStartHook');
    const command: string[] = handler.exec.command;
    const message =
      `Exec lifecycle hook ([${command.join(' ')}]) for Container "${c.name}" in Pod "${run.name}_${run.ns}(${run.uid})" ` +
      `failed - error: ${failure.error}, message: ${JSON.stringify(failure.output)}`;
    const grace = run.spec.terminationGracePeriodSeconds ?? 30;
    c.timer = this.clock.setTimeout(
      () =>
        this.act(run, () => {
          this.exited(run, c, { exitCode: 137, reason: 'Error', signal: 9 });
          c.hookError = message;
        }),
      Math.min(grace * 1000, this.opts.stopMs),
    );
    return true;
  }

  /** Readiness failures: the container stays unready and each period adds to one Unhealthy event's count. */
  private readinessProbe(run: PodRun, c: ContainerRun, message: string, n: number): void {
    const p = c.spec.readinessProbe ?? {};
    const period = (p.periodSeconds ?? 10) * 1000;
    const first = Math.max((p.initialDelaySeconds ?? 0) * 1000, 1000);
    const at = (c.cur?.startedAt ?? this.clock.now()) + first + (n - 1) * period;
    c.timer = this.clock.setTimeout(
      () =>
        this.act(run, () => {
          c.timer = undefined;
          const text = message.replaceAll('{{podIP}}', run.podIP);
          this.kev(run, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${text}`);
          this.readinessProbe(run, c, message, n + 1);
        }),
      Math.max(0, at - this.clock.now()),
    );
  }

  /** Schedules liveness probe failure number `n`; at failureThreshold the container is killed and restarted. */
  private probe(run: PodRun, c: ContainerRun, message: string, n: number): void {
    const p = c.spec.livenessProbe ?? {};
    const period = (p.periodSeconds ?? 10) * 1000;
    const first = Math.max((p.initialDelaySeconds ?? 0) * 1000, 1000);
    const threshold = p.failureThreshold ?? 3;
    const startedAt = c.cur?.startedAt ?? this.clock.now();
    const at = startedAt + first + (n - 1) * period;
    c.timer = this.clock.setTimeout(
      () =>
        this.act(run, () => {
          c.timer = undefined;
          this.kev(
            run,
            c,
            'Warning',
            'Unhealthy',
            `Liveness probe failed: ${message.replaceAll('{{podIP}}', run.podIP)}`,
          );
          if (n < threshold) {
            this.probe(run, c, message, n + 1);
            return;
          }
          this.kev(run, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
          const grace = p.terminationGracePeriodSeconds ?? run.spec.terminationGracePeriodSeconds ?? 30;
          c.timer = this.clock.setTimeout(
            () => this.act(run, () => this.exited(run, c, { exitCode: 137, reason: 'Error', signal: 9 })),
            Math.min(grace * 1000, this.opts.stopMs),
          );
        }),
      Math.max(0, at - this.clock.now()),
    );
  }

  private instanceLog(run: PodRun, inst: Instance, c: ContainerRun): InstanceLog {
    return {
      startedAt: inst.startedAt,
      ...(inst.finishedAt !== undefined ? { finishedAt: inst.finishedAt } : {}),
      script: c.plan && c.plan.kind !== 'startError' ? c.plan.script : [],
      vars: { restart: inst.restart, pod: run.name, podIP: run.podIP },
    };
  }

  /** The container's process ended: record it, then restart it (with back-off) or leave it stopped. */
  private exited(
    run: PodRun,
    c: ContainerRun,
    t: { exitCode: number; reason: string; signal?: number; message?: string; startedAt?: string },
  ): void {
    const now = this.clock.now();
    if (c.timer !== undefined) this.clock.clearTimeout(c.timer);
    c.timer = undefined;
    const inst = c.cur;
    if (inst) inst.finishedAt = now;
    let message = t.message;
    if (
      message === undefined &&
      t.exitCode !== 0 &&
      c.spec.terminationMessagePolicy === 'FallbackToLogsOnError' &&
      inst
    ) {
      const text = fallbackMessage(this.instanceLog(run, inst, c), now);
      if (text) message = text;
    }
    c.state = {
      terminated: {
        exitCode: t.exitCode,
        ...(t.signal ? { signal: t.signal } : {}),
        reason: t.reason,
        ...(message ? { message } : {}),
        startedAt: t.startedAt ?? iso(inst?.startedAt ?? now),
        finishedAt: iso(now),
        containerID: c.containerID,
      },
    };
    c.ready = c.init && !c.sidecar && t.exitCode === 0;
    c.started = false;
    c.step = 'exited';
    const podPolicy = run.spec.restartPolicy ?? 'Always';
    const policy = c.ephemeral
      ? 'Never'
      : c.sidecar
        ? 'Always'
        : c.init
          ? podPolicy === 'Never'
            ? 'Never'
            : 'OnFailure'
          : podPolicy;
    const restart = policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
    if (!restart) {
      c.step = 'done';
      if (c.init && t.exitCode === 0) this.sync(run);
      this.afterPhaseChange(run);
      return;
    }
    c.timer = this.clock.setTimeout(() => this.act(run, () => this.restart(run, c)), this.opts.syncDelayMs);
  }

  /**
   * The kubelet's doBackOff: the first restart is immediate; after that the container waits in CrashLoopBackOff
   * for the current back-off, which doubles (10 s → 5 min) at each restart and resets after 10 min without a
   * restart.
   */
  private restart(run: PodRun, c: ContainerRun): void {
    const now = this.clock.now();
    c.timer = undefined;
    const decision = decideRestart(c.backoff, c.cur?.finishedAt ?? now, now);
    if (decision.start) {
      c.backoff = decision.backoff;
      this.startContainer(run, c);
      return;
    }
    c.lastState = { terminated: c.state.terminated };
    c.last = c.cur;
    c.cur = undefined;
    c.step = 'waiting';
    // The back-off error replaces a cached hook error in the reason cache.
    c.hookError = undefined;
    const podName = `${run.name}_${run.ns}(${run.uid})`;
    c.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(decision.delay)} restarting failed container=${c.name} pod=${podName}`,
      },
    };
    const backOff = (): void =>
      this.kev(run, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podName}`);
    backOff();
    this.waitOut(run, c, decision.until, now + BACKOFF_RESYNC_MS, backOff, () => {
      c.backoff = decision.next(this.clock.now());
      this.startContainer(run, c);
    });
  }

  /** activeDeadlineSeconds passed: the kubelet kills the pod's containers and fails it (pkg/kubelet/active_deadline.go). */
  private deadlineExceeded(run: PodRun): void {
    run.deadlineTimer = undefined;
    if (run.terminal) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.kev(run, undefined, 'Warning', 'DeadlineExceeded', message);
    this.stopAll(run, true);
    run.terminal = { phase: 'Failed', reason: 'DeadlineExceeded', message };
    this.afterPhaseChange(run);
  }

  /** Kills every running container (Killing events) and cancels every pending start. */
  private stopAll(run: PodRun, announce: boolean): void {
    const now = this.clock.now();
    for (const c of run.containers) {
      if (c.timer !== undefined) this.clock.clearTimeout(c.timer);
      c.timer = undefined;
      if (c.step === 'running') {
        if (announce) this.kev(run, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        if (c.cur) c.cur.finishedAt = now;
        c.state = {
          terminated: {
            exitCode: 137,
            signal: 9,
            reason: 'Error',
            startedAt: iso(c.cur?.startedAt ?? now),
            finishedAt: iso(now),
            containerID: c.containerID,
          },
        };
        c.ready = false;
        c.started = false;
      }
      c.step = 'done';
    }
    if (run.podTimer !== undefined) this.clock.clearTimeout(run.podTimer);
    run.podTimer = undefined;
  }

  /** A pod that reached Succeeded or Failed no longer holds its requests on the node. */
  private afterPhaseChange(run: PodRun): void {
    const phase = runPhase(run);
    if (phase !== 'Succeeded' && phase !== 'Failed') return;
    if (run.deadlineTimer !== undefined) this.clock.clearTimeout(run.deadlineTimer);
    run.deadlineTimer = undefined;
    if (this.release(key(run.ns, run.name), run.uid)) this.retryPending();
  }

  // ---------------------------------------------------------------- deletion

  /**
   * Graceful deletion: the API server set deletionTimestamp; the kubelet stops the containers (Killing events),
   * reports them terminated and removes the pod once they are down (capped by the grace period).
   */
  private beginDeletion(pod: KubeObject): void {
    const k = key(pod.metadata.namespace, pod.metadata.name);
    if (this.deleting.has(k)) return;
    const grace: number = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const run = this.runs.get(k);
    if (run) {
      run.deleting = true;
      this.clearTimers(run);
      for (const c of run.containers) {
        if (c.step === 'running') this.kev(run, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
    } else {
      for (const cs of pod.status?.containerStatuses ?? []) {
        if (cs.state?.running) {
          this.event(
            this.ref(pod, `spec.containers{${cs.name}}`),
            'Normal',
            'Killing',
            `Stopping container ${cs.name}`,
            'kubelet',
            pod.spec.nodeName,
          );
        }
      }
    }
    const finish = (): void => {
      this.deleting.delete(k);
      const current = this.store.get('pods', pod.metadata.namespace, pod.metadata.name);
      if (!current || current.metadata.uid !== pod.metadata.uid) return;
      // With finalizers the API server keeps the object until they are gone; the kubelet's part is done.
      const keep = (current.metadata.finalizers ?? []).length > 0;
      if (run && grace > 0) {
        this.stopAll(run, false);
        const phase = runPhase(run);
        run.terminal = { phase: phase === 'Succeeded' ? 'Succeeded' : 'Failed', reason: '', message: '' };
        this.writeStatus(run);
      }
      if (!keep) this.removePod(pod.metadata.namespace, pod.metadata.name);
    };
    if (grace <= 0) {
      finish();
      return;
    }
    this.deleting.set(
      k,
      this.clock.setTimeout(
        () => {
          finish();
          this.drain();
        },
        Math.min(grace * 1000, this.opts.stopMs),
      ),
    );
  }

  private removePod(ns: string, name: string): void {
    try {
      this.store.remove('pods', ns, name);
    } catch (err) {
      if (!(err instanceof Error && err.name === 'StoreError')) throw err;
    }
  }

  // ---------------------------------------------------------------- status

  private writeStatus(run: PodRun): void {
    if (this.runs.get(key(run.ns, run.name)) !== run) return;
    const pod = this.store.get('pods', run.ns, run.name);
    if (!pod || pod.metadata.uid !== run.uid) return;
    const status = buildPodStatus(run, this.clock.now());
    // The status manager writes only when something changed; no MODIFIED event otherwise.
    if (JSON.stringify(status) === JSON.stringify(pod.status)) return;
    pod.status = status;
    this.write(() => this.store.update('pods', pod));
  }

  // ---------------------------------------------------------------- logs

  /**
   * The kubelet's answer to `pods/{name}/log` for a container the API server has already resolved
   * (kubelet_pods.go validateContainerLogStatus): previous → the last terminated instance or 400; running or
   * terminated → the current instance; waiting after a crash → the last crashed instance; waiting before any start
   * → 400 `container "c" in pod "p" is waiting to start: <reason>`. A pod not bound to a node answers empty.
   */
  readLog(namespace: string, podName: string, params: LogParams): LogResult {
    const pod = this.store.get('pods', namespace, podName);
    if (!pod?.spec?.nodeName) return { status: 200, body: '' };
    const name = params.container;
    const run = this.runs.get(key(namespace, podName));
    const now = this.clock.now();
    const driven = run && run.uid === pod.metadata.uid ? run : undefined;
    const c = driven?.containers.find((x) => x.name === name);
    const cs: Json = c
      ? containerStatus(c)
      : [
          ...(pod.status?.containerStatuses ?? []),
          ...(pod.status?.initContainerStatuses ?? []),
          ...(pod.status?.ephemeralContainerStatuses ?? []),
        ].find((x: Json) => x.name === name);
    const source = chooseLogInstance(cs, name, podName, !!params.previous);
    if (!source.ok) return { status: 400, message: source.message };
    const id = source.containerID;
    if (driven && c) {
      const inst = c.cur?.id === id ? c.cur : c.last?.id === id ? c.last : undefined;
      return { status: 200, body: inst ? renderLog(this.instanceLog(driven, inst, c), params, now) : '' };
    }
    // An adopted pod: its running instance prints what its plan says, from its recorded start.
    const spec = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find(
      (x: Json) => x.name === name,
    );
    if (!spec || !cs.state?.running || id !== cs.containerID) return { status: 200, body: '' };
    const plan = planContainer(spec, { podSpec: pod.spec, isInit: false, rules: this.rules });
    const log: InstanceLog = {
      startedAt: Date.parse(cs.state.running.startedAt),
      script: plan.kind === 'startError' ? [] : plan.script,
      vars: { restart: cs.restartCount ?? 0, pod: podName, podIP: pod.status?.podIP ?? '' },
    };
    return { status: 200, body: renderLog(log, params, now) };
  }

  /**
   * The kubelet's answer to `pods/{name}/exec` for a container the API server has already resolved: the process
   * model of exec-shell.ts in the container's environment (exec-environment.ts), or the kubelet's refusal.
   */
  exec(namespace: string, podName: string, req: ExecRequest): ExecAnswer {
    const pod = this.store.get('pods', namespace, podName);
    if (!pod) return { kind: 'refused', message: 'pod does not exist' };
    const readKey = (kind: 'configmaps' | 'secrets', name: string, k: string): string | undefined => {
      const data = this.store.get(kind, namespace, name)?.data?.[k];
      return data === undefined ? undefined : kind === 'secrets' ? Buffer.from(data, 'base64').toString('utf8') : data;
    };
    const execId = hex(`${pod.metadata.uid}/${req.container}/${++this.execs}`);
    return execInContainer(pod, req, { readKey, execId });
  }
}
