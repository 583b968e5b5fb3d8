import type { DiagnosisFacts, Fetched } from '../diagnosis/types.js';
import type { KubeEvent, Pod } from '../kube/types.js';
import { redact } from '../redact/index.js';

/**
 * Scrubs secrets from every piece of cluster text that may reach Slack or a terminal: logs, event messages,
 * container state messages and termination messages (apps often print their config when they die).
 * Pure; returns new facts and how many secrets were removed, which the message reports.
 */
export function redactFacts(facts: DiagnosisFacts): { facts: DiagnosisFacts; redactions: number } {
  let count = 0;
  const scrub = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const r = redact(text);
    count += r.count;
    return r.text;
  };
  const scrubFetched = (f: Fetched<string> | undefined): Fetched<string> | undefined =>
    f?.ok ? { ok: true, value: scrub(f.value) ?? '' } : f;

  const logs = facts.logs.map((l) => ({
    container: l.container,
    ...(l.current ? { current: scrubFetched(l.current) } : {}),
    ...(l.previous ? { previous: scrubFetched(l.previous) } : {}),
  }));
  const events: Fetched<KubeEvent[]> = facts.events.ok
    ? { ok: true, value: facts.events.value.map((e) => ({ ...e, message: scrub(e.message) })) }
    : facts.events;
  const pod = redactPodMessages(facts.pod, scrub);
  return { facts: { ...facts, pod, logs, events }, redactions: count };
}

function redactPodMessages(pod: Pod, scrub: (t: string | undefined) => string | undefined): Pod {
  const statuses = (list: NonNullable<Pod['status']>['containerStatuses']) =>
    list?.map((s) => ({
      ...s,
      state: s.state && redactState(s.state, scrub),
      lastState: s.lastState && redactState(s.lastState, scrub),
    }));
  if (!pod.status) return pod;
  return {
    ...pod,
    status: {
      ...pod.status,
      message: scrub(pod.status.message),
      containerStatuses: statuses(pod.status.containerStatuses),
      initContainerStatuses: statuses(pod.status.initContainerStatuses),
      conditions: pod.status.conditions?.map((c) => ({ ...c, message: scrub(c.message) })),
    },
  };
}

type State = NonNullable<NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number]['state']>;

function redactState(state: State, scrub: (t: string | undefined) => string | undefined): State {
  return {
    ...state,
    ...(state.waiting ? { waiting: { ...state.waiting, message: scrub(state.waiting.message) } } : {}),
    ...(state.terminated ? { terminated: { ...state.terminated, message: scrub(state.terminated.message) } } : {}),
  };
}
