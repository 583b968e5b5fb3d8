#!/usr/bin/env node
/**
 * The `debugdead` command line (also `kubectl debugdead` as a plugin):
 *   diagnose <pod> [-n ns] [-c container] [--json]      the same diagnosis the bot posts, in a terminal
 *   clone-manifest <pod> [-n ns] [-c container]          the debug clone the bot would create, as YAML
 *   node-shell-manifest <node>                           the node-shell pod the bot would create, as YAML
 *   audit verify [--log file]… [--file export]           the audit chain checked against its anchors and copies
 *   audit export [--since 24h] [--format jsonl] [--out f] the audit records with their hashes, for a SIEM
 *   pod-writes                                           RoleBindings for namespaces.allow (deploy/ overlays)
 *   run                                                  the bot itself (configuration: README)
 *   cluster-key <name>                                   an agent's signing key, from the gateway's (many clusters)
 */
import { parseArgs } from 'node:util';
import { runAuditCommand } from './cli/audit-command.js';
import { runDiagnoseCommand } from './cli/diagnose-command.js';
import { runManifestCommand } from './cli/manifest-command.js';
import { runPodWritesCommand } from './cli/pod-writes-command.js';
import { printErr, printOut } from './cli/print.js';
import { runBotCommand } from './cli/run-command.js';
import { buildInfo, formatVersion } from './version/index.js';

const USAGE = `Usage:
  debugdead diagnose <pod> [-n <namespace>] [-c <container>] [--json]
  debugdead diagnose <namespace>/<pod> | <pod> <namespace> | deploy/<name> -n <namespace> …  (every form /debugdead takes;
            sts/, ds/, rs/, job/, pod/ and the long names; a workload's worst pod, its siblings listed)
  debugdead clone-manifest <pod> [-n <namespace>] [-c <container>]
  debugdead node-shell-manifest <node>
  debugdead audit verify [--log <audit log>]… [--file <export>] [--no-slack]
  debugdead audit export [--since <duration>] [--format jsonl] [--out <file>]
  debugdead pod-writes          (the RoleBindings that let the bot write pods in namespaces.allow, as YAML)
  debugdead run                  (DEBUGDEAD_ROLE=gateway or agent with DEBUGDEAD_CLUSTER for many clusters)
  debugdead cluster-key <name>  (an agent's DEBUGDEAD_SIGNING_KEY, derived from the gateway's)
  debugdead --version
Every command but run also takes --kubeconfig <file> and --context <name>; the namespace defaults to the context's.
Configuration: ./debugdead.yaml or DEBUGDEAD_CONFIG (logs, kubernetes, debugClone and nodeShell settings apply).
audit reads Redis (REDIS_URL), the audit channel's anchors (audit.channel, SLACK_BOT_TOKEN) and DEBUGDEAD_SIGNING_KEY.
Exit codes: 0 done, 1 the pod could not be diagnosed, the manifest built or the audit trail verified, 2 usage error.`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    printErr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, target, ...extra] = positionals;
  if (values.version || command === 'version') {
    process.stdout.write(`${formatVersion(buildInfo())}\n`);
    return 0;
  }
  if (values.help || command === 'help') {
    printOut(`${USAGE}\n`);
    return 0;
  }
  if (command === undefined) return usage('no command given');
  // diagnose takes an optional namespace after its target, as the slash command does.
  if (extra.length > (command === 'diagnose' ? 1 : 0)) {
    printErr(`unexpected argument(s): ${extra.join(' ')}\n\n${USAGE}\n`);
    return 2;
  }
  const kube = { kubeconfigPath: values.kubeconfig, context: values.context };
  switch (command) {
    case 'diagnose':
      if (!target) return usage('diagnose needs a pod name');
      return runDiagnoseCommand({
        target: [target, ...extra],
        namespace: values.namespace,
        container: values.container,
        json: values.json ?? false,
        kube,
      });
    case 'clone-manifest':
      if (!target) return usage('clone-manifest needs a pod name');
      return runManifestCommand({
        kind: 'clone',
        pod: target,
        namespace: values.namespace,
        container: values.container,
        kube,
      });
    case 'node-shell-manifest':
      if (!target) return usage('node-shell-manifest needs a node name');
      return runManifestCommand({ kind: 'node-shell', node: target, kube });
    case 'audit': {
      if (target !== 'verify' && target !== 'export') return usage('audit needs "verify" or "export"');
      if (values.format !== undefined && values.format !== 'jsonl') return usage('--format: only "jsonl" is supported');
      return runAuditCommand({
        action: target,
        logs: values.log ?? [],
        slack: !values['no-slack'],
        ...(values.file !== undefined ? { file: values.file } : {}),
        ...(values.since !== undefined ? { since: values.since } : {}),
        ...(values.out !== undefined ? { out: values.out } : {}),
      });
    }
    case 'pod-writes':
      if (target) return usage('pod-writes takes no argument');
      return runPodWritesCommand();
    case 'run':
      return runBotCommand();
    case 'cluster-key': {
      // An agent's DEBUGDEAD_SIGNING_KEY: derived from the gateway's, so the gateway keeps one secret.
      const key = process.env.DEBUGDEAD_SIGNING_KEY ?? '';
      if (key.length < 32) return usage("cluster-key needs the gateway's DEBUGDEAD_SIGNING_KEY in the environment");
      const { CLUSTER_NAME, deriveClusterKey } = await import('./clusters/index.js');
      if (!target || !CLUSTER_NAME.test(target)) return usage('cluster-key needs a cluster name from clusters[]');
      process.stdout.write(`${deriveClusterKey(key, target)}\n`);
      return 0;
    }
    default:
      return usage(`unknown command "${command}"`);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      container: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      log: { type: 'string', multiple: true },
      file: { type: 'string' },
      since: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'no-slack': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });
}

function usage(problem: string): number {
  printErr(`${problem}\n\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    printErr(`debugdead: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
