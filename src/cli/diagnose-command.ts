import { parseDiagnoseTarget } from '../command/index.js';
import { plainText } from './check-names.js';
import type { CliKubeOptions } from './cli-session.js';
import { printErr, printJson, printOut } from './print.js';

/** `debugdead diagnose <pod> [-n ns] [-c container] [--json]`. */
export interface DiagnoseCommand {
  /** What follows `diagnose`: `<pod> [namespace]`, `<namespace>/<pod>` or `<type>/<name> [namespace]`. */
  target: string[];
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
  // The slash command's grammar, so every form it takes works here too.
  const parsed = parseDiagnoseTarget(cmd.target, { namespace: cmd.namespace, container: cmd.container });
  if (parsed.kind !== 'diagnose' && parsed.kind !== 'diagnose-workload') {
    return fail(parsed.kind === 'invalid' ? plainText(parsed.problem) : 'name the pod to diagnose', 2);
  }
  // Loaded only now: client-node alone takes about a second to import, and a usage error should answer at once.
  const [{ openCliSession }, { diagnosePod, findWorstPod }, { formatDiagnosisText, toDiagnosisJson }, { logCutNotes }] =
    await Promise.all([
      import('./cli-session.js'),
      import('./diagnose-pod.js'),
      import('../diagnosis/index.js'),
      import('../render/index.js'),
    ]);
  const opened = openCliSession(cmd.kube);
  if (!opened.ok) return fail(opened.message);
  const namespace = parsed.namespace ?? opened.session.contextNamespace;
  let pod: string;
  let siblings: { line: string; standings: unknown[] } | undefined;
  if (parsed.kind === 'diagnose') pod = parsed.pod;
  else {
    const found = await findWorstPod(opened.session, namespace, parsed.workload);
    if (!found.ok) return fail(found.message);
    pod = found.pod;
    siblings = { line: found.line, standings: found.standings };
  }
  const result = await diagnosePod(opened.session, { namespace, pod, container: parsed.container });
  if (!result.ok) return fail(result.message);
  const { diagnosis, redactions } = result;
  // What the diagnosis could not see: logs cut at the tail or at the byte limit, and how to read the rest.
  const cuts = logCutNotes(diagnosis);
  if (cmd.json) {
    printJson({
      ...toDiagnosisJson(diagnosis),
      redactions,
      logsCut: cuts,
      ...(siblings ? { workloadPods: siblings.standings } : {}),
    });
  } else {
    const secrets =
      redactions > 0 ? `\n${redactions} secret${redactions === 1 ? '' : 's'} redacted from logs and events.\n` : '';
    const cutText = cuts.length
      ? `\nLogs read in part:\n${cuts.map((n) => `  ${n.container} (${n.instance} instance): ${n.shown}; the rest: ${n.command}`).join('\n')}\n`
      : '';
    const head = siblings ? `${siblings.line}\n\n` : '';
    printOut(`${head}${formatDiagnosisText(diagnosis)}${cutText}${secrets}`);
  }
  return 0;
}

function fail(message: string, code = 1): number {
  printErr(`debugdead: ${message}\n`);
  return code;
}
