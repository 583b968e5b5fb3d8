/** Reports one problem at a key path (zod's refinement context, in schema.ts). */
export type FailAt = (path: (string | number)[], message: string) => void;

/** The parts of the validated file the cluster rules read. */
export interface ClustersToCheck {
  clusters: { name: string; alerts: { routes: { namespaces: string[] }[] } }[];
  bindings: { cluster?: string | undefined }[];
}

/**
 * The `clusters:` rules the schema cannot say per key: no name twice, a binding's cluster is one of them, and each
 * cluster's alert routes name at least one namespace. Each problem names its key.
 */
export function checkClusters(v: ClustersToCheck, fail: FailAt): void {
  const names = new Set<string>();
  v.clusters.forEach((cluster, i) => {
    if (names.has(cluster.name)) fail(['clusters', i, 'name'], `"${cluster.name}" is named twice`);
    else names.add(cluster.name);
    cluster.alerts.routes.forEach((route, j) => {
      if (route.namespaces.length === 0)
        fail(['clusters', i, 'alerts', 'routes', j, 'namespaces'], 'expected at least one namespace or glob');
    });
  });
  v.bindings.forEach((binding, i) => {
    const cluster = binding.cluster;
    if (cluster !== undefined && !names.has(cluster))
      fail(
        ['bindings', i, 'cluster'],
        `"${cluster}" is not in clusters (${names.size ? [...names].join(', ') : 'none configured'})`,
      );
  });
}
