import type { Task } from '../clusters/index.js';
import type { ClusterOps } from '../conversation/cluster-ops.js';
import type { ExpiryMark } from '../conversation/mark-expiry.js';
import { isKubeError, type KubeClient } from '../kube/index.js';
import type { ExamineResult, KubeFailure, PodRef } from '../pipeline/index.js';
import { type BodyLimits, readTaskBody } from './read-task-body.js';

export interface TaskPorts {
  kube: KubeClient;
  examine(ref: PodRef): Promise<ExamineResult>;
  markExpiry(mark: ExpiryMark): Promise<void>;
  /** This cluster's reads for workload targets, More logs and Mute (localClusterOps). */
  ops: ClusterOps;
  /** This cluster's namespaces.allow/deny: a task about a namespace it refuses is refused, whoever signed it. */
  namespaceAllowed(namespace: string): boolean;
  /** @defaultValue 10000 lines, 1 MiB */
  limits?: BodyLimits;
  /** Deadline of each API call of a More logs task, ms (the agent's, never the body's). @defaultValue 10000 */
  callTimeoutMs?: number;
}

/**
 * What an agent does for a verified task: diagnose a pod, say whether a pod or workload exists, move a debug pod's
 * expiry, find a workload's worst pod, read a pod's logs again, or tell a pod's workload. The body is read as
 * untrusted data even though it verified (readTaskBody: a shape the agent does not know is refused), and the
 * cluster's own namespace policy is applied again. A failure whose kind is the answer (the pod is gone) comes back
 * as data, since a failed job carries only its message.
 */
export async function performTask(task: Task, ports: TaskPorts): Promise<unknown> {
  const read = readTaskBody(task.kind, task.body, ports.limits ?? { maxTailLines: 10_000, maxLimitBytes: 1 << 20 });
  if (!read.ok) throw new Error(read.problem);
  const request = read.request;
  if (request.kind !== 'extend' && !ports.namespaceAllowed(request.namespace))
    throw new Error(`refused: namespace ${request.namespace} is not allowed in this cluster`);
  switch (request.kind) {
    case 'diagnose':
      return ports.examine({
        namespace: request.namespace,
        pod: request.pod,
        ...(request.container ? { container: request.container } : {}),
      });
    case 'locate':
      try {
        if ('workload' in request)
          await ports.kube.readOwner(request.workload.kind, request.namespace, request.workload.name);
        else await ports.kube.readPod(request.namespace, request.pod);
        return true;
      } catch (err) {
        if (isKubeError(err) && err.kind === 'NotFound') return false;
        throw err;
      }
    case 'extend':
      return ports.markExpiry(request.mark).then(
        () => ({ ok: true }),
        (err: Error) => ({ ok: false, ...(isKubeError(err) ? { kind: err.kind } : {}), message: err.message }),
      );
    case 'workload': {
      const found = await ports.ops.findWorstPod(request.namespace, request.workload);
      return found.ok || found.reason !== 'kube' ? found : { ...found, error: failure(found.error) };
    }
    case 'more-logs':
      return ports.ops.diagnoseWith(
        { namespace: request.namespace, pod: request.pod, container: request.container },
        { ...request.opts, callTimeoutMs: ports.callTimeoutMs ?? 10_000 },
      );
    case 'workload-of':
      return ports.ops.workloadOf(request.namespace, request.pod).then(
        (workload) => ({ ok: true, workload }),
        (err: unknown) => {
          if (isKubeError(err)) return { ok: false, error: failure(err) };
          throw err;
        },
      );
  }
}

/** A KubeError as data that survives the queue. */
function failure(err: { kind: KubeFailure['kind']; message: string; status?: number | undefined }): KubeFailure {
  return { kind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) };
}
