import type { KubeEvent, Pod } from '../kube/types.js';
import { cutAround } from './cut-around.js';
import { describeVolumeSource, findVolume } from './describe-volume-source.js';
import { type MergedReason, mergeEventsByReason } from './merge-events.js';
import { type MissingConfigRef, parseMissingConfig } from './parse-missing-config.js';
import { rankLogLine } from './rank-log-line.js';
import { toMillis } from './time.js';
import type { ContainerDiagnosis, Finding } from './types.js';

/** What the pod event rules look at. */
export interface EventFindingInput {
  pod: Pod;
  containers: readonly ContainerDiagnosis[];
  /** All of the pod's events, in canonical order (oldest first). */
  events: readonly KubeEvent[];
}

/** Kubelet warning reasons with no rule of their own, and what each means. */
const OTHER_KUBELET_WARNINGS: Readonly<Record<string, string>> = {
  VolumeResizeFailed: 'a volume could not be resized',
  FileSystemResizeFailed: "a volume's file system could not be resized",
  FailedMountOnFilesystemMismatch: "a volume's file system does not match what the pod asks for",
  FailedValidation: 'the kubelet rejected the pod spec (static pod validation)',
  InspectFailed: 'the image could not be inspected on the node',
  FailedSync: 'the kubelet cannot sync the pod',
};

