import { type ActionKind, type Grant, planDebugPod } from '../actions/index.js';
import { formatDuration } from '../config/index.js';
import { type BuiltPod, DebugPodError } from '../debugpods/index.js';
import { isKubeError } from '../kube/index.js';
import { REDACTED, redact } from '../redact/index.js';
import { openCliSession } from './cli-session.js';
import { describeKubeError } from './describe-kube-error.js';
import { diagnosePod } from './diagnose-pod.js';
import type { ManifestCommand } from './manifest-command.js';
import { pickCloneTarget } from './pick-clone-target.js';
import { PREVIEW_REQUEST_ID, PREVIEW_REQUESTER } from './preview-ids.js';
import { printErr, printOut } from './print.js';
import { renderManifest } from './render-manifest.js';

/**
 * The body of `runManifestCommand` once the names are valid: loads config and kubeconfig, reads the pod (or checks the
 * node), builds with the bot's builder and config values, and prints the YAML. Resolves with the exit code.
 */
export async function previewManifest(cmd: ManifestCommand): Promise<number> {
  const opened = openCliSession(cmd.kube);
  if (!opened.ok) return fail(opened.message);
  const { session } = opened;
  const { config } = session;
  const now = new Date();
  try {
    if (cmd.kind === 'clone') {
      const namespace = cmd.namespace ?? session.contextNamespace;
      // The same reads and reasoning as a diagnosis: the default target is the container the bot's first button offers.
      const result = await diagnosePod(session, { namespace, pod: cmd.pod });
      if (!result.ok) return fail(result.message);
      const target = pickCloneTarget(result.diagnosis, cmd.container);
      if (!target.ok) return fail(target.message);
      // The worker's own plan, from a grant as the bot would sign it: the same pod, and the same privilege class.
      const grant = previewGrant(config.cluster.name, 'clone', {
        namespace,
        pod: cmd.pod,
        container: target.container,
      });
      const plan = planDebugPod(grant, result.pod, config, now);
      if (!plan.ok) return fail(plan.reason);
      const standard = plan.privilegeReasons.length === 0;
      print(plan.built, [
        `Debug clone of ${namespace}/${cmd.pod}, as the bot would create it on approval. Nothing was created.`,
        `Target container: ${target.container}: ${target.why}.`,
        standard
          ? 'Approved by one of `approvers`.'
          : `Privileged (${plan.privilegeReasons.join('; ')}): approved like a node shell, by \`nodeShell.approvers\`${config.nodeShell.twoPersonRule ? ' (two different people)' : ''}.`,
        ...commonHeader(config.debugClone.defaultTtlSeconds, config.debugClone.maxTtlSeconds),
      ]);
      return 0;
    }
    try {
      await session.kube.readNode(cmd.node);
    } catch (e) {
      if (!isKubeError(e)) throw e;
      return fail(
        describeKubeError(
          e,
          { resource: 'node', name: cmd.node },
          {
            timeoutSeconds: config.kubernetes.requestTimeoutSeconds,
          },
        ),
      );
    }
    const plan = planDebugPod(
      previewGrant(config.cluster.name, 'node-shell', { namespace: config.nodeShell.namespace, node: cmd.node }),
      undefined,
      config,
      now,
    );
    if (!plan.ok) return fail(plan.reason);
    const built = plan.built;
    print(built, [
      `Node shell on ${cmd.node}, as the bot would create it on approval. Nothing was created.`,
      ...(config.nodeShell.enabled
        ? []
        : ['Node shells are disabled in this configuration (nodeShell.enabled: false).']),
      ...commonHeader(config.nodeShell.defaultTtlSeconds, config.nodeShell.maxTtlSeconds),
    ]);
    return 0;
  } catch (e) {
    // The builder refused the request (a pod it cannot clone, a TTL past the maximum in the config).
    if (isKubeError(e)) return fail(e.message);
    if (e instanceof DebugPodError) return fail(e.message);
    throw e;
  }
}

/** A grant as the bot would sign it, everything but the approvers: the preview shows the worker's own plan. */
function previewGrant(
  cluster: string,
  kind: ActionKind,
  target: { namespace: string; pod?: string; node?: string; container?: string },
): Grant {
  return {
    actionId: PREVIEW_REQUEST_ID,
    kind,
    privilege: 'privileged',
    cluster,
    ...target,
    requester: PREVIEW_REQUESTER,
    approvers: [],
    expiresAt: new Date(8.64e15).toISOString(),
  };
}

function commonHeader(ttlSeconds: number, maxTtlSeconds: number): string[] {
  return [
    `Request id "${PREVIEW_REQUEST_ID}": the bot uses its own request id, which sets the name suffix and the request-id label.`,
    `Deleted ${formatDuration(ttlSeconds)} after creation (expires-at counts from now here); it can live at most ${formatDuration(maxTtlSeconds)}.`,
  ];
}

function print(built: BuiltPod, header: string[]): void {
  const yaml = renderManifest(built, header);
  // Output passes the egress boundary like everything else: a secret in the spec (an env value, an argument) is
  // printed as [REDACTED]. Say so, since `kubectl create -f -` of this YAML would carry the marker.
  const secrets = redact(yaml).count;
  const note = secrets
    ? `# ${secrets} secret${secrets === 1 ? '' : 's'} of the source pod printed as ${REDACTED}; the bot's clone keeps the real values.\n`
    : '';
  printOut(`${note}${yaml}`);
}

function fail(message: string, code = 1): number {
  printErr(`debugdead: ${message}\n`);
  return code;
}
