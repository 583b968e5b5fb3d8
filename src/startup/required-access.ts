import type { Config } from '../config/index.js';

/** One permission the bot uses, what it is for, and where the shipped install grants it. */
export interface AccessNeed {
  verb: string;
  /** API group, '' for core. */
  group: string;
  resource: string;
  subresource?: string;
  /** Absent: every namespace (a ClusterRole bound by a ClusterRoleBinding). */
  namespace?: string;
  /** Without it the bot cannot do its core job (diagnose), so it refuses to start. */
  fatal: boolean;
  /** What breaks without it, for the sentence. */
  purpose: string;
  /** The role that grants it in the shipped install, when not the read ClusterRole or the pod-writes component. */
  grantedBy?: string;
}

const READ_GRANT = 'the ClusterRole debugdead-read (deploy/base/rbac.yaml)';

/** Glob characters in namespaces.allow: such entries name no one namespace to ask about. */
const isLiteral = (pattern: string): boolean => !/[*?]/.test(pattern);

/**
 * Every Kubernetes verb the bot uses with this configuration, as the shipped RBAC grants them: cluster-wide reads
 * (deploy/base/rbac.yaml), and pod writes per namespace (deploy/components/pod-writes) in each namespace
 * namespaces.allow names literally and in the node-shell namespace.
 */
export function requiredAccess(
  config: Pick<Config, 'alerts' | 'namespaces' | 'nodeShell'> & Partial<Pick<Config, 'debugContainer'>>,
): AccessNeed[] {
  const read = (verb: string, group: string, resource: string, purpose: string, subresource?: string): AccessNeed => ({
    verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    fatal: true,
    purpose,
  });
  const needs: AccessNeed[] = [
    read('get', '', 'pods', 'diagnoses read the pod'),
    read('list', '', 'pods', '"did you mean" suggestions and the janitor sweep list pods'),
    read('get', '', 'pods', 'diagnoses read the previous and current logs', 'log'),
    read('list', '', 'events', 'diagnoses read the pod events'),
    read('get', '', 'nodes', 'diagnoses read the node of the pod'),
    read('get', 'apps', 'replicasets', 'diagnoses follow the pod owner'),
    read('get', 'apps', 'deployments', 'diagnoses follow the pod owner'),
    read('get', 'batch', 'jobs', 'diagnoses follow the pod owner'),
  ];
  if (config.alerts.enabled) {
    needs.push(read('watch', '', 'pods', 'alerts watch pods'));
    const namespace = config.alerts.leaseNamespace ?? 'debugdead-system';
    for (const verb of ['get', 'create', 'update']) {
      needs.push({
        verb,
        group: 'coordination.k8s.io',
        resource: 'leases',
        namespace,
        fatal: false,
        purpose: 'replicas elect one alert watcher with a Lease: without it no replica watches',
        grantedBy: `the Role debugdead-leader-election in "${namespace}" (deploy/base/rbac.yaml)`,
      });
    }
  }
  const denied = new Set(config.namespaces.deny);
  const writable = config.namespaces.allow.filter((ns) => isLiteral(ns) && !denied.has(ns));
  if (config.debugContainer?.enabled) {
    needs.push({
      ...read(
        'get',
        '',
        'namespaces',
        'debug containers are offered only with a profile the Pod Security level admits',
      ),
      fatal: false,
    });
    for (const namespace of writable) {
      needs.push({
        verb: 'patch',
        group: '',
        resource: 'pods',
        subresource: 'ephemeralcontainers',
        namespace,
        fatal: false,
        purpose: 'debug containers are attached there',
        grantedBy: `the ClusterRole debugdead-debug-containers, bound in "${namespace}" by a RoleBinding \`debugdead pod-writes\` writes (deploy/components/pod-writes)`,
      });
    }
  }
  if (config.nodeShell.enabled) writable.push(config.nodeShell.namespace);
  for (const namespace of [...new Set(writable)]) {
    for (const verb of ['create', 'patch', 'delete']) {
      needs.push({
        verb,
        group: '',
        resource: 'pods',
        namespace,
        fatal: false,
        purpose:
          namespace === config.nodeShell.namespace && config.nodeShell.enabled
            ? 'node shells are created, extended and deleted there'
            : 'debug clones are created, extended and deleted there',
      });
    }
  }
  return needs;
}

/**
 * One sentence per missing (resource, namespace), its verbs together, naming the RBAC rule to add and where:
 * `Kubernetes RBAC: the bot may not list, watch pods at the cluster scope (alerts watch pods). Add
 * {apiGroups: [""], resources: [pods], verbs: [list, watch]} to the ClusterRole debugdead-read (deploy/base/rbac.yaml).`
 */
export function describeMissingAccess(missing: readonly AccessNeed[]): string[] {
  const groups = new Map<string, AccessNeed[]>();
  for (const need of missing) {
    const key = [need.group, need.resource, need.subresource ?? '', need.namespace ?? ''].join('|');
    groups.set(key, [...(groups.get(key) ?? []), need]);
  }
  return [...groups.values()].map((needs) => {
    const first = needs[0] as AccessNeed;
    const verbs = [...new Set(needs.map((n) => n.verb))];
    const purposes = [...new Set(needs.map((n) => n.purpose))].join('; ');
    const resource = first.subresource ? `${first.resource}/${first.subresource}` : first.resource;
    const rule = `{apiGroups: ["${first.group}"], resources: [${resource}], verbs: [${verbs.join(', ')}]}`;
    const where = first.namespace ? `in the namespace "${first.namespace}"` : 'at the cluster scope';
    const fix = first.grantedBy
      ? `Add ${rule} to ${first.grantedBy}.`
      : first.namespace
        ? `Bind the ClusterRole debugdead-pod-writer (${rule}) there with a RoleBinding: \`debugdead pod-writes\` writes them from namespaces.allow (deploy/components/pod-writes).`
        : `Add ${rule} to ${READ_GRANT}.`;
    return `Kubernetes RBAC: the bot may not ${verbs.join(', ')} ${resource} ${where} (${purposes}). ${fix}`;
  });
}