interface EventRule {
  /** The event reasons the rule reads, as the kubelet or a controller emits them. */
  reasons: readonly string[];
  /** The Kubernetes fact the rule relies on. */
  fact: string;
  find(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[];
}

/**
 * Rules for the pod-level failures the kubelet, its volume manager and the attach/detach controller report only as
 * events (pkg/kubelet/events/event.go, pkg/volume/util/operationexecutor/operation_generator.go). Container-level
 * reasons (hooks, probes, pulls) are read by the container rules.
 */
export const EVENT_RULES: readonly EventRule[] = [
  {
    reasons: ['FailedAttachVolume'],
    fact: 'The attach/detach controller reports "Multi-Attach error for volume X" when a ReadWriteOnce volume is still attached to another node, and "AttachVolume.Attach failed for volume X : <cause>" when the storage backend refuses.',
    find: attachFailures,
  },
  {
    reasons: ['FailedMount', 'FailedMapVolume'],
    fact: 'The volume manager reports "MountVolume.<Op> failed for volume X : <cause>" per volume, and every two minutes a generic "Unable to attach or mount volumes: unmounted volumes=[…]…: timed out waiting for the condition" that names no cause.',
    find: mountFailures,
  },
  {
    reasons: ['FailedCreatePodSandBox', 'FailedPodSandBoxStatus', 'NetworkNotReady'],
    fact: 'Before any container starts, the kubelet asks the runtime for a pod sandbox (network namespace via the CNI plugin, RuntimeClass handler); "Failed to create pod sandbox: <cause>" keeps the pod in ContainerCreating.',
    find: sandboxFailures,
  },
  {
    reasons: ['FailedCreatePodContainer'],
    fact: 'The kubelet creates a cgroup per pod ("unable to ensure pod container exists"); when that fails, nothing of the pod can start.',
    find: (i, m) => nodeFailure(i, m, 'FailedCreatePodContainer', "the node cannot create the pod's cgroup"),
  },
  {
    reasons: ['FailedPrepareDynamicResources'],
    fact: 'Pods that claim dynamic resources (DRA) wait until the kubelet has prepared them through the driver.',
    find: (i, m) => nodeFailure(i, m, 'FailedPrepareDynamicResources', 'its dynamic resources cannot be prepared'),
  },
  {
    reasons: ['FailedKillPod', 'ExceededGracePeriod'],
    fact: 'The kubelet reports FailedKillPod when the runtime cannot stop the pod, and ExceededGracePeriod when it did not stop within the grace period.',
    find: killFailures,
  },
  {
    reasons: Object.keys(OTHER_KUBELET_WARNINGS),
    fact: "The rest of the kubelet's pod warnings (pkg/kubelet/events/event.go): volume and file system resizes, config validation of static pods, image inspection, pod sync errors. Each is reported as it stands.",
    find: otherWarnings,
  },
];

/** The findings of every event rule, most specific first within each rule. */
export function findEventFindings(input: EventFindingInput): Finding[] {
  const merged = mergeEventsByReason(input.events.filter((e) => !e.involvedObject?.fieldPath));
  return EVENT_RULES.flatMap((rule) => (rule.reasons.some((r) => merged.has(r)) ? rule.find(input, merged) : []));
}

function otherWarnings(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[] {
  return Object.entries(OTHER_KUBELET_WARNINGS).flatMap(([reason, words]) => {
    const r = merged.get(reason);
    if (r?.type !== 'Warning') return [];
    return [
      {
        kind: 'Crashing' as const,
        severity: 'warning' as const,
        summary: `${words}: ${excerpt(r.messages[0]?.message ?? reason, 200)}`,
        evidence: evidenceOf(r),
        recommendation: `Read the kubelet's message above (${reason}); the node's kubelet log in a node shell has the rest.`,
        action: input.pod.spec?.nodeName ? ('node-shell' as const) : ('none' as const),
      },
    ];
  });
}

/** Containers have not started since these events, so they still hold the pod back. */
function stillBlocking(input: EventFindingInput, reason: MergedReason | undefined): boolean {
  if (!reason) return false;
  if (input.containers.some((c) => c.state === 'running')) return false;
  if (input.pod.status?.phase === 'Succeeded' || input.pod.status?.phase === 'Failed') return false;
  // A container that ran after the last such event proves the sandbox/volumes worked since.
  const lastRun = Math.max(
    ...input.containers.map((c) => toMillis(c.terminated?.startedAt ?? c.lastTermination?.startedAt) ?? -Infinity),
  );
  return reason.lastSeen === undefined || !Number.isFinite(lastRun) || reason.lastSeen >= lastRun;
}

function times(n: number): string {
  return n > 1 ? ` (×${n})` : '';
}

function evidenceOf(r: MergedReason | undefined, max = 4): string[] {
  return (r?.messages ?? []).slice(0, max).map((m) => `${r?.reason}: ${m.message}${times(m.count)}`);
}

/** Cuts a kubelet message around its most telling phrase. */
function excerpt(text: string, max: number): string {
  const r = rankLogLine(text);
  return cutAround(text, max, r.phrase);
}

// ------------------------------------------------------------------------------------------------- attach

function attachFailures(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[] {
  const r = merged.get('FailedAttachVolume');
  if (!stillBlocking(input, r) || !r) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const m of r.messages) {
    const volume = /for volume "([^"]+)"/.exec(m.message)?.[1] ?? '?';
    if (seen.has(volume)) continue;
    seen.add(volume);
    const source = describeVolumeSource(findVolume(input.pod, volume));
    const named = `volume ${volume}${source ? ` (${source})` : ''}`;
    const multi = /Multi-Attach error/i.test(m.message);
    const usedBy = /already used by pod\(s\) (.+)$/i.exec(m.message)?.[1];
    out.push({
      kind: 'VolumeFailure',
      severity: 'critical',
      summary: multi
        ? `${named} cannot be attached: Multi-Attach error, it is still attached to another node${usedBy ? ` (used by pod(s) ${usedBy})` : ' (exclusively attached, ReadWriteOnce)'}`
        : `${named} cannot be attached to node ${input.pod.spec?.nodeName ?? '?'}: ${excerpt(m.message.replace(/^AttachVolume\.Attach failed for volume "[^"]+"(?: \([^)]*\))? : /, ''), 180)}`,
      evidence: [...evidenceOf(r), ...(input.pod.spec?.nodeName ? [`node: ${input.pod.spec.nodeName}`] : [])],
      recommendation: multi
        ? 'A ReadWriteOnce volume attaches to one node at a time: wait for the old pod on the other node to go (or delete it, or the stale VolumeAttachment if its node is gone); for rolling updates use strategy Recreate, or a ReadWriteMany volume.'
        : "The storage backend refused the attach: check the PersistentVolume's zone against the node's, the CSI controller's logs and the VolumeAttachment object.",
      action: 'none',
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------- mount

/** The volume manager's wording that names no cause, only that it gave up waiting. */
const GENERIC_MOUNT =
  /^Unable to (?:attach or )?mount volumes|timeout expired waiting for volumes to attach|timed out waiting for the condition$/i;

interface VolumeTrouble {
  volume: string;
  /** The most specific cause known, newest first among equals. */
  cause?: string;
  /** How specific the cause is: 2 a named cause, 1 a timeout on that volume, 0 only the generic wait. */
  rank: number;
  messages: string[];
}

/** `MountVolume.SetUp failed for volume "x" : cause`; also the old form `… for volume "kubernetes.io/secret/uid-x" (spec.Name: "x") …`. */
const PER_VOLUME =
  /^(\w+\.\w+) failed for volume "([^"]+)"(?: \(UniqueName: "[^"]*"\))?(?: \(spec\.Name: "([^"]+)"\))?[^:]*?:\s*(.*)$/s;

function mountFailures(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[] {
  const mount = merged.get('FailedMount');
  const map = merged.get('FailedMapVolume');
  const all = [...(mount?.messages ?? []), ...(map?.messages ?? [])];
  const newest = [mount, map]
    .filter((x): x is MergedReason => !!x)
    .sort((a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0))[0];
  if (!stillBlocking(input, newest)) return [];
  const troubles = new Map<string, VolumeTrouble>();
  const note = (volume: string, rank: number, cause: string | undefined, message: string) => {
    const t = troubles.get(volume) ?? { volume, rank: -1, messages: [] };
    if (!t.messages.includes(message)) t.messages.push(message);
    // Messages come newest first: a newer cause of the same rank keeps its place.
    if (rank > t.rank) {
      t.rank = rank;
      if (cause) t.cause = cause;
    }
    troubles.set(volume, t);
  };
  for (const m of all) {
    const per = PER_VOLUME.exec(m.message);
    if (per) {
      const name =
        per[3] ??
        per[2]
          ?.split('/')
          .pop()
          ?.replace(/^[0-9a-f-]{36}-/, '') ??
        '?';
      const cause = (per[4] ?? '').trim();
      note(name, GENERIC_MOUNT.test(cause) || /context deadline exceeded$/.test(cause) ? 1 : 2, cause, m.message);
      continue;
    }
    const listed = /unmounted volumes=\[([^\]]*)\]/i.exec(m.message)?.[1] ?? '';
    for (const v of listed.split(/[\s,]+/).filter(Boolean)) note(v, 0, undefined, m.message);
  }
  const ns = input.pod.metadata?.namespace ?? 'default';
  const out: Finding[] = [];
  // The generic wait lists every volume not mounted yet; next to a volume with a named cause it is the lesser news.
  const named = [...troubles.values()].some((t) => t.rank > 0);
  for (const t of [...troubles.values()].sort((a, b) => b.rank - a.rank)) {
    const source = describeVolumeSource(findVolume(input.pod, t.volume));
    const title = `volume "${t.volume}"${source ? ` (${source})` : ''}`;
    const evidence = [
      ...t.messages.slice(0, 3).map((m) => `FailedMount: ${m}`),
      ...(source ? [`volume ${t.volume}: ${source}`] : []),
    ];
    const missing = t.cause
      ? (parseMissingConfig(t.cause) ?? missingItemKey(t.cause, findVolume(input.pod, t.volume)))
      : undefined;
    if (missing) {
      out.push({
        kind: 'MissingConfig',
        severity: 'critical',
        summary: `${title} cannot be mounted: ${
          missing.key
            ? `key "${missing.key}" is missing from ${missing.kind} ${missing.name}`
            : `${missing.kind} "${missing.name}" not found in ${ns}`
        }`,
        evidence,
        recommendation: `Create the ${missing.kind} ${missing.name} in ${ns}, fix the name in volume ${t.volume}, or mark it optional: true. The pod waits in ContainerCreating until then.`,
        action: 'none',
      });
      continue;
    }
    out.push({
      kind: 'VolumeFailure',
      severity: t.rank === 0 && named ? 'warning' : 'critical',
      summary: t.cause
        ? `${title} cannot be mounted: ${excerpt(t.cause, 200)}`
        : `${title} is still not mounted (the kubelet timed out waiting for it and names no cause)`,
      evidence,
      recommendation: t.cause
        ? volumeAdvice(t.cause, source)
        : `Look at what ${source ?? 'the volume'} needs: a Bound PVC and an attached PersistentVolume, a running CSI driver on the node, an existing ConfigMap/Secret. A node shell shows the kubelet's own log.`,
      // The mount happens on the node (kubelet, CSI node plugin, mount helpers): its shell shows why.
      action: t.cause && input.pod.spec?.nodeName ? 'node-shell' : 'none',
    });
  }
  return out;
}

/**
 * A ConfigMap/Secret volume whose `items` name a key the object lacks: `configmap references non-existent config
 * key: app.yaml` (pkg/volume/configmap, pkg/volume/secret). The object's name comes from the volume.
 */
function missingItemKey(cause: string, volume: ReturnType<typeof findVolume>): MissingConfigRef | undefined {
  const m = /(configmap|secret) references non-existent (?:config |secret )?key: (\S+)/i.exec(cause);
  if (!m?.[2]) return undefined;
  const secret = m[1]?.toLowerCase() === 'secret';
  const name = secret ? volume?.secret?.secretName : volume?.configMap?.name;
  return name ? { kind: secret ? 'Secret' : 'ConfigMap', name, key: m[2] } : undefined;
}

function volumeAdvice(cause: string, source: string | undefined): string {
  if (/not found in the list of registered CSI drivers|driver name .* not found/i.test(cause)) {
    return 'The CSI driver is not registered on this node: check that its node plugin (DaemonSet) runs here.';
  }
  if (/hostPath type check failed|does not exist|not a directory/i.test(cause)) {
    return 'The path does not exist on the node (or has the wrong type): create it, fix the path, or change the hostPath type.';
  }
  if (/access denied|permission denied|not permitted/i.test(cause)) {
    return 'The storage server refused the mount: check its export rules for this node and the credentials the volume uses.';
  }
  if (/timed out|deadline|unreachable|no route|connection/i.test(cause)) {
    return `The node cannot reach the storage behind ${source ?? 'the volume'}: check the network path from the node (a node shell helps).`;
  }
  return `Read the cause above for ${source ?? 'the volume'}; the kubelet retries the mount until it succeeds.`;
}

// ------------------------------------------------------------------------------------------------- sandbox

function sandboxFailures(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[] {
  const r =
    merged.get('FailedCreatePodSandBox') ?? merged.get('FailedPodSandBoxStatus') ?? merged.get('NetworkNotReady');
  if (!r || !stillBlocking(input, r)) return [];
  const message = r.messages[0]?.message ?? '';
  const node = input.pod.spec?.nodeName;
  // Runtime prefixes and the 64-hex sandbox ids say nothing to a person.
  const cause = message
    .replace(/^Failed (?:to )?create pod sandbox: /, '')
    .replace(/rpc error: code = \w+ desc = /g, '')
    .replace(/ (?:sandbox container )?"?[0-9a-f]{64}"?/g, '')
    .trim();
  const plugin =
    /plugin type="([^"]+)"/.exec(message)?.[1] ?? /NetworkPlugin (\w+) failed/i.exec(message)?.[1] ?? undefined;
  const runtimeClass = /no runtime for "([^"]+)" is configured|RuntimeHandler "([^"]+)" not supported/i.exec(message);
  const network =
    plugin !== undefined || /network|cni|NetworkReady=false/i.test(message) || r.reason === 'NetworkNotReady';
  const what = runtimeClass
    ? `the runtime has no handler "${runtimeClass[1] ?? runtimeClass[2]}" (RuntimeClass)`
    : network
      ? `the network plugin${plugin && plugin !== 'cni' ? ` ${plugin}` : ''} failed`
      : 'the container runtime failed';
  return [
    {
      kind: 'SandboxFailure',
      severity: 'critical',
      summary: `the pod sandbox cannot be created on ${node ?? 'its node'}: ${what}: ${excerpt(cause, 200)}`,
      evidence: [
        ...evidenceOf(merged.get('FailedCreatePodSandBox'), 3),
        ...evidenceOf(merged.get('NetworkNotReady'), 1),
        ...(merged.get('SandboxChanged') ? [`SandboxChanged ×${merged.get('SandboxChanged')?.count}`] : []),
        ...(node ? [`node: ${node}`] : []),
      ],
      recommendation: runtimeClass
        ? "The pod's RuntimeClass names a handler the node's runtime does not have: install and configure it on the node, or schedule the pod where it exists."
        : network
          ? `Nothing in the pod is at fault: the node's network plugin cannot set up its network. Check the CNI pods on ${node ?? 'the node'} (calico-node, cilium, aws-node…) and /etc/cni/net.d in a node shell.`
          : `The runtime on ${node ?? 'the node'} cannot create the sandbox: check containerd/CRI-O and the pause image in a node shell.`,
      action: node ? 'node-shell' : 'none',
    },
  ];
}

function nodeFailure(
  input: EventFindingInput,
  merged: Map<string, MergedReason>,
  reason: string,
  words: string,
): Finding[] {
  const r = merged.get(reason);
  if (!r || !stillBlocking(input, r)) return [];
  const node = input.pod.spec?.nodeName;
  return [
    {
      kind: 'SandboxFailure',
      severity: 'critical',
      summary: `${words} on ${node ?? 'its node'}: ${excerpt(r.messages[0]?.message ?? '', 200)}`,
      evidence: [...evidenceOf(r), ...(node ? [`node: ${node}`] : [])],
      recommendation: `The kubelet on ${node ?? 'the node'} reports it (${reason}): look at the node in a node shell (kubelet and runtime logs, cgroups, drivers).`,
      action: node ? 'node-shell' : 'none',
    },
  ];
}

function killFailures(input: EventFindingInput, merged: Map<string, MergedReason>): Finding[] {
  const r = merged.get('FailedKillPod') ?? merged.get('ExceededGracePeriod');
  if (!r || !input.pod.metadata?.deletionTimestamp) return [];
  const node = input.pod.spec?.nodeName;
  return [
    {
      kind: 'SandboxFailure',
      severity: 'warning',
      summary: `the kubelet cannot stop the pod on ${node ?? 'its node'}: ${excerpt(r.messages[0]?.message ?? r.reason, 200)}`,
      evidence: [...evidenceOf(merged.get('FailedKillPod')), ...evidenceOf(merged.get('ExceededGracePeriod'), 1)],
      recommendation: `The runtime on ${node ?? 'the node'} does not stop the containers: check containerd/CRI-O there in a node shell.`,
      action: node ? 'node-shell' : 'none',
    },
  ];
}
