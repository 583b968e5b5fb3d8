type Json = any;

/** A ConfigMap or Secret a pod needs before its containers can start. */
export interface ConfigReference {
  resource: 'configmaps' | 'secrets';
  name: string;
}

/**
 * Every ConfigMap and Secret a pod spec names (pure), optional or not: volumes (also projected sources, such as the
 * `kube-root-ca.crt` ConfigMap of the service-account token volume), `envFrom` and `env[].valueFrom` of init,
 * regular and ephemeral containers. Each appears once. The kubelet reads these with the node's identity, which the
 * Node authorizer allows only for objects that pods bound to the node reference.
 */
export function listConfigReferences(spec: Json): ConfigReference[] {
  const seen = new Map<string, ConfigReference>();
  const add = (resource: ConfigReference['resource'], name: unknown) => {
    if (typeof name === 'string' && name) seen.set(`${resource}/${name}`, { resource, name });
  };
  for (const v of spec?.volumes ?? []) {
    add('configmaps', v.configMap?.name);
    add('secrets', v.secret?.secretName);
    for (const p of v.projected?.sources ?? []) {
      add('configmaps', p.configMap?.name);
      add('secrets', p.secret?.name);
    }
  }
  const containers = [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
    ...(spec?.ephemeralContainers ?? []),
  ];
  for (const c of containers) {
    for (const from of c.envFrom ?? []) {
      add('configmaps', from.configMapRef?.name);
      add('secrets', from.secretRef?.name);
    }
    for (const env of c.env ?? []) {
      add('configmaps', env.valueFrom?.configMapKeyRef?.name);
      add('secrets', env.valueFrom?.secretKeyRef?.name);
    }
  }
  return [...seen.values()];
}
