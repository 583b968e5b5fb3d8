import type { ApproverSet, Config, Limits } from '../config/index.js';

/**
 * One cluster's view of the configuration: the global policy with the cluster's overrides (config clusters[]), and
 * `cluster.name` set to it, so every module that takes a Config (approvals, limits, alert routing, the grant's
 * cluster) works for that cluster unchanged. Empty overrides inherit; namespaces.deny adds to the global deny;
 * alert routes of the cluster come before the global ones. Bindings hold in every cluster (a binding's `cluster` is
 * its channels' default, not a fence). Pure; `config` is not changed.
 */
export function resolveClusterConfig(config: Config, name: string): Config {
  const spec = config.clusters?.find((c) => c.name === name);
  const limits = Object.fromEntries(
    (Object.keys(config.limits) as (keyof Limits)[]).map((k) => [k, spec?.limits?.[k] || config.limits[k]]),
  ) as unknown as Limits;
  return {
    ...config,
    cluster: { name },
    namespaces: {
      allow: spec?.namespaces.allow.length ? spec.namespaces.allow : config.namespaces.allow,
      deny: [...new Set([...config.namespaces.deny, ...(spec?.namespaces.deny ?? [])])],
    },
    approvers: chosen(spec?.approvers, config.approvers),
    nodeShell: { ...config.nodeShell, approvers: chosen(spec?.nodeShellApprovers, config.nodeShell.approvers) },
    limits,
    alerts: {
      ...config.alerts,
      ...(spec?.alerts.channel ? { channel: spec.alerts.channel } : {}),
      routes: [...(spec?.alerts.routes ?? []), ...config.alerts.routes],
    },
  };
}

/** An approver set that names nobody inherits the global one (it cannot mean "nobody": that is the global default). */
function chosen(own: ApproverSet | undefined, global: ApproverSet): ApproverSet {
  return own && (own.users.length > 0 || own.groups.length > 0 || own.anyone) ? own : global;
}

/** The names of the configured clusters, in order. */
export function clusterNames(config: Pick<Config, 'clusters'>): string[] {
  return (config.clusters ?? []).map((c) => c.name);
}

/** The kubeconfig context people use for a cluster: clusters[].kubectlContext, else its name. */
export function kubectlContextOf(config: Pick<Config, 'clusters'>, name: string): string {
  return config.clusters?.find((c) => c.name === name)?.kubectlContext ?? name;
}
