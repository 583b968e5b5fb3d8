import type { Container } from '../kube/types.js';

/** kubectl's `debug --profile` names, as they apply to an ephemeral container. */
export type DebugProfile = 'general' | 'baseline' | 'restricted' | 'netadmin' | 'sysadmin';

export const DEBUG_PROFILES: readonly DebugProfile[] = ['general', 'baseline', 'restricted', 'netadmin', 'sysadmin'];

/** Pod Security Standards levels, most permissive first. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface DebugProfileSpec {
  /** What the profile sets on the ephemeral container (kubectl `pkg/cmd/debug/profiles.go`, the "ephemeral" style). */
  securityContext?: NonNullable<Container['securityContext']>;
  /**
   * Why the profile is as strong as a node shell (node-shell approvers, two-person rule); undefined when it is not.
   * A privileged container or NET_ADMIN in a pod reaches the node or its network stack.
   */
  privilegeReason?: string;
  /** The strictest Pod Security level that admits it (`restricted` admits only `restricted`'s own profile). */
  strictestLevel: PodSecurityLevel;
  /** What a person should know about it, in one sentence. */
  note: string;
}

/**
 * One row per profile, as kubectl applies it to an ephemeral container: `general` adds SYS_PTRACE
 * (allowProcessTracing), `baseline` clears the security context, `restricted` runs as non-root with every capability
 * dropped, no privilege escalation and the RuntimeDefault seccomp profile, `netadmin` adds NET_ADMIN and NET_RAW,
 * `sysadmin` is privileged. The Pod Security level each passes follows from the Pod Security Standards: baseline
 * allows no capability beyond its list (SYS_PTRACE, NET_ADMIN and NET_RAW are not on it) and no privileged container.
 */
export const DEBUG_PROFILE_SPECS: Readonly<Record<DebugProfile, DebugProfileSpec>> = {
  general: {
    securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
    strictestLevel: 'privileged',
    note: 'profile general: SYS_PTRACE added, so strace and gdb can attach to the target',
  },
  baseline: {
    strictestLevel: 'baseline',
    note: 'profile baseline: the runtime default security context',
  },
  restricted: {
    securityContext: {
      // kubectl sets runAsNonRoot alone; busybox's image user is root, so the kubelet would refuse to start it
      // ("image will run as root"). 65532 is the conventional "nonroot" user of distroless images.
      runAsNonRoot: true,
      runAsUser: 65532,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    strictestLevel: 'restricted',
    note: 'profile restricted: user 65532, no capabilities; files of a target running as another user are unreadable',
  },
  netadmin: {
    securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
    privilegeReason: 'profile netadmin (NET_ADMIN, NET_RAW)',
    strictestLevel: 'privileged',
    note: 'profile netadmin: NET_ADMIN and NET_RAW added, for tcpdump and iptables in the pod network namespace',
  },
  sysadmin: {
    securityContext: { privileged: true },
    privilegeReason: 'profile sysadmin (a privileged container)',
    strictestLevel: 'privileged',
    note: 'profile sysadmin: a privileged container',
  },
};

const LEVEL_ORDER: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** Whether a namespace enforcing `level` admits a debug container of `profile`. Pure. */
export function profileAdmitted(profile: DebugProfile, level: PodSecurityLevel): boolean {
  return LEVEL_ORDER.indexOf(level) <= LEVEL_ORDER.indexOf(DEBUG_PROFILE_SPECS[profile].strictestLevel);
}

/** The profiles a namespace enforcing `level` admits, most capable first. */
export function profilesAdmittedAt(level: PodSecurityLevel): DebugProfile[] {
  return DEBUG_PROFILES.filter((p) => profileAdmitted(p, level));
}

/**
 * The level a namespace enforces, from its `pod-security.kubernetes.io/enforce` label; undefined when unlabelled
 * (the cluster's AdmissionConfiguration default then applies, `privileged` unless changed) or unreadable.
 */
export function podSecurityLevelOf(labels: Record<string, string> | undefined): PodSecurityLevel | undefined {
  const level = labels?.['pod-security.kubernetes.io/enforce'];
  return level === 'privileged' || level === 'baseline' || level === 'restricted' ? level : undefined;
}

/** Whether a string names a profile. */
export function isDebugProfile(value: unknown): value is DebugProfile {
  return typeof value === 'string' && (DEBUG_PROFILES as readonly string[]).includes(value);
}
