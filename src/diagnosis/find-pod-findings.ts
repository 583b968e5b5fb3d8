import type { KubeEvent, Pod } from '../kube/types.js';
import { eventsWith } from './container-events.js';
import { findEventFindings } from './find-event-findings.js';
import { oneLine } from './one-line.js';
import { summarizeEventMessages } from './summarize-event-messages.js';
import { formatAge, secondsSince, toMillis } from './time.js';
import type { ContainerDiagnosis, Finding } from './types.js';

/** What the pod-level rules look at. */
export interface PodFindingInput {
  pod: Pod;
  status: string;
  containers: readonly ContainerDiagnosis[];
  events: readonly KubeEvent[];
  now: Date;
}

/** Findings about the pod as a whole: scheduling, eviction, deadline, and the kubelet's pod events (volumes, sandbox). */
export function findPodFindings(input: PodFindingInput): Finding[] {
  return [
    unschedulable(input),
    rejectedOnNode(input),
    evicted(input),
    deadlineExceeded(input),
    ...findEventFindings(input),
    stuckTerminating(input),
  ].filter((f): f is Finding => f !== undefined);
}

/** The scheduler could not place the pod: its FailedScheduling message says why (resources, affinity, taints). */
function unschedulable({ pod, events }: PodFindingInput): Finding | undefined {
  if (pod.status?.phase !== 'Pending' || pod.spec?.nodeName) return undefined;
  const cond = (pod.status?.conditions ?? []).find((c) => c?.type === 'PodScheduled' && c.status === 'False');
  const failed = eventsWith(events, 'FailedScheduling');
  if (cond?.reason === 'SchedulingGated') {
    const gates = (pod.spec?.schedulingGates ?? []).map((g) => g.name).join(', ');
    return {
      kind: 'Unschedulable',
      severity: 'warning',
      summary: `not scheduled: waiting for scheduling gates${gates ? ` (${gates})` : ''}`,
      evidence: [cond.message ?? 'PodScheduled=False, reason SchedulingGated'],
      recommendation: 'Whatever controller owns the gates removes them when it is ready; check that controller.',
      action: 'none',
    };
  }
  if (!cond && failed.length === 0) return undefined;
  const message = cond?.message || failed[failed.length - 1]?.message || 'the scheduler found no node';
  const requests = (pod.spec?.containers ?? [])
    .map((c) => {
      const r = c.resources?.requests;
      return r
        ? `${c.name} requests ${Object.entries(r)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : undefined;
    })
    .filter((x): x is string => !!x);
  const selector = pod.spec?.nodeSelector ? [`nodeSelector: ${JSON.stringify(pod.spec.nodeSelector)}`] : [];
  return {
    kind: 'Unschedulable',
    severity: 'critical',
    // The scheduler appends what preemption could not do; the first sentence is the reason.
    summary: `not scheduled: ${oneLine(message.split(/ preemption: /)[0] ?? message, 160)}`,
    evidence: [
      ...(cond ? [`PodScheduled=False${cond.reason ? ` (${cond.reason})` : ''}: ${cond.message ?? ''}`] : []),
      ...summarizeEventMessages(failed.filter((e) => e.message !== cond?.message)),
      ...requests,
      ...selector,
    ],
    recommendation: schedulingAdvice(message),
    action: 'none',
  };
}

/** Advice keyed on the scheduler's wording (framework plugins: NodeResourcesFit, NodeAffinity, TaintToleration...). */
export function schedulingAdvice(message: string): string {
  if (/Insufficient (cpu|memory|ephemeral-storage|[\w./-]+)/i.test(message)) {
    return 'No node has room for the requests: lower the resource requests, free capacity, or add nodes (check the cluster autoscaler).';
  }
  if (/node affinity|node selector|didn't match Pod's node/i.test(message)) {
    return "No node matches the pod's nodeSelector/affinity: check the labels on the nodes against the pod spec.";
  }
  if (/untolerated taint|had taint/i.test(message)) {
    return 'The nodes carry taints the pod does not tolerate: add a toleration or schedule on other nodes.';
  }
  if (/persistentvolumeclaim|unbound|volume node affinity/i.test(message)) {
    return 'A PersistentVolumeClaim is unbound or its volume lives in another zone: check the PVC and its StorageClass.';
  }
  if (/anti-affinity|affinity rules/i.test(message)) {
    return 'Pod (anti-)affinity rules leave no node: relax them or add nodes.';
  }
  if (/free ports|host port/i.test(message)) {
    return 'The requested hostPort is taken on every candidate node: drop the hostPort or spread the pods.';
  }
  return "Read the scheduler's message above: it lists, per reason, how many nodes were rejected.";
}

/** Pod reasons of the kubelet's admission: it refused to run the pod the scheduler had placed there. */
const ADMISSION_REJECTION =
  /^(OutOf\w+|NodeAffinity|NodeSelectorMismatching|NodePorts|UnexpectedAdmissionError|PodOSNotSupported|InvalidNodeInfo)$/;

/** Graceful node shutdown: the kubelet stopped every pod as the node went down. */
const NODE_SHUTDOWN = /^(Shutdown|NodeShutdown|Terminated)$/;

/**
 * The kubelet refused the pod at admission (`Pod was rejected: Node didn't have enough resource: cpu`, reason
 * OutOfcpu) or stopped it for a node shutdown: the pod failed without any container being at fault.
 */
function rejectedOnNode({ pod }: PodFindingInput): Finding | undefined {
  const reason = pod.status?.reason ?? '';
  if (pod.status?.phase !== 'Failed') return undefined;
  const message = pod.status?.message ?? '';
  const node = pod.spec?.nodeName;
  if (NODE_SHUTDOWN.test(reason)) {
    return {
      kind: 'Evicted',
      severity: 'warning',
      summary: `stopped because node ${node ?? '?'} shut down${message ? `: ${oneLine(message, 120)}` : ''}`,
      evidence: [`${reason}: ${message}`, ...(node ? [`node: ${node}`] : [])],
      recommendation:
        'Nothing in the pod is at fault: its controller recreates it elsewhere. If it keeps happening, check why the node shuts down.',
      action: 'none',
    };
  }
  if (!ADMISSION_REJECTION.test(reason)) return undefined;
  return {
    kind: 'Unschedulable',
    severity: 'critical',
    summary: `rejected by the kubelet on ${node ?? 'its node'} (${reason})${message ? `: ${oneLine(message, 140)}` : ''}`,
    evidence: [`${reason}: ${message}`, ...(node ? [`node: ${node}`] : [])],
    recommendation: /^OutOf/.test(reason)
      ? 'The node had no room left when the pod arrived (often a race with other pods or a static pod): the controller makes a new pod; lower the requests or add capacity if it repeats.'
      : "The node does not satisfy the pod (affinity, ports, OS): check the pod's nodeSelector/affinity and hostPorts against the node.",
    action: 'none',
  };
}

/** The kubelet evicted the pod under node pressure (status.reason Evicted). */
function evicted({ pod, events }: PodFindingInput): Finding | undefined {
  if (pod.status?.reason !== 'Evicted') return undefined;
  const message = pod.status?.message ?? '';
  const resource = /low on resource: ([\w.-]+)/i.exec(message)?.[1]?.replace(/\.+$/, '');
  const node = pod.spec?.nodeName;
  return {
    kind: 'Evicted',
    severity: 'critical',
    summary: `evicted${node ? ` from node ${node}` : ''}${resource ? `: the node was low on ${resource}` : message ? `: ${oneLine(message, 140)}` : ''}`,
    evidence: [
      ...(message ? [message] : []),
      ...(node ? [`node: ${node}`] : []),
      ...summarizeEventMessages(eventsWith(events, 'Evicted')),
    ],
    recommendation:
      resource === 'ephemeral-storage'
        ? "Something filled the node's disk (logs, emptyDir, image layers): set ephemeral-storage requests/limits and look at the node's disk usage in a node shell."
        : resource === 'memory'
          ? 'The node ran short of memory: give the pods memory requests that match real usage (pods above their request are evicted first) and check the node in a node shell.'
          : "Check the node's pressure conditions (kubectl describe node) and its usage in a node shell.",
    action: node ? 'node-shell' : 'none',
  };
}

/** activeDeadlineSeconds ran out: the kubelet killed the pod (status.reason DeadlineExceeded). */
function deadlineExceeded({ pod, now }: PodFindingInput): Finding | undefined {
  if (pod.status?.reason !== 'DeadlineExceeded') return undefined;
  const deadline = pod.spec?.activeDeadlineSeconds;
  const started = pod.status?.startTime;
  const ran = secondsSince(started, now);
  const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o?.kind === 'Job');
  return {
    kind: 'DeadlineExceeded',
    severity: 'critical',
    summary: `killed after its activeDeadlineSeconds${deadline !== undefined ? ` (${formatAge(deadline)})` : ''} ran out`,
    evidence: [
      pod.status?.message ?? 'Pod was active on the node longer than the specified deadline',
      ...(deadline !== undefined ? [`activeDeadlineSeconds: ${deadline}`] : []),
      ...(toMillis(started) !== undefined
        ? [
            `started at ${new Date(toMillis(started) as number).toISOString()}${ran !== undefined ? ` (${formatAge(ran)} ago)` : ''}`,
          ]
        : []),
      ...(owner ? [`owned by Job ${owner.name}`] : []),
    ],
    recommendation: owner
      ? `The work takes longer than the deadline: make it faster or raise activeDeadlineSeconds on Job ${owner.name}.`
      : 'The work takes longer than the deadline: make it faster or raise activeDeadlineSeconds.',
    action: 'none',
  };
}

/** How long past its deletion deadline a pod may linger before we call it stuck (kubelet sync and API lag). */
const TERMINATING_SLACK_SECONDS = 60;

/**
 * A pod past its deletionTimestamp (which the API server sets to now + grace period) is held by finalizers or by a
 * kubelet that never confirmed the kill, typically on an unreachable node.
 */
function stuckTerminating({ pod, now }: PodFindingInput): Finding | undefined {
  const deadline = pod.metadata?.deletionTimestamp;
  const over = secondsSince(deadline, now);
  if (over === undefined || over < TERMINATING_SLACK_SECONDS) return undefined;
  const finalizers = (pod.metadata?.finalizers ?? []).filter(Boolean);
  const node = pod.spec?.nodeName;
  const name = pod.metadata?.name ?? '?';
  const ns = pod.metadata?.namespace ?? 'default';
  return {
    kind: 'Crashing',
    severity: 'warning',
    summary: `stuck in Terminating for ${formatAge(over)}${finalizers.length ? `: finalizers ${finalizers.join(', ')} hold it` : node ? `: node ${node} has not confirmed the kill` : ''}`,
    evidence: [
      `deletion deadline passed ${formatAge(over)} ago`,
      ...(finalizers.length ? [`finalizers: ${finalizers.join(', ')}`] : []),
      ...(node ? [`node: ${node}`] : []),
    ],
    recommendation: finalizers.length
      ? `The controller behind ${finalizers.join(', ')} must remove it; if that controller is gone, remove the finalizer by hand (kubectl patch pod ${name} -n ${ns} --type=merge -p '{"metadata":{"finalizers":null}}').`
      : `Check that node ${node ?? '?'} is Ready and its kubelet running; only as a last resort force it (kubectl delete pod ${name} -n ${ns} --grace-period=0 --force).`,
    action: !finalizers.length && node ? 'node-shell' : 'none',
  };
}
