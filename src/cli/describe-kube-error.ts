import type { WorkloadKind } from '../command/index.js';
import type { PodSuggestions } from '../diagnosis/index.js';
import { forbiddenRule, type KubeError } from '../kube/index.js';

/** What was being looked at when the error came, so the sentence can name it. */
export interface ErrorSubject {
  /** `pod`, `node`, or a workload kind in lowercase (`deployment`, `statefulset`…). */
  resource: 'pod' | 'node' | Lowercase<WorkloadKind>;
  name: string;
  /** Namespace of a pod; nodes have none. */
  namespace?: string;
}

/**
 * One or two sentences for a terminal about a Kubernetes failure: not found (with the close names and the namespaces
 * holding that name), the RBAC rule a 403 lacks, a timeout with its setting, or the client's own sentence. Never a
 * stack, never client-node's header-laden text (src/kube already kept only the server's Status message). Pure.
 */
export function describeKubeError(
  error: Pick<KubeError, 'kind' | 'message'>,
  subject: ErrorSubject,
  context: { suggestions?: PodSuggestions; timeoutSeconds?: number } = {},
): string {
  const what = subject.namespace
    ? `${subject.resource} "${subject.name}" in namespace "${subject.namespace}"`
    : `${subject.resource} "${subject.name}"`;
  switch (error.kind) {
    case 'NotFound': {
      const lines = [`There is no ${what}.`];
      const similar = context.suggestions?.similarNames ?? [];
      const elsewhere = context.suggestions?.namespacesWithName ?? [];
      if (similar.length) lines.push(`Did you mean: ${similar.join(', ')}?`);
      if (elsewhere.length) {
        const flags = elsewhere.map((ns) => `-n ${ns}`).join(' or ');
        lines.push(
          `A ${subject.resource} of that name exists in ${plural(elsewhere.length, 'namespace')} ${elsewhere.join(', ')} (${flags}).`,
        );
      }
      return lines.join('\n');
    }
    case 'Forbidden': {
      const rule = forbiddenRule(error);
      if (!rule) return `Kubernetes refused to let you read the ${what}: ${error.message}`;
      const group = rule.apiGroup ? ` in API group "${rule.apiGroup}"` : '';
      const scope = rule.namespace ? `a Role in namespace "${rule.namespace}"` : 'a ClusterRole';
      return (
        `${rule.user} may not ${rule.verb} ${rule.resource}${rule.namespace ? ` in namespace "${rule.namespace}"` : ' at the cluster scope'}.\n` +
        `Grant verb "${rule.verb}" on resource "${rule.resource}"${group} through ${scope} and its binding (deploy/ has the bot's RBAC).`
      );
    }
    case 'Timeout': {
      const setting = context.timeoutSeconds
        ? ` Each call may take ${context.timeoutSeconds}s (kubernetes.requestTimeout in debugdead.yaml).`
        : '';
      return `Gave up waiting for the Kubernetes API: ${error.message.replace(/\.$/, '')}.${setting}`;
    }
    default:
      return error.message;
  }
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
