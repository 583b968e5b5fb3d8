import { checkNames } from './check-names.js';
import type { CliKubeOptions } from './cli-session.js';
import { printErr } from './print.js';

export { PREVIEW_REQUEST_ID, PREVIEW_REQUESTER } from './preview-ids.js';

/** `debugdead clone-manifest <pod>` or `debugdead node-shell-manifest <node>`. */
export type ManifestCommand =
  | { kind: 'clone'; pod: string; namespace?: string; container?: string; kube: CliKubeOptions }
  | { kind: 'node-shell'; node: string; kube: CliKubeOptions };

/**
 * Prints, as YAML, the pod the bot would create for an approved request (same builder, same config values), without
 * creating anything. Exit 0 when printed; 1 when the pod or node cannot be read or the pod cannot be built; 2 for an
 * invalid name.
 */
export async function runManifestCommand(cmd: ManifestCommand): Promise<number> {
  const bad =
    cmd.kind === 'clone'
      ? checkNames({ pod: cmd.pod, namespace: cmd.namespace, container: cmd.container })
      : checkNames({ node: cmd.node });
  if (bad) {
    printErr(`debugdead: ${bad}\n`);
    return 2;
  }
  // Loaded only now: client-node alone takes about a second to import, and a usage error should answer at once.
  const { previewManifest } = await import('./preview-manifest.js');
  return previewManifest(cmd);
}
