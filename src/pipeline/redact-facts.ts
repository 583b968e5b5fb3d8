import type { DiagnosisFacts, Fetched } from '../diagnosis/types.js';
import type { Container, KubeEvent, Pod } from '../kube/types.js';
import { redact } from '../redact/index.js';

type Scrub = (text: string | undefined) => string | undefined;

/**
 * Scrubs secrets from every piece of cluster text that may reach Slack or a terminal: logs, event messages,
 * container state and termination messages (apps often print their config when they die), and the pod spec's
 * command, args, env values and probe commands (the evidence quotes them), annotations (`last-applied-configuration`
 * holds the whole spec). Pure; returns new facts and how many secrets were removed, which the message reports.
 */
export function redactFacts(facts: DiagnosisFacts): { facts: DiagnosisFacts; redactions: number } {
  let count = 0;
  const scrub: Scrub = (text) => {
    if (text === undefined) return undefined;
    const r = redact(text);
    count += r.count;
    return r.text;
  };
  const scrubFetched = (f: Fetched<string> | undefined): Fetched<string> | undefined =>
    f?.ok ? { ok: true, value: scrub(f.value) ?? '' } : f;

  const logs = facts.logs.map((l) => ({
    ...l,
    ...(l.current ? { current: scrubFetched(l.current) } : {}),
    ...(l.previous ? { previous: scrubFetched(l.previous) } : {}),
  }));
  const events: Fetched<KubeEvent[]> = facts.events.ok
    ? { ok: true, value: facts.events.value.map((e) => ({ ...e, message: scrub(e.message) })) }
    : facts.events;
  const pod = redactPodSpec(redactPodMessages(facts.pod, scrub), scrub);
  return { facts: { ...facts, pod, logs, events }, redactions: count };
}

function redactPodMessages(pod: Pod, scrub: Scrub): Pod {
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

/** A value judged with its name, as a log line would show it: `DB_PASSWORD=hunter2` is a secret, `hunter2` alone is not. */
function scrubNamed(name: string, value: string | undefined, scrub: Scrub): string | undefined {
  if (value === undefined) return undefined;
  const joined = scrub(`${name}=${value}`) ?? '';
  const prefix = `${name}=`;
  return joined.startsWith(prefix) ? joined.slice(prefix.length) : scrub(value);
}

/**
 * Command and args are scrubbed as one command line, then split back: `--password` and the value after it, or
 * `docker login -u ci -p …`, are several elements of args but one secret to a reader. When a redaction joined
 * elements (a quoted value with spaces), each element is scrubbed alone and beside the flag before it.
 */
function scrubArgv(argv: string[] | undefined, scrub: Scrub): string[] | undefined {
  if (!argv) return argv;
  const joined = argv.join(' ');
  const redacted = scrub(joined) ?? joined;
  if (redacted === joined) return argv;
  const parts = redacted.split(' ');
  if (parts.length === argv.length) return parts;
  return argv.map((arg, i) => {
    const own = scrub(arg) ?? arg;
    if (own !== arg) return own;
    const flag = argv[i - 1];
    if (flag === undefined || !/^-{1,2}[A-Za-z]/.test(flag)) return arg;
    const pair = scrub(`${flag} ${arg}`) ?? '';
    return pair.startsWith(`${flag} `) ? pair.slice(flag.length + 1) : arg;
  });
}

function redactContainer(c: Container, scrub: Scrub): Container {
  const probe = (p: Container['livenessProbe']) =>
    p?.exec ? { ...p, exec: { ...p.exec, command: scrubArgv(p.exec.command, scrub) } } : p;
  return {
    ...c,
    ...(c.command ? { command: scrubArgv(c.command, scrub) } : {}),
    ...(c.args ? { args: scrubArgv(c.args, scrub) } : {}),
    ...(c.env
      ? { env: c.env.map((e) => (e.value === undefined ? e : { ...e, value: scrubNamed(e.name, e.value, scrub) })) }
      : {}),
    ...(c.livenessProbe ? { livenessProbe: probe(c.livenessProbe) } : {}),
    ...(c.readinessProbe ? { readinessProbe: probe(c.readinessProbe) } : {}),
    ...(c.startupProbe ? { startupProbe: probe(c.startupProbe) } : {}),
  };
}

function redactPodSpec(pod: Pod, scrub: Scrub): Pod {
  const annotations = pod.metadata?.annotations;
  const metadata = annotations
    ? {
        ...pod.metadata,
        annotations: Object.fromEntries(
          Object.entries(annotations).map(([k, v]) => [k, scrubNamed(k, v, scrub) ?? '']),
        ),
      }
    : pod.metadata;
  if (!pod.spec) return { ...pod, ...(metadata ? { metadata } : {}) };
  return {
    ...pod,
    ...(metadata ? { metadata } : {}),
    spec: {
      ...pod.spec,
      containers: pod.spec.containers.map((c) => redactContainer(c, scrub)),
      ...(pod.spec.initContainers
        ? { initContainers: pod.spec.initContainers.map((c) => redactContainer(c, scrub)) }
        : {}),
    },
  };
}

type State = NonNullable<NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number]['state']>;

function redactState(state: State, scrub: Scrub): State {
  return {
    ...state,
    ...(state.waiting ? { waiting: { ...state.waiting, message: scrub(state.waiting.message) } } : {}),
    ...(state.terminated ? { terminated: { ...state.terminated, message: scrub(state.terminated.message) } } : {}),
  };
}
