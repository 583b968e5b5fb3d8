import { formatDuration } from '../config/index.js';
import { type BuiltPod, buildDebugClone, buildNodeShell, DebugPodError, nameSuffix } from '../debugpods/index.js';
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
  const ids = { suffix: nameSuffix(PREVIEW_REQUEST_ID), now };
  try {
    if (cmd.kind === 'clone') {
      const namespace = cmd.namespace ?? session.contextNamespace;
      // The same reads and reasoning as a diagnosis: the default target is the container the bot's first button offers.
      const result = await diagnosePod(session, { namespace, pod: cmd.pod });
      if (!result.ok) return fail(result.message);
      const target = pickCloneTarget(result.diagnosis, cmd.container);
      if (!target.ok) return fail(target.message);
      const built = buildDebugClone(
        result.pod,
        {
          requestId: PREVIEW_REQUEST_ID,
          container: target.container,
          requestedBy: PREVIEW_REQUESTER,
          ttlSeconds: config.debugClone.defaultTtlSeconds,
          maxTtlSeconds: config.debugClone.maxTtlSeconds,
          helperImage: config.debugClone.helperImage,
          keepClaims: config.debugClone.keepClaims,
        },
        ids,
      );
      print(built, [
        `Debug clone of ${namespace}/${cmd.pod}, as the bot would create it on approval. Nothing was created.`,
        `Target container: ${target.container}: ${target.why}.`,
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
    const built = buildNodeShell(
      cmd.node,
      {
        requestId: PREVIEW_REQUEST_ID,
        node: cmd.node,
        requestedBy: PREVIEW_REQUESTER,
        ttlSeconds: config.nodeShell.defaultTtlSeconds,
        maxTtlSeconds: config.nodeShell.maxTtlSeconds,
        image: config.nodeShell.image,
        namespace: config.nodeShell.namespace,
        mountHostRoot: config.nodeShell.mountHostRoot,
      },
      ids,
    );
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
