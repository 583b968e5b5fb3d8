/**
 * The `clusters:` rules the schema cannot say: every cluster has a name, no name twice, a binding's cluster is one of
 * them, and each cluster's alert routes are complete. Each problem names its key.
 */
export function checkClusters(v: Record<string, unknown>, errors: string[]): void {
  const clusters = (v.clusters as Record<string, unknown>[] | undefined) ?? [];
  const names = new Set<string>();
  clusters.forEach((cluster, i) => {
    const name = cluster.name;
    if (typeof name !== 'string') errors.push(`clusters[${i}].name: required`);
    else if (names.has(name)) errors.push(`clusters[${i}].name: "${name}" is named twice`);
    else names.add(name);
    const alerts = (cluster.alerts ?? {}) as Record<string, unknown>;
    (alerts.routes as Record<string, unknown>[] | undefined)?.forEach((route, j) => {
      if (route.channel === undefined) errors.push(`clusters[${i}].alerts.routes[${j}].channel: required`);
      if (!Array.isArray(route.namespaces) || route.namespaces.length === 0)
        errors.push(`clusters[${i}].alerts.routes[${j}].namespaces: expected at least one namespace or glob`);
    });
  });
  (v.bindings as Record<string, unknown>[] | undefined)?.forEach((binding, i) => {
    const cluster = binding.cluster;
    if (typeof cluster === 'string' && !names.has(cluster))
      errors.push(
        `bindings[${i}].cluster: "${cluster}" is not in clusters (${names.size ? [...names].join(', ') : 'none configured'})`,
      );
  });
}
