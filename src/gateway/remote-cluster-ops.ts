import type { WorkloadRef } from '../alerts/index.js';
import { AgentGone, type TaskKind } from '../clusters/index.js';
import type { ClusterOps, LogsDiagnosis } from '../conversation/cluster-ops.js';
import { KubeError, type KubeErrorKind } from '../kube/index.js';
import { describeNoPods, type KubeFailure, type WorstPodResult } from '../pipeline/index.js';
import { HEALTH_ORDER, type PodStanding } from '../workloads/index.js';

/** Sends one task to the cluster's agent and waits for its answer (GatewayLink.ask, bound to a cluster). */
export type AskAgent = (kind: TaskKind, body: unknown) => Promise<unknown>;

/** Told of each task the agent could not answer (gone, no answer, refused), to audit it as the cluster's. */
export type OnTaskFailure = (kind: TaskKind, target: { namespace: string; pod?: string }, err: Error) => void;

const KINDS: readonly KubeErrorKind[] = ['NotFound', 'Forbidden', 'Timeout', 'Invalid', 'Conflict', 'Unavailable'];
const MAX_STANDINGS = 5000;

/**
 * A cluster's ClusterOps in the gateway, which holds no credentials: each call is a signed task for the cluster's
 * agent (`workload`, `more-logs`, `workload-of`), which reads its own API server and answers plain JSON. An answer is
 * read as that cluster's word only: a shape we did not ask for is "the agent did not answer", sentences shown to
 * people are the gateway's own, and log text arrives already redacted by the agent's pipeline. A gone agent is an
 * AgentGone ("last seen …"); a workload target turns it into an Unavailable read, as a diagnosis does.
 */
export function remoteClusterOps(cluster: string, ask: AskAgent, onFailure?: OnTaskFailure): ClusterOps {
  /** The agent's failure as one error: AgentGone as it is, anything else an Unavailable naming the cluster. */
  const asked = async (kind: TaskKind, body: unknown, target: { namespace: string; pod?: string }) => {
    try {
      return await ask(kind, body);
    } catch (e) {
      const err =
        e instanceof AgentGone
          ? e
          : new KubeError(
              'Unavailable',
              undefined,
              `the agent for @${cluster} did not answer: ${(e as Error).message}`,
            );
      onFailure?.(kind, target, err);
      throw err;
    }
  };
  const unreadable = (kind: TaskKind) =>
    new KubeError('Unavailable', undefined, `the agent for @${cluster} gave an unreadable answer to a ${kind} task`);

  return {
    async findWorstPod(namespace, workload) {
      let answer: unknown;
      try {
        answer = await asked(
          'workload',
          { namespace, workload: { kind: workload.kind, name: workload.name } },
          {
            namespace,
            pod: `${workload.kind.toLowerCase()}/${workload.name}`,
          },
        );
      } catch (err) {
        const message = err instanceof AgentGone ? err.sentence : (err as Error).message;
        return { ok: false, reason: 'kube', error: new KubeError('Unavailable', undefined, message) };
      }
      return readWorstPod(answer, namespace, workload) ?? { ok: false, reason: 'kube', error: unreadable('workload') };
    },

    async diagnoseWith(ref, opts) {
      const { callTimeoutMs: _theAgentsOwn, ...bounds } = opts;
      const answer = await asked(
        'more-logs',
        { namespace: ref.namespace, pod: ref.pod, container: ref.container, opts: bounds },
        { namespace: ref.namespace, pod: ref.pod },
      );
      const read = readLogsDiagnosis(answer);
      if (!read) throw unreadable('more-logs');
      return read;
    },

    async workloadOf(namespace, pod) {
      const answer = (await asked('workload-of', { namespace, pod }, { namespace, pod })) as Record<string, unknown>;
      const failure = readFailure(answer?.error);
      if (answer?.ok === false && failure) throw new KubeError(failure.kind, failure.status, failure.message);
      const w = answer?.workload as Partial<WorkloadRef> | undefined;
      if (answer?.ok !== true || !isText(w?.namespace) || !isText(w?.kind) || !isText(w?.name))
        throw unreadable('workload-of');
      return { namespace: w.namespace, kind: w.kind, name: w.name };
    },
  };
}

function readWorstPod(
  answer: unknown,
  namespace: string,
  workload: Parameters<ClusterOps['findWorstPod']>[1],
): WorstPodResult | undefined {
  const a = answer as Record<string, unknown> | null;
  if (a?.ok === true) {
    const standings = a.standings;
    if (!Array.isArray(standings) || standings.length === 0 || standings.length > MAX_STANDINGS) return undefined;
    if (!standings.every(isStanding) || !isText(a.pod) || !standings.some((s) => s.name === a.pod)) return undefined;
    return { ok: true, pod: a.pod, standings };
  }
  if (a?.ok !== false) return undefined;
  if (a.reason === 'no-pods' || a.reason === 'no-selector')
    return { ok: false, reason: a.reason, message: describeNoPods(a.reason, namespace, workload) };
  const failure = a.reason === 'kube' ? readFailure(a.error) : undefined;
  return failure
    ? { ok: false, reason: 'kube', error: new KubeError(failure.kind, failure.status, failure.message) }
    : undefined;
}

function readLogsDiagnosis(answer: unknown): LogsDiagnosis | undefined {
  const a = answer as Record<string, unknown> | null;
  if (a?.ok === true) {
    const d = a.diagnosis as Record<string, unknown> | undefined;
    if (!d || !Array.isArray(d.logs) || !Array.isArray(d.containers) || typeof a.redactions !== 'number')
      return undefined;
    return a as LogsDiagnosis;
  }
  if (a?.ok !== false) return undefined;
  if (a.reason === 'no-container')
    return isText(a.container) && Array.isArray(a.containers) && a.containers.every(isText)
      ? { ok: false, reason: 'no-container', container: a.container, containers: a.containers }
      : undefined;
  const failure = a.reason === 'kube' ? readFailure(a.error) : undefined;
  return failure ? { ok: false, reason: 'kube', error: failure } : undefined;
}

function readFailure(v: unknown): KubeFailure | undefined {
  const f = v as Record<string, unknown> | null | undefined;
  if (!f || !KINDS.includes(f.kind as KubeErrorKind) || typeof f.message !== 'string') return undefined;
  return {
    kind: f.kind as KubeErrorKind,
    message: f.message.slice(0, 1000),
    ...(typeof f.status === 'number' ? { status: f.status } : {}),
  };
}

function isStanding(v: unknown): v is PodStanding {
  const s = v as Record<string, unknown> | null;
  return (
    isText(s?.name) &&
    (HEALTH_ORDER as readonly unknown[]).includes(s?.health) &&
    isText(s?.state) &&
    typeof s?.restarts === 'number'
  );
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 253;
}
