import type { KubeObject } from '../store-contract.js';

type Any = any;

/** Pod Security Standards levels, from the namespace label `pod-security.kubernetes.io/enforce`. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
  'image',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const quoted = (xs: string[]): string => xs.map((x) => `"${x}"`).join(', ');
/** `container "a"` or `containers "a", "b"`, as pod-security-admission words it. */
const containers = (names: string[]): string => `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
const must = (names: string[]): string => (names.length === 1 ? 'must' : 'must');

function allContainers(spec: Any): Any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/**
 * The violations of a pod against `level` (pod-security-admission's checks, ordered by check id as its message is),
 * or [] when it passes.
 */
export function podSecurityViolations(pod: KubeObject, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const spec = pod.spec ?? {};
  const psc = spec.securityContext ?? {};
  const cs = allContainers(spec);
  const out: string[] = [];
  const restricted = level === 'restricted';

  if (restricted) {
    const bad = cs.filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
    if (bad.length)
      out.push(
        `allowPrivilegeEscalation != false (${containers(bad)} ${must(bad)} set securityContext.allowPrivilegeEscalation=false)`,
      );
  }
  {
    const parts: string[] = [];
    for (const c of cs) {
      const extra = (c.securityContext?.capabilities?.add ?? []).filter((x: string) => !BASELINE_CAPS.has(x));
      if (extra.length)
        parts.push(`container "${c.name}" must not include ${quoted(extra)} in securityContext.capabilities.add`);
    }
    if (parts.length) out.push(`non-default capabilities (${parts.join('; ')})`);
  }
  if (restricted) {
    const noDrop = cs.filter((c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL')).map((c) => c.name);
    const parts: string[] = [];
    if (noDrop.length) parts.push(`${containers(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
    for (const c of cs) {
      const extra = (c.securityContext?.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
      if (extra.length)
        parts.push(`container "${c.name}" must not include ${quoted(extra)} in securityContext.capabilities.add`);
    }
    if (parts.length) out.push(`unrestricted capabilities (${parts.join('; ')})`);
  }
  {
    const ns = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => spec[f] === true).map((f) => `${f}=true`);
    if (ns.length) out.push(`host namespaces (${ns.join(', ')})`);
  }
  {
    const vols = (spec.volumes ?? []).filter((v: Any) => v.hostPath).map((v: Any) => v.name as string);
    if (vols.length) out.push(`hostPath volumes (${vols.length === 1 ? 'volume' : 'volumes'} ${quoted(vols)})`);
  }
  {
    const names: string[] = [];
    const ports: number[] = [];
    for (const c of cs) {
      const hp = (c.ports ?? []).filter((p: Any) => p.hostPort).map((p: Any) => p.hostPort as number);
      if (hp.length) {
        names.push(c.name);
        ports.push(...hp);
      }
    }
    if (names.length)
      out.push(
        `hostPort (${containers(names)} ${names.length === 1 ? 'uses' : 'use'} ${ports.length === 1 ? 'hostPort' : 'hostPorts'} ${ports.join(', ')})`,
      );
  }
  {
    const bad = cs.filter((c) => c.securityContext?.privileged === true).map((c) => c.name);
    if (bad.length) out.push(`privileged (${containers(bad)} must not set securityContext.privileged=true)`);
  }
  {
    const bad = cs
      .filter((c) => c.securityContext?.procMount && c.securityContext.procMount !== 'Default')
      .map((c) => c.name);
    if (bad.length) out.push(`procMount (${containers(bad)} must not set securityContext.procMount to "Unmasked")`);
  }
  if (restricted) {
    const parts = (spec.volumes ?? []).flatMap((v: Any) => {
      const type = Object.keys(v).find((k) => k !== 'name');
      return type && !RESTRICTED_VOLUMES.has(type) ? [`volume "${v.name}" uses restricted volume type "${type}"`] : [];
    });
    if (parts.length) out.push(`restricted volume types (${parts.join(', ')})`);
    const parts2: string[] = [];
    if (psc.runAsNonRoot === false) parts2.push('pod must not set securityContext.runAsNonRoot=false');
    const explicitFalse = cs.filter((c) => c.securityContext?.runAsNonRoot === false).map((c) => c.name);
    if (explicitFalse.length)
      parts2.push(`${containers(explicitFalse)} must not set securityContext.runAsNonRoot=false`);
    if (psc.runAsNonRoot !== true) {
      const unset = cs.filter((c) => c.securityContext?.runAsNonRoot === undefined).map((c) => c.name);
      if (unset.length) parts2.push(`pod or ${containers(unset)} must set securityContext.runAsNonRoot=true`);
    }
    if (parts2.length) out.push(`runAsNonRoot != true (${parts2.join('; ')})`);
    const root: string[] = [];
    if (psc.runAsUser === 0) root.push('pod must not set runAsUser=0');
    const rootC = cs.filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
    if (rootC.length) root.push(`${containers(rootC)} must not set runAsUser=0`);
    if (root.length) out.push(`runAsUser=0 (${root.join('; ')})`);
  }
  {
    const parts: string[] = [];
    if (psc.seccompProfile?.type === 'Unconfined')
      parts.push('pod must not set securityContext.seccompProfile.type to "Unconfined"');
    const bad = cs.filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined').map((c) => c.name);
    if (bad.length) parts.push(`${containers(bad)} must not set securityContext.seccompProfile.type to "Unconfined"`);
    if (parts.length && !restricted) out.push(`seccompProfile (${parts.join('; ')})`);
    if (restricted) {
      const ok = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
      const rparts: string[] = [];
      if (psc.seccompProfile && !ok(psc.seccompProfile.type))
        rparts.push(`pod must not set securityContext.seccompProfile.type to "${psc.seccompProfile.type}"`);
      const explicitBad = cs
        .filter((c) => c.securityContext?.seccompProfile && !ok(c.securityContext.seccompProfile.type))
        .map((c) => c.name);
      if (explicitBad.length)
        rparts.push(`${containers(explicitBad)} must not set securityContext.seccompProfile.type to "Unconfined"`);
      if (!ok(psc.seccompProfile?.type)) {
        const unset = cs.filter((c) => !c.securityContext?.seccompProfile).map((c) => c.name);
        if (unset.length)
          rparts.push(
            `pod or ${containers(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
          );
      }
      if (rparts.length) out.push(`seccompProfile (${rparts.join('; ')})`);
    }
  }
  {
    const bad = (psc.sysctls ?? []).map((s: Any) => s.name as string).filter((n: string) => !SAFE_SYSCTLS.has(n));
    if (bad.length) out.push(`forbidden sysctls (${bad.join(', ')})`);
  }
  return out;
}

/** The enforce level and version a namespace's labels ask for. */
export function enforcedLevel(ns: KubeObject | undefined): { level: PodSecurityLevel; version: string } {
  const labels = ns?.metadata?.labels ?? {};
  const raw = labels['pod-security.kubernetes.io/enforce'];
  const level: PodSecurityLevel = raw === 'baseline' || raw === 'restricted' ? raw : 'privileged';
  return { level, version: labels['pod-security.kubernetes.io/enforce-version'] || 'latest' };
}
