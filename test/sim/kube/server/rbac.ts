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
