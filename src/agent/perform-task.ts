import type { Task } from '../clusters/index.js';
import type { ExpiryMark } from '../conversation/mark-expiry.js';
import { isKubeError, type KubeClient } from '../kube/index.js';
import type { ExamineResult, PodRef } from '../pipeline/index.js';

export interface TaskPorts {
  kube: KubeClient;
  examine(ref: PodRef): Promise<ExamineResult>;
  markExpiry(mark: ExpiryMark): Promise<void>;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 253;

/**
 * What an agent does for a verified task: diagnose a pod, say whether a pod exists, or move a debug pod's expiry.
 * The body is read as untrusted data even though it verified (a shape the agent does not know is refused). A failure
 * whose kind is the answer (the pod is gone) comes back as data, since a failed job carries only its message.
 */
export async function performTask(task: Task, ports: TaskPorts): Promise<unknown> {
  const body = (task.body ?? {}) as Record<string, unknown>;
  if (!str(body.namespace)) throw new Error('malformed task: no namespace');
  const namespace = body.namespace;
  switch (task.kind) {
    case 'diagnose':
      if (!str(body.pod)) throw new Error('malformed task: no pod');
      return ports.examine({ namespace, pod: body.pod, ...(str(body.container) ? { container: body.container } : {}) });
    case 'locate':
      if (!str(body.pod)) throw new Error('malformed task: no pod');
      try {
        await ports.kube.readPod(namespace, body.pod);
        return true;
      } catch (err) {
        if (isKubeError(err) && err.kind === 'NotFound') return false;
        throw err;
      }
    case 'extend':
      if (!str(body.podName) || !str(body.actionId) || !str(body.at)) throw new Error('malformed task');
      return ports.markExpiry({ namespace, podName: body.podName, actionId: body.actionId, at: body.at }).then(
        () => ({ ok: true }),
        (err: Error) => ({ ok: false, ...(isKubeError(err) ? { kind: err.kind } : {}), message: err.message }),
      );
    default:
      throw new Error(`the agent does not do ${task.kind} tasks`);
  }
}
