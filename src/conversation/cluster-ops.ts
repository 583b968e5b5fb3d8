import { type WorkloadRef, workloadOf } from '../alerts/index.js';
import type { WorkloadTarget } from '../command/index.js';
import type { Config } from '../config/index.js';
import type { Diagnosis, GatherOptions } from '../diagnosis/index.js';
import { compactPod, type KubeClient, KubeError } from '../kube/index.js';
import { diagnosePod, findWorstPod, type KubeFailure, type PodRef, type WorstPodResult } from '../pipeline/index.js';

/**
 * A pod's diagnosis read with other log bounds (More logs): the pipeline's, so redacted once, as plain JSON and
 * without the pod itself (which an agent never sends out of its cluster).
 */
export type LogsDiagnosis =
  | { ok: true; diagnosis: Diagnosis; redactions: number }
  | { ok: false; reason: 'kube'; error: KubeFailure }
  | { ok: false; reason: 'no-container'; container: string; containers: string[] };

/**
 * What the day-two flows ask of the cluster that holds a pod, besides a diagnosis (deps.examine): a workload's pods
 * worst first (`/debugdead deploy/checkout`), a pod's logs read again with more lines (More logs), and the workload a
 * pod belongs to (Mute). In one process these read the API server here ({@link localClusterOps}); in a gateway they
 * are tasks for the cluster's agent (src/gateway), which runs the same local functions there.
 */
export interface ClusterOps {
  /** A failed read comes back as its KubeError (kind and sentence), as findWorstPod returns it. */
  findWorstPod(namespace: string, workload: WorkloadTarget): Promise<WorstPodResult>;
  diagnoseWith(ref: PodRef, opts: GatherOptions): Promise<LogsDiagnosis>;
  /** Throws a KubeError (NotFound: the pod is gone), or AgentGone when the cluster's agent is. */
  workloadOf(namespace: string, pod: string): Promise<WorkloadRef>;
}

/** The ClusterOps of the cluster this process holds credentials for. */
export function localClusterOps(kube: KubeClient, config: Pick<Config, 'kubernetes'>, now: () => Date): ClusterOps {
  const timeoutMs = () => config.kubernetes.requestTimeoutSeconds * 1000;
  return {
    findWorstPod: (namespace, workload) => findWorstPod(kube.withTimeout(timeoutMs()), namespace, workload),
    async diagnoseWith(ref, opts) {
      const result = await diagnosePod(kube, ref, opts, now);
      if (result.ok) return { ok: true, diagnosis: result.diagnosis, redactions: result.redactions };
      if (result.reason === 'no-container') return result;
      const { kind, message, status } = result.error;
      return { ok: false, reason: 'kube', error: { kind, message, ...(status !== undefined ? { status } : {}) } };
    },
    async workloadOf(namespace, pod) {
      // The Deployment of a ReplicaSet's pod is found by its pod-template-hash label (workloadOf).
      const read = compactPod(await kube.withTimeout(timeoutMs()).readPod(namespace, pod), ['pod-template-hash']);
      if (!read) throw new KubeError('Invalid', undefined, `pod ${namespace}/${pod} could not be read`);
      return workloadOf(read);
    },
  };
}

/** The conversation's ClusterOps: the gateway's routing to an agent when set, else this process's own cluster. */
export function clusterOpsOf(deps: {
  clusterOps?: ClusterOps;
  kube: KubeClient;
  config: Pick<Config, 'kubernetes'>;
  now: () => Date;
}): ClusterOps {
  return deps.clusterOps ?? localClusterOps(deps.kube, deps.config, deps.now);
}
