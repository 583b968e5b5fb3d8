/** A request's authorization attributes, as RBAC sees them. */
export interface RequestAttributes {
  user: string;
  verb: string;
  /** API group, '' for core. */
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** One kind of request a user made, as RBAC grants it: no object name. */
export interface RecordedRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Absent for cluster-scoped resources and for lists and watches across all namespaces. */
  namespace?: string;
}

/** A denial rule: `verb` and `resource` may be '*'; a rule without namespace applies everywhere. */
export interface DenyRule {
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
}

/** The token every simulator kubeconfig carries, and the user it authenticates as. */
export const DEFAULT_TOKEN = 'debugdead-sim-token';
export const DEFAULT_USER = 'system:serviceaccount:debugdead:debugdead';

/**
 * RBAC as the simulator plays it: everything is allowed except what a test denies. Denials answer with the
 * authorizer's real 403 text.
 */
export class Rbac {
  private rules: DenyRule[] = [];
  /** Bearer tokens the server accepts, and who each one is. */
  readonly tokens = new Map<string, string>([[DEFAULT_TOKEN, DEFAULT_USER]]);

  private readonly used = new Map<string, Map<string, RecordedRequest>>();

  /** Remembers an authorized request, once per (verb, group, resource, subresource, namespace). */
  record(a: RequestAttributes): void {
    const request: RecordedRequest = {
      verb: a.verb,
      group: a.group,
      resource: a.resource,
      ...(a.subresource ? { subresource: a.subresource } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
    };
    const key = [request.verb, request.group, request.resource, request.subresource, request.namespace].join('|');
    const byUser = this.used.get(a.user) ?? new Map<string, RecordedRequest>();
    this.used.set(a.user, byUser);
    byUser.set(key, request);
  }

  /** Every kind of request `user` made that RBAC allowed, in first-seen order. @defaultValue the default user */
  recorded(user = DEFAULT_USER): RecordedRequest[] {
    return [...(this.used.get(user)?.values() ?? [])];
  }

  /** Denies matching requests until the returned function is called (or `clear()`). */
  deny(rule: DenyRule): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  /** Removes every denial. */
  clear(): void {
    this.rules = [];
  }

  /** True when no rule denies the request. */
  allows(a: RequestAttributes): boolean {
    return !this.rules.some(
      (r) =>
        (r.verb === '*' || r.verb === a.verb) &&
        (r.resource === '*' || r.resource === a.resource) &&
        (r.subresource === undefined || r.subresource === '*' || r.subresource === a.subresource) &&
        (r.subresource !== undefined || a.subresource === undefined || r.resource === '*') &&
        (r.namespace === undefined || r.namespace === a.namespace),
    );
  }
}

/** The authorizer's reason text: `User "u" cannot get resource "pods/log" in API group "" in the namespace "ns"`. */
export function forbiddenReason(a: RequestAttributes): string {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`;
}
