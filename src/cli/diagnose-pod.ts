import type { WorkloadTarget } from '../command/index.js';
import type { Diagnosis } from '../diagnosis/index.js';
import type { Pod } from '../kube/index.js';
import { findWorstPod as findWorkloadWorstPod, diagnosePod as runPipeline } from '../pipeline/index.js';
import { type PodStanding, renderWorkloadPods } from '../workloads/index.js';
import { plainText } from './check-names.js';
import type { CliSession } from './cli-session.js';
import { describeKubeError } from './describe-kube-error.js';

/**
 * The bot's diagnose pipeline (src/pipeline: gather, fold, redact, reason) with the CLI's configuration, or a
 * sentence saying why the pod could not be diagnosed. `pod` is the pod as read, before redaction, for builders that
 * copy it; nothing prints it unredacted.
 */
export async function diagnosePod(
  session: CliSession,
  ref: { namespace: string; pod: string; container?: string | undefined },
): Promise<{ ok: true; diagnosis: Diagnosis; redactions: number; pod: Pod } | { ok: false; message: string }> {
  const { config, kube } = session;
  const timeoutSeconds = config.kubernetes.requestTimeoutSeconds;
  const result = await runPipeline(
    kube,
    ref,
    { tailLines: config.logs.tailLines, limitBytes: config.logs.limitBytes, callTimeoutMs: timeoutSeconds * 1000 },
    () => new Date(),
  );
  if (result.ok) return result;
  if (result.reason === 'no-container') {
    return {
      ok: false,
      message: `Pod ${ref.namespace}/${ref.pod} has no container "${result.container}"; it has: ${result.containers.join(', ')}.`,
    };
  }
  const context = { ...(result.suggestions ? { suggestions: result.suggestions } : {}), timeoutSeconds };
  return {
    ok: false,
    message: describeKubeError(result.error, { resource: 'pod', name: ref.pod, namespace: ref.namespace }, context),
  };
}

/**
 * A workload's worst pod for the CLI, with the line naming it and its siblings (plain text), or a sentence saying
 * why it could not be found.
 */
export async function findWorstPod(
  session: CliSession,
  namespace: string,
  workload: WorkloadTarget,
): Promise<{ ok: true; pod: string; line: string; standings: PodStanding[] } | { ok: false; message: string }> {
  const found = await findWorkloadWorstPod(session.kube, namespace, workload);
  if (found.ok) {
    const line = plainText(renderWorkloadPods(workload, namespace, found.standings).replace(/^:package: /, ''));
    return { ok: true, pod: found.pod, line, standings: found.standings };
  }
  if (found.reason !== 'kube') return { ok: false, message: plainText(found.message.replace(/^:mag: /, '')) };
  const timeoutSeconds = session.config.kubernetes.requestTimeoutSeconds;
  return {
    ok: false,
    message: describeKubeError(
      found.error,
      { resource: workload.kind.toLowerCase() as Lowercase<WorkloadTarget['kind']>, name: workload.name, namespace },
      { timeoutSeconds },
    ),
  };
}
