import type { SummaryEntry, WorkloadAlert, WorkloadRef } from '../alerts/index.js';
import type { ActionProgress } from '../conversation/diagnosis-record-store.js';
import { isBelievableOwner } from '../kube/believable-owner.js';
import { DNS_LABEL_NAME, DNS_SUBDOMAIN_NAME } from '../kube/kubernetes-names.js';

// What an agent reports is read as untrusted data: the gateway posts it as the bot, into channels people watch, and
// some of it reaches Slack as plain `text` (the notification line), where `<!channel>` would ping. Every name must be
// a Kubernetes name, every reason a Kubernetes reason word, every count and time a number or a time; anything else
// refuses the report (README "Many clusters", Trust).

const NAMESPACE = DNS_LABEL_NAME;
const POD_NAME = DNS_SUBDOMAIN_NAME;
/** A waiting or terminated reason as the kubelet writes one: CrashLoopBackOff, OOMKilled, ImagePullBackOff. */
const REASON = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
/** A Slack message timestamp. */
const TS = /^\d{1,12}\.\d{1,8}$/;
/** More failing pods than a cluster can hold (the Kubernetes scalability limit) is no report. */
const MAX_PODS = 150_000;
/** A storm summary shows this many entries at most (renderAlertSummary cuts long lists anyway). */
const MAX_ENTRIES = 1_000;

/** A report the gateway will not apply: it names another cluster's action, a channel not routed to, or is malformed. */
export class ReportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRefused';
  }
}

