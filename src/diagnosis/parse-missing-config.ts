/** The ConfigMap or Secret (and key) a kubelet message says is missing. */
export interface MissingConfigRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
}

/**
 * Parses the kubelet's CreateContainerConfigError and FailedMount wording: `configmap "x" not found`,
 * `secret "x" not found`, `couldn't find key k in ConfigMap ns/x`, `couldn't find key k in Secret ns/x`.
 */
export function parseMissingConfig(message: string): MissingConfigRef | undefined {
  const key = /couldn't find key (\S+) in (ConfigMap|Secret) (?:[^/\s]+\/)?(\S+)/i.exec(message);
  if (key?.[1] && key[3]) {
    return { kind: key[2]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: key[3], key: key[1] };
  }
  const obj = /(configmaps?|secrets?) "([^"]+)" not found/i.exec(message);
  if (obj?.[2]) return { kind: obj[1]?.toLowerCase().startsWith('secret') ? 'Secret' : 'ConfigMap', name: obj[2] };
  return undefined;
}
