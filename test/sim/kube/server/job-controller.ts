import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock.js';
import { type HistoryEntry, isoSeconds, type MemoryStore } from '../store.js';
import type { KubeObject } from '../store-contract.js';
import { deletePodGracefully } from './pod-deletion.js';
import { recordEvent } from './record-event.js';
import type { CreatePod } from './replicaset-controller.js';

type Any = any;

/** The job controller's pod failure back-off: 10 s doubling, at most 6 min (pkg/controller/job). */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 360_000;

const phase = (p: KubeObject): string | undefined => p.status?.phase;
const isReady = (p: KubeObject): boolean =>
  (p.status?.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
const restarts = (p: KubeObject): number =>
  [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].reduce(
    (n: number, c: Any) => n + (c.restartCount ?? 0),
    0,
  );
const jobOwner = (p: KubeObject): Any | undefined =>
  (p.metadata.ownerReferences ?? []).find(
    (r: Any) => r.controller === true && r.kind === 'Job' && r.apiVersion === 'batch/v1',
  );

/**
 * A Job controller for NonIndexed jobs, as kube-controller-manager runs one: creates pods up to `parallelism`
 * until `completions` succeed, retries failed pods with back-off until `backoffLimit` (for restartPolicy OnFailure,
 * container restarts count), honours `activeDeadlineSeconds` and `suspend`, and writes status (active, ready,
 * succeeded, failed, terminating, startTime, completionTime, SuccessCriteriaMet/Complete or FailureTarget/Failed)
 * and events.
 */
export class JobController {
  private readonly timers = new Map<string, unknown>();

  constructor(
    private readonly store: MemoryStore,
    private readonly clock: Clock,
    private readonly createPod: CreatePod,
  ) {}

  /** Whether a change can matter to a Job. */
  static relevant(e: HistoryEntry): boolean {
    if (e.resource === 'jobs') return e.type !== 'DELETED';
    if (e.resource !== 'pods' || !jobOwner(e.object)) return false;
    if (e.type !== 'MODIFIED' || !e.prev) return true;
    const a = e.prev;
    const b = e.object;
    return (
      phase(a) !== phase(b) ||
      isReady(a) !== isReady(b) ||
      restarts(a) !== restarts(b) ||
      !!a.metadata.deletionTimestamp !== !!b.metadata.deletionTimestamp
    );
  }

  handle(e: HistoryEntry): void {
    const ns = e.namespace as string;
    const name = e.resource === 'jobs' ? e.object.metadata.name : jobOwner(e.object)?.name;
    if (name) this.sync(ns, name);
  }

  /** Cancels pending re-syncs. */
  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
  }

  private later(ns: string, name: string, ms: number): void {
    const key = `${ns}/${name}`;
    const old = this.timers.get(key);
    if (old !== undefined) this.clock.clearTimeout(old);
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        this.sync(ns, name);
      }, ms),
    );
  }

  private sync(ns: string, name: string): void {
    const job = this.store.peek('jobs', ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = job.spec ?? {};
    const st: Any = structuredClone(job.status ?? {});
    const conditions: Any[] = st.conditions ?? [];
    const finished = conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const nowMs = this.clock.now();
    const now = isoSeconds(nowMs);
    const pods = this.store.scan('pods', ns).filter((p) => jobOwner(p)?.uid === job.metadata.uid);
    const active = pods.filter(
      (p) => !p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed',
    );
    const succeeded = pods.filter((p) => phase(p) === 'Succeeded').length;
    const failedPods = pods.filter(
      (p) => phase(p) === 'Failed' || (p.metadata.deletionTimestamp && phase(p) !== 'Succeeded'),
    );
    const failed = failedPods.length;
    const condition = (type: string, reason: string, message: string): void => {
      if (!conditions.some((c) => c.type === type))
        conditions.push({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message });
    };
    const killActive = (): void => {
      for (const p of active) {
        const cur = this.store.peek('pods', ns, p.metadata.name);
        if (cur) deletePodGracefully(this.store, cur, undefined, now);
      }
    };

    if (!finished) {
      if (spec.suspend) {
        killActive();
      } else {
        st.startTime ??= now;
        const completions = spec.completions ?? 1;
        const deadline =
          spec.activeDeadlineSeconds !== undefined
            ? Date.parse(st.startTime) + spec.activeDeadlineSeconds * 1000
            : undefined;
        const onFailureRestarts =
          spec.template?.spec?.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + restarts(p), 0) : 0;
        if (succeeded >= completions) {
          condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
          condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods');
          st.completionTime = now;
          killActive();
          recordEvent(this.store, this.clock, job, 'Normal', 'Completed', 'Job completed', 'job-controller');
        } else if (deadline !== undefined && nowMs >= deadline) {
          condition('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline');
          condition('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
          killActive();
          recordEvent(
            this.store,
            this.clock,
            job,
            'Warning',
            'DeadlineExceeded',
            'Job was active longer than specified deadline',
            'job-controller',
          );
        } else if (
          failed + onFailureRestarts > (spec.backoffLimit ?? 6) ||
          (onFailureRestarts > 0 && onFailureRestarts >= (spec.backoffLimit ?? 6))
        ) {
          condition('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
          condition('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
          killActive();
          recordEvent(
            this.store,
            this.clock,
            job,
            'Warning',
            'BackoffLimitExceeded',
            'Job has reached the specified backoff limit',
            'job-controller',
          );
        } else {
          if (deadline !== undefined) this.later(ns, name, deadline - nowMs);
          const want = Math.min(spec.parallelism ?? 1, completions - succeeded);
          const lastFailure = Math.max(
            0,
            ...failedPods.map((p) =>
              Date.parse(
                p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ??
                  p.metadata.deletionTimestamp ??
                  p.metadata.creationTimestamp,
              ),
            ),
          );
          const delay = failed > 0 ? Math.min(BACKOFF_INITIAL_MS * 2 ** (failed - 1), BACKOFF_MAX_MS) : 0;
          if (active.length < want && failed > 0 && nowMs < lastFailure + delay)
            this.later(ns, name, lastFailure + delay - nowMs);
          else
            for (let i = active.length; i < want; i++) {
              const tmpl = spec.template ?? {};
              const pod: KubeObject = {
                apiVersion: 'v1',
                kind: 'Pod',
                metadata: {
                  generateName: `${name}-`,
                  namespace: ns,
                  labels: { ...(tmpl.metadata?.labels ?? {}) },
                  ...(tmpl.metadata?.annotations ? { annotations: { ...tmpl.metadata.annotations } } : {}),
                  ownerReferences: [
                    {
                      apiVersion: 'batch/v1',
                      kind: 'Job',
                      name,
                      uid: job.metadata.uid,
                      controller: true,
                      blockOwnerDeletion: true,
                    },
                  ],
                },
                spec: structuredClone(tmpl.spec ?? {}),
              };
              try {
                const made = this.createPod(pod);
                recordEvent(
                  this.store,
                  this.clock,
                  job,
                  'Normal',
                  'SuccessfulCreate',
                  `Created pod: ${made.metadata.name}`,
                  'job-controller',
                );
              } catch (err) {
                recordEvent(
                  this.store,
                  this.clock,
                  job,
                  'Warning',
                  'FailedCreate',
                  `Error creating: ${(err as Error).message}`,
                  'job-controller',
                );
                break;
              }
            }
        }
      }
    }
    // Counted after the actions above, from what is stored now.
    const after = this.store.scan('pods', ns).filter((p) => jobOwner(p)?.uid === job.metadata.uid);
    const running = after.filter(
      (p) => !p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed',
    );
    const status: Any = { ...st };
    for (const [k, v] of [
      ['active', running.length],
      ['succeeded', succeeded],
      ['failed', failed],
    ] as const) {
      if (v) status[k] = v;
      else delete status[k];
    }
    status.ready = running.filter(isReady).length;
    status.terminating = after.filter(
      (p) => p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed',
    ).length;
    status.uncountedTerminatedPods = {};
    if (conditions.length) status.conditions = conditions;
    if (!isDeepStrictEqual(status, job.status ?? {})) this.store.update('jobs', { ...structuredClone(job), status });
  }
}