class MalformedReport extends ReportRefused {
  constructor(what: string) {
    super(`malformed report: ${what}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_PODS;
const isTime = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 40 && /^\d{4}-\d\d-\d\dT/.test(v) && Number.isFinite(Date.parse(v));

function readWorkload(v: unknown): WorkloadRef {
  if (!isObject(v) || typeof v.namespace !== 'string' || !NAMESPACE.test(v.namespace))
    throw new MalformedReport('a workload namespace that is not a namespace name');
  if (!isBelievableOwner(v)) throw new MalformedReport('a workload kind or name that is not a Kubernetes name');
  return { namespace: v.namespace, kind: v.kind as string, name: v.name as string };
}

function readReason(v: unknown): string {
  if (typeof v !== 'string' || !REASON.test(v)) throw new MalformedReport('a reason that is not a Kubernetes reason');
  return v;
}

/** An alert an agent relays, checked field by field; `channel` is the gateway's own routing decision. Pure. */
export function readRelayedAlert(v: unknown, channel: string): WorkloadAlert {
  if (!isObject(v)) throw new MalformedReport('no alert');
  const workload = readWorkload(v.workload);
  const pod = v.pod;
  if (typeof pod !== 'string' || !POD_NAME.test(pod)) throw new MalformedReport('a pod that is not a pod name');
  const pods = v.failingPods;
  if (!Array.isArray(pods) || pods.length > MAX_PODS || !pods.every((p) => typeof p === 'string' && POD_NAME.test(p)))
    throw new MalformedReport('failing pods that are not pod names');
  if (!isCount(v.failingCount)) throw new MalformedReport('a failing count that is not a count');
  if (!isTime(v.since)) throw new MalformedReport('a "since" that is not a time');
  if (v.recoveredAt !== undefined && !isTime(v.recoveredAt))
    throw new MalformedReport('a "recovered at" that is not a time');
  return {
    workload,
    channel,
    pod,
    reason: readReason(v.reason),
    failingPods: pods as string[],
    failingCount: v.failingCount,
    since: v.since,
    ...(v.recoveredAt !== undefined ? { recoveredAt: v.recoveredAt as string } : {}),
  };
}

/** A storm summary's entries an agent relays, checked as readRelayedAlert checks an alert. Pure. */
export function readSummaryEntries(v: unknown): SummaryEntry[] {
  if (!Array.isArray(v) || v.length > MAX_ENTRIES) throw new MalformedReport('no summary entries');
  return v.map((e) => {
    if (!isObject(e) || !isCount(e.failingCount)) throw new MalformedReport('a summary entry without its count');
    return { workload: readWorkload(e.workload), reason: readReason(e.reason), failingCount: e.failingCount };
  });
}

/** The timestamp of the message a relayed update rewrites (its channel is checked by routing). Pure. */
export function readMessageTs(v: unknown): string {
  if (typeof v !== 'string' || !TS.test(v)) throw new MalformedReport('a message timestamp that is not one');
  return v;
}

/** Longest thread line an agent may post: Slack's section text limit is 3,000 characters, a message's 40,000. */
const MAX_THREAD_TEXT = 4_000;
/** The one markup an agent's thread line keeps: a mention of a person (who asked for the pod). */
const PERSON_MENTION = /^<@[UW][A-Z0-9]{1,20}>/;

/**
 * A thread line an agent reports (a debug pod ready, deleted, failed): text alone, its blocks dropped, and every `<`
 * that does not open a mention of a person escaped, so no broadcast, link, channel or date token reaches Slack from
 * an agent. The lines the agent writes carry only such mentions and code. Pure.
 */
export function readThreadLine(v: unknown): { text: string } {
  const text = typeof v === 'object' && v !== null ? (v as { text?: unknown }).text : undefined;
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_THREAD_TEXT)
    throw new MalformedReport('a thread line without text, or too long');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const mention = text[i] === '<' ? PERSON_MENTION.exec(text.slice(i, i + 25))?.[0] : undefined;
    if (mention) {
      out += mention;
      i += mention.length - 1;
    } else out += text[i] === '<' ? '&lt;' : text[i] === '>' ? '&gt;' : text[i];
  }
  return { text: out };
}

/** The steps an agent's job reaches; requested, awaiting approval and approved are the gateway's to say. */
const AGENT_STEPS = new Set(['creating', 'ready', 'failed', 'deleted']);
const isText = (max: number) => (v: unknown) => typeof v === 'string' && v.length <= max;
const isTexts = (count: number, max: number) => (v: unknown) =>
  Array.isArray(v) && v.length <= count && v.every(isText(max));

/**
 * What of a debug pod's progress an agent may report, and the shape of each: where its pod stands and how to reach it.
 * Who asked, who approved or denied, and what the action is stay the gateway's (its signed record), so an agent
 * cannot show another person as the approver.
 */
const AGENT_PROGRESS: Record<string, (v: unknown) => boolean> = {
  step: (v) => typeof v === 'string' && AGENT_STEPS.has(v),
  error: isText(2000),
  podName: (v) => typeof v === 'string' && POD_NAME.test(v),
  namespace: (v) => typeof v === 'string' && NAMESPACE.test(v),
  debugContainer: (v) => typeof v === 'string' && DNS_LABEL_NAME.test(v),
  execCommand: isText(2000),
  originalCommand: isText(2000),
  lookCommands: isTexts(10, 500),
  notes: isTexts(20, 500),
  expiresAt: isTime,
  maxExpiresAt: isTime,
  canExtend: (v) => typeof v === 'boolean',
};

/** A progress patch an agent reports, checked field by field (AGENT_PROGRESS); any other field refuses it. Pure. */
export function readProgressPatch(v: unknown): Partial<ActionProgress> {
  if (!isObject(v)) throw new MalformedReport('no progress');
  for (const [key, value] of Object.entries(v)) {
    const check = AGENT_PROGRESS[key];
    if (!check) throw new MalformedReport(`a progress field an agent may not set: ${key.slice(0, 40)}`);
    if (!check(value)) throw new MalformedReport(`a progress ${key} of the wrong shape`);
  }
  return v as Partial<ActionProgress>;
}

/** How long a reported state is kept, and the step it must not overwrite, as an agent may ask. Pure. */
export function readProgressOptions(
  keepSeconds: unknown,
  unless: unknown,
): { keepSeconds?: number; unless?: 'failed' | 'creating' | 'ready' | 'deleted' } {
  if (
    keepSeconds !== undefined &&
    !(Number.isInteger(keepSeconds) && (keepSeconds as number) >= 0 && (keepSeconds as number) <= 30 * 86400)
  )
    throw new MalformedReport('a keep time that is not a number of seconds');
  if (unless !== undefined && !(typeof unless === 'string' && AGENT_STEPS.has(unless)))
    throw new MalformedReport('an "unless" that is not a step');
  return {
    ...(keepSeconds !== undefined ? { keepSeconds: keepSeconds as number } : {}),
    ...(unless !== undefined ? { unless: unless as 'failed' } : {}),
  };
}
