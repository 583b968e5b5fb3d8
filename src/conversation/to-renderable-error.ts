import type { PodSuggestions } from '../diagnosis/index.js';
import { forbiddenRule, type KubeError } from '../kube/index.js';
import type { RenderableError } from '../render/index.js';

/** A KubeError from reading the pod, as the sentence-ready shape src/render turns into words. Pure. */
export function toRenderableError(
  error: Pick<KubeError, 'kind' | 'message'>,
  ref: { namespace: string; pod: string },
  context: { suggestions?: PodSuggestions; timeoutSeconds?: number } = {},
): RenderableError {
  switch (error.kind) {
    case 'NotFound':
      return {
        kind: 'NotFound',
        resource: 'pod',
        name: ref.pod,
        namespace: ref.namespace,
        closestNames: context.suggestions?.similarNames ?? [],
        namespacesWithName: context.suggestions?.namespacesWithName ?? [],
        message: error.message,
      };
    case 'Forbidden': {
      const rule = forbiddenRule(error);
      return rule
        ? {
            kind: 'Forbidden',
            verb: rule.verb,
            resource: rule.resource,
            ...(rule.namespace ? { namespace: rule.namespace } : {}),
            serviceAccount: rule.user,
            message: error.message,
          }
        : { kind: 'Forbidden', message: error.message };
    }
    case 'Timeout':
      return {
        kind: 'Timeout',
        what: `reading pod ${ref.namespace}/${ref.pod}`,
        ...(context.timeoutSeconds ? { timeoutSeconds: context.timeoutSeconds } : {}),
        message: error.message,
      };
    default:
      return { kind: error.kind, message: error.message };
  }
}
