import { checkNames } from './check-names.js';
import type { CliKubeOptions } from './cli-session.js';
import { printErr, printJson, printOut } from './print.js';

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
  // Loaded only now: client-node alone takes about a second to import, and a usage error should answer at once.
  const [{ openCliSession }, { diagnosePod }, { formatDiagnosisText, toDiagnosisJson }, { logCutNotes }] =
    await Promise.all([
      import('./cli-session.js'),
      import('./diagnose-pod.js'),
      import('../diagnosis/index.js'),
      import('../render/index.js'),
    ]);
  const opened = openCliSession(cmd.kube);
  if (!opened.ok) return fail(opened.message);
  const namespace = cmd.namespace ?? opened.session.contextNamespace;
  const result = await diagnosePod(opened.session, { namespace, pod: cmd.pod, container: cmd.container });
  if (!result.ok) return fail(result.message);
  const { diagnosis, redactions } = result;
  // What the diagnosis could not see: logs cut at the tail or at the byte limit, and how to read the rest.
  const cuts = logCutNotes(diagnosis);
  if (cmd.json) {
    printJson({ ...toDiagnosisJson(diagnosis), redactions, logsCut: cuts });
  } else {
    const secrets =
      redactions > 0 ? `\n${redactions} secret${redactions === 1 ? '' : 's'} redacted from logs and events.\n` : '';
    const cutText = cuts.length
      ? `\nLogs read in part:\n${cuts.map((n) => `  ${n.container} (${n.instance} instance): ${n.shown}; the rest: ${n.command}`).join('\n')}\n`
      : '';
    printOut(`${formatDiagnosisText(diagnosis)}${cutText}${secrets}`);
  }
  return 0;
}

function fail(message: string, code = 1): number {
  printErr(`debugdead: ${message}\n`);
  return code;
}
