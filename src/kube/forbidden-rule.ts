/** The RBAC rule a 403 says is missing, so a message can name it: "may not get pods/log in `prod`". */
export interface ForbiddenRule {
  /** The identity the apiserver judged: `system:serviceaccount:debugdead-system:debugdead`. */
  user: string;
  /** get, list, watch, create, delete... */
  verb: string;
  /** `pods`, or with its subresource: `pods/log`. */
  resource: string;
  /** "" for the core group, else e.g. `apps`. */
  apiGroup: string;
  /** The namespace of the denied call; undefined when it was cluster-scoped. */
  namespace?: string;
  /** True for "... at the cluster scope" (a cluster-wide list, nodes, namespaces). */
  clusterScope: boolean;
}

// kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go (forbiddenMessage):
// `User "u" cannot get resource "pods/log" in API group "" in the namespace "ns"` or `... at the cluster scope`.
const FORBIDDEN =
  /User "((?:[^"\\]|\\.)*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| (at the cluster scope))?/;

/**
 * Extracts the missing permission from a 403's message (or from a KubeError carrying it). Undefined when the text is
 * not the apiserver's RBAC denial (a webhook authorizer's own wording, a 401, anything else).
 */
export function forbiddenRule(err: { message: string } | string): ForbiddenRule | undefined {
  const text = typeof err === 'string' ? err : err.message;
  const m = FORBIDDEN.exec(text);
  if (!m) return undefined;
  const [, user = '', verb = '', resource = '', apiGroup = '', namespace, clusterScope] = m;
  return {
    user: user.replace(/\\"/g, '"'),
    verb,
    resource,
    apiGroup,
    ...(namespace !== undefined ? { namespace } : {}),
    clusterScope: clusterScope !== undefined,
  };
}
