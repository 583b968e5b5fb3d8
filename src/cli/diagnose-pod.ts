import type { Diagnosis } from '../diagnosis/index.js';
import type { Pod } from '../kube/index.js';
import { diagnosePod as runPipeline } from '../pipeline/index.js';
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
