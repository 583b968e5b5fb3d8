import type { PodSpec } from '../kube/types.js';

/** What the classifier needs besides the spec. */
export interface PrivilegeContext {
  /** The pod's namespace (ServiceAccounts are namespaced). */
  namespace: string;
  /** `namespace/name` globs (`*`, `?`) of ServiceAccounts whose token is as good as privilege (config). */
  sensitiveServiceAccounts: readonly string[];
}

/**
 * Capabilities Pod Security "baseline" lets a container add; anything else (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL…)
 * is beyond it. Source: the Pod Security Standards, baseline profile, "Capabilities".
 */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
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

/** Sysctls baseline allows ("safe" sysctls, namespaced per pod); any other reaches the node. */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
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

/**
 * Why a pod with this spec would be privileged on its node: a privileged container, a host namespace, a hostPath
 * volume, a capability beyond Pod Security "baseline", an unmasked /proc, an unconfined seccomp profile, an unsafe
 * sysctl, a Windows host process, or a ServiceAccount from the sensitive list. Empty when none. Pure.
 * A debug clone keeps its source's spec, so a clone of such a pod is as strong as a node shell and is approved as one.
 */
export function classifyPodPrivilege(spec: PodSpec | undefined, context: PrivilegeContext): string[] {
  if (!spec) return [];
  const reasons: string[] = [];
  if (spec.hostPID) reasons.push('hostPID');
  if (spec.hostIPC) reasons.push('hostIPC');
  if (spec.hostNetwork) reasons.push('hostNetwork');
  for (const v of spec.volumes ?? []) if (v.hostPath) reasons.push(`hostPath volume ${v.name} (${v.hostPath.path})`);
  if (spec.securityContext?.seccompProfile?.type === 'Unconfined') reasons.push('seccomp Unconfined');
  if (spec.securityContext?.windowsOptions?.hostProcess) reasons.push('Windows hostProcess');
  for (const s of spec.securityContext?.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(s.name)) reasons.push(`sysctl ${s.name}`);
  }
  // Ephemeral (debug) containers are left out: a clone drops them, and a new debug container joins only its
  // target's namespaces, so an earlier `sysadmin` debugger does not make either privileged (its profile does).
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext;
    if (!sc) continue;
    if (sc.privileged) reasons.push(`privileged container ${c.name}`);
    const beyond = (sc.capabilities?.add ?? [])
      .map((cap) => cap.toUpperCase().replace(/^CAP_/, ''))
      .filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (beyond.length) reasons.push(`capabilities ${beyond.join(', ')} in ${c.name}`);
    if (sc.procMount === 'Unmasked') reasons.push(`unmasked /proc in ${c.name}`);
    if (sc.seccompProfile?.type === 'Unconfined') reasons.push(`seccomp Unconfined in ${c.name}`);
    if (sc.windowsOptions?.hostProcess) reasons.push(`Windows hostProcess in ${c.name}`);
  }
  const account = spec.serviceAccountName || spec.serviceAccount || 'default';
  const qualified = `${context.namespace}/${account}`;
  if (context.sensitiveServiceAccounts.some((pattern) => globMatches(pattern, qualified))) {
    reasons.push(`ServiceAccount ${qualified}`);
  }
  return reasons;
}

function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`).test(text);
}
