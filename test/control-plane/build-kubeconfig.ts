import yaml from 'js-yaml';

/** One user of one API server, with everything embedded so the file works from any directory. */
export interface KubeconfigSpec {
  server: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** User and context name. */
  user: string;
  /** @defaultValue 'debugdead-test' */
  cluster?: string;
}

/** A kubeconfig (YAML) for client-certificate authentication against one API server (pure). */
export function buildKubeconfig(spec: KubeconfigSpec): string {
  const cluster = spec.cluster ?? 'debugdead-test';
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caPem) } }],
    users: [
      {
        name: spec.user,
        user: { 'client-certificate-data': b64(spec.certPem), 'client-key-data': b64(spec.keyPem) },
      },
    ],
    contexts: [{ name: spec.user, context: { cluster, user: spec.user } }],
    'current-context': spec.user,
    preferences: {},
  });
}
