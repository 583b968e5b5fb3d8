import { foldDuplicateLogs } from '../conversation/fold-duplicate-logs.js';
import { redactFacts } from '../conversation/redact-facts.js';
import { type Diagnosis, diagnose, gatherFacts } from '../diagnosis/index.js';
import type { Pod } from '../kube/index.js';
import type { CliSession } from './cli-session.js';
import { describeKubeError } from './describe-kube-error.js';

/**
 * Gathers, folds, redacts and diagnoses, or says in a sentence why the pod could not be diagnosed. `pod` is the pod
 * as read, before redaction, for builders that copy it.
 */
export async function diagnosePod(
  session: CliSession,
  ref: { namespace: string; pod: string; container?: string | undefined },
): Promise<{ ok: true; diagnosis: Diagnosis; redactions: number; pod: Pod } | { ok: false; message: string }> {
  const { config, kube } = session;
  const timeoutSeconds = config.kubernetes.requestTimeoutSeconds;
  const gathered = await gatherFacts(
    kube,
    { namespace: ref.namespace, pod: ref.pod, ...(ref.container ? { container: ref.container } : {}) },
    { tailLines: config.logs.tailLines, limitBytes: config.logs.limitBytes, callTimeoutMs: timeoutSeconds * 1000 },
    () => new Date(),
  );
  if (!gathered.ok) {
    const context = { ...(gathered.suggestions ? { suggestions: gathered.suggestions } : {}), timeoutSeconds };
    return {
      ok: false,
      message: describeKubeError(gathered.error, { resource: 'pod', name: ref.pod, namespace: ref.namespace }, context),
    };
  }
  if (ref.container) {
    const spec = gathered.facts.pod.spec;
    const names = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.name);
    if (!names.includes(ref.container)) {
      return {
        ok: false,
        message: `Pod ${ref.namespace}/${ref.pod} has no container "${ref.container}"; it has: ${names.join(', ')}.`,
      };
    }
  }
  // Secrets are scrubbed before anything is printed, as before anything is posted to Slack.
  const { facts, redactions } = redactFacts(foldDuplicateLogs(gathered.facts));
  return { ok: true, diagnosis: diagnose(facts), redactions, pod: gathered.facts.pod };
}
