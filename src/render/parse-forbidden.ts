/** What a Kubernetes 403 says the bot may not do. */
export interface ForbiddenFacts {
  user?: string;
  verb?: string;
  resource?: string;
  apiGroup?: string;
  namespace?: string;
}

/**
 * Reads the RBAC facts out of the API server's Forbidden message, e.g.
 * `pods "web-1" is forbidden: User "system:serviceaccount:debugdead:bot" cannot get resource "pods/log" in API group
 * "" in the namespace "prod"` (the wording of k8s.io/apiserver's authorization/forbidden.go).
 */
export function parseForbidden(message: string): ForbiddenFacts {
  const facts: ForbiddenFacts = {};
  const user = /User "([^"]+)"/.exec(message);
  if (user) facts.user = user[1];
  const action = /cannot (\w+) resource "([^"]+)"/.exec(message);
  if (action) {
    facts.verb = action[1];
    facts.resource = action[2];
  }
  const group = /in API group "([^"]*)"/.exec(message);
  if (group) facts.apiGroup = group[1];
  const ns = /in the namespace "([^"]+)"/.exec(message);
  if (ns) facts.namespace = ns[1];
  return facts;
}
