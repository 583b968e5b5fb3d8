import type { Pod } from '../kube/types.js';

type Volume = NonNullable<NonNullable<Pod['spec']>['volumes']>[number];

/** A pod volume's source as a person names it: `Secret tls-cert`, `PVC data-web-0`, `hostPath /var/run/x`. */
export function describeVolumeSource(v: Volume | undefined): string | undefined {
  if (!v) return undefined;
  if (v.secret) return `Secret ${v.secret.secretName ?? '?'}${v.secret.optional ? ' (optional)' : ''}`;
  if (v.configMap) return `ConfigMap ${v.configMap.name ?? '?'}${v.configMap.optional ? ' (optional)' : ''}`;
  if (v.persistentVolumeClaim) return `PVC ${v.persistentVolumeClaim.claimName}`;
  if (v.hostPath) return `hostPath ${v.hostPath.path}${v.hostPath.type ? ` (type ${v.hostPath.type})` : ''}`;
  if (v.nfs) return `NFS ${v.nfs.server}:${v.nfs.path}`;
  if (v.csi) return `CSI driver ${v.csi.driver}`;
  if (v.emptyDir) return v.emptyDir.medium ? `emptyDir (${v.emptyDir.medium})` : 'emptyDir';
  if (v.projected) {
    const parts = (v.projected.sources ?? []).map((s) =>
      s.secret
        ? `Secret ${s.secret.name}`
        : s.configMap
          ? `ConfigMap ${s.configMap.name}`
          : s.serviceAccountToken
            ? 'service account token'
            : s.downwardAPI
              ? 'downward API'
              : 'other',
    );
    return `projected (${parts.join(', ')})`;
  }
  if (v.downwardAPI) return 'downward API';
  if (v.ephemeral) return 'generic ephemeral volume';
  const other = Object.keys(v).find((k) => k !== 'name');
  return other;
}

/** The pod volume a kubelet message names: by name, or (for a PersistentVolume `pvc-<uid>`) the pod's only claim. */
export function findVolume(pod: Pod, name: string): Volume | undefined {
  const volumes = (pod.spec?.volumes ?? []).filter(Boolean);
  const direct = volumes.find((v) => v.name === name);
  if (direct) return direct;
  const claims = volumes.filter((v) => v.persistentVolumeClaim || v.ephemeral);
  return /^pvc-/.test(name) && claims.length === 1 ? claims[0] : undefined;
}
