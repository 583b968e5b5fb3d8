import { foldDuplicateLogs } from '../conversation/fold-duplicate-logs.js';
import { redactFacts } from '../conversation/redact-facts.js';
import { type Diagnosis, diagnose, formatDiagnosisText, gatherFacts, toDiagnosisJson } from '../diagnosis/index.js';
import type { Pod } from '../kube/index.js';
import { checkNames } from './check-names.js';
import { type CliKubeOptions, type CliSession, openCliSession } from './cli-session.js';
import { describeKubeError } from './describe-kube-error.js';

/** `debugdead diagnose <pod> [-n ns] [-c container] [--json]`. */
export interface DiagnoseCommand {
  pod: string;
  /** @defaultValue the kubeconfig context's namespace, else `default` */
  namespace?: string;
  /** Narrows the logs read to one container; the diagnosis still covers the whole pod. */
  container?: string;
  /** Print `toDiagnosisJson` instead of text. */
  json: boolean;
  kube: CliKubeOptions;
}

/**
 * Diagnoses one pod exactly as the bot does (same gathering, duplicate-log folding, redaction and reasoning) and
 * prints it to stdout. Exit code 0 when diagnosed, however sick the pod; 1 when it could not be (not found,
 * forbidden, timeout, no kubeconfig, broken config), with one or two sentences on stderr; 2 for an invalid name.
 */
export async function runDiagnoseCommand(cmd: DiagnoseCommand): Promise<number> {
  const bad = checkNames({ pod: cmd.pod, namespace: cmd.namespace, container: cmd.container });
  if (bad) return fail(bad, 2);
  const opened = openCliSession(cmd.kube);
  if (!opened.ok) return fail(opened.message);
  const namespace = cmd.namespace ?? opened.session.contextNamespace;
  const result = await diagnosePod(opened.session, { namespace, pod: cmd.pod, container: cmd.container });
  if (!result.ok) return fail(result.message);
  const { diagnosis, redactions } = result;
  if (cmd.json) {
    process.stdout.write(`${JSON.stringify(toDiagnosisJson(diagnosis), null, 2)}\n`);
  } else {
    const secrets =
      redactions > 0 ? `\n${redactions} secret${redactions === 1 ? '' : 's'} redacted from logs and events.\n` : '';
    process.stdout.write(`${formatDiagnosisText(diagnosis)}${secrets}`);
  }
  return 0;
}

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

function fail(message: string, code = 1): number {
  process.stderr.write(`debugdead: ${message}\n`);
  return code;
}
