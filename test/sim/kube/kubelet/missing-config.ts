import type { KubeObject } from '../store-contract.js';

type Json = any;

/** Reads a ConfigMap or Secret from the cluster. */
export type ConfigLookup = (
  resource: 'configmaps' | 'secrets',
  namespace: string,
  name: string,
) => KubeObject | undefined;

function hasKey(o: KubeObject, key: string): boolean {
  return (o.data && key in o.data) || (o.binaryData && key in o.binaryData) || (o.stringData && key in o.stringData);
}

/**
 * Why the kubelet cannot build this container's environment (CreateContainerConfigError), with the kubelet's own
 * wording (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): `configmap "x" not found`,
 * `couldn't find key K in ConfigMap ns/x`; optional references are skipped. Undefined when all is there.
 */
export function missingEnvConfig(container: Json, namespace: string, lookup: ConfigLookup): string | undefined {
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef && !from.configMapRef.optional && !lookup('configmaps', namespace, from.configMapRef.name)) {
      return `configmap "${from.configMapRef.name}" not found`;
    }
    if (from.secretRef && !from.secretRef.optional && !lookup('secrets', namespace, from.secretRef.name)) {
      return `secret "${from.secretRef.name}" not found`;
    }
  }
  for (const env of container.env ?? []) {
    const cm = env.valueFrom?.configMapKeyRef;
    if (cm && !cm.optional) {
      const o = lookup('configmaps', namespace, cm.name);
      if (!o) return `configmap "${cm.name}" not found`;
      if (!hasKey(o, cm.key)) return `couldn't find key ${cm.key} in ConfigMap ${namespace}/${cm.name}`;
    }
    const sec = env.valueFrom?.secretKeyRef;
    if (sec && !sec.optional) {
      const o = lookup('secrets', namespace, sec.name);
      if (!o) return `secret "${sec.name}" not found`;
      if (!hasKey(o, sec.key)) return `couldn't find key ${sec.key} in Secret ${namespace}/${sec.name}`;
    }
  }
  return undefined;
}

/**
 * The first volume that cannot be set up, as the FailedMount event words it:
 * `MountVolume.SetUp failed for volume "config" : configmap "app-config" not found`. A real kubelet keeps such a pod
 * in ContainerCreating (it never reaches CreateContainerConfigError, which is for env references only).
 */
export function missingVolumeConfig(podSpec: Json, namespace: string, lookup: ConfigLookup): string | undefined {
  for (const v of podSpec.volumes ?? []) {
    const sources: [Json, 'configmaps' | 'secrets', string][] = [];
    if (v.configMap) sources.push([v.configMap, 'configmaps', v.configMap.name]);
    if (v.secret) sources.push([v.secret, 'secrets', v.secret.secretName]);
    for (const p of v.projected?.sources ?? []) {
      if (p.configMap) sources.push([p.configMap, 'configmaps', p.configMap.name]);
      if (p.secret) sources.push([p.secret, 'secrets', p.secret.name]);
    }
    for (const [src, resource, name] of sources) {
      if (src.optional || lookup(resource, namespace, name)) continue;
      const kind = resource === 'configmaps' ? 'configmap' : 'secret';
      return `MountVolume.SetUp failed for volume "${v.name}" : ${kind} "${name}" not found`;
    }
  }
  return undefined;
}
