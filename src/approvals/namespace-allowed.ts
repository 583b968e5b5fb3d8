import { matchGlob } from './match-glob.js';
import type { ApprovalPolicy } from './types.js';

/** Whether the bot may act in a namespace, with the config key to change when it may not. */
export type NamespaceVerdict = { ok: true } | { ok: false; reason: string };

/** Deny wins over allow; an empty allow list allows every namespace not denied. */
export function namespaceAllowed(policy: Pick<ApprovalPolicy, 'namespaces'>, namespace: string): NamespaceVerdict {
  const { allow, deny } = policy.namespaces;
  const denied = deny.find((pattern) => matchGlob(pattern, namespace));
  if (denied !== undefined) {
    return { ok: false, reason: `Namespace \`${namespace}\` is excluded by namespaces.deny (\`${denied}\`).` };
  }
  if (allow.length > 0 && !allow.some((pattern) => matchGlob(pattern, namespace))) {
    const listed = allow.map((p) => `\`${p}\``).join(', ');
    return { ok: false, reason: `Namespace \`${namespace}\` is not in namespaces.allow (${listed}).` };
  }
  return { ok: true };
}
