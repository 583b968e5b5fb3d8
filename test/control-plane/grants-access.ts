/** One `kubectl auth can-i` question. */
export interface AccessProbe {
  verb: string;
  /** Plural resource name, e.g. `pods`. */
  resource: string;
  subresource?: string;
  /** '' for the core group. */
  group: string;
  /** Undefined for cluster-scoped resources. */
  namespace?: string;
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Manifest {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { kind?: string; name?: string };
  subjects?: { kind?: string; name?: string; namespace?: string }[];
}

/**
 * What the manifests grant a ServiceAccount, by RBAC's rules (pure): a request is allowed when some rule of a role
 * bound to it (a ClusterRoleBinding anywhere, a RoleBinding in the request's namespace) lists the group, the
 * resource (`pods/log` for a subresource, `pods/*`; `*` matches all) and the verb. Rules with resourceNames never
 * match a request without a name. Only the manifests given count: the bootstrap roles every ServiceAccount holds
 * (system:basic-user, system:discovery) grant no resource verbs.
 */
export function grantsAccess(
  manifests: Manifest[],
  serviceAccount: { namespace: string; name: string },
  probe: AccessProbe,
): boolean {
  const isSubject = (b: Manifest) =>
    (b.subjects ?? []).some(
      (s) => s.kind === 'ServiceAccount' && s.name === serviceAccount.name && s.namespace === serviceAccount.namespace,
    );
  const role = (kind: string | undefined, name: string | undefined, namespace: string | undefined) =>
    manifests.find(
      (m) =>
        m.kind === kind && m.metadata?.name === name && (kind === 'ClusterRole' || m.metadata?.namespace === namespace),
    );
  const boundRoles = manifests
    .filter(
      (b) =>
        isSubject(b) &&
        (b.kind === 'ClusterRoleBinding' ||
          (b.kind === 'RoleBinding' && probe.namespace !== undefined && b.metadata?.namespace === probe.namespace)),
    )
    .map((b) => role(b.roleRef?.kind, b.roleRef?.name, b.metadata?.namespace));
  // `pods/*` and `*/log` match a subresource too.
  const resourceNames = probe.subresource
    ? [`${probe.resource}/${probe.subresource}`, `${probe.resource}/*`, `*/${probe.subresource}`]
    : [probe.resource];
  const has = (list: string[] | undefined, value: string) => (list ?? []).some((v) => v === value || v === '*');
  return boundRoles.some((r) =>
    (r?.rules ?? []).some(
      (rule) =>
        (rule.resourceNames ?? []).length === 0 &&
        has(rule.apiGroups, probe.group) &&
        resourceNames.some((name) => has(rule.resources, name)) &&
        has(rule.verbs, probe.verb),
    ),
  );
}
