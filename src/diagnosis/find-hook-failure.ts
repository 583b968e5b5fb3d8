import type { Container, KubeEvent } from '../kube/types.js';
import { eventsWith } from './container-events.js';
import { cutAround } from './cut-around.js';
import type { ContainerFindingInput } from './find-container-findings.js';
import { eventMessage } from './merge-events.js';
import { findTellingLine } from './pick-telling-line.js';
import type { Finding } from './types.js';

type Handler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

/** A hook handler as written in the spec: `exec [/bin/sh -c …]`, `http-get :8080/warm`, `sleep 5s`. */
export function describeHook(h: Handler | undefined): string | undefined {
  if (!h) return undefined;
  if (h.exec) return `exec ${JSON.stringify(h.exec.command ?? [])}`;
  if (h.httpGet) return `http-get ${h.httpGet.host ?? ''}:${h.httpGet.port}${h.httpGet.path ?? '/'}`;
  if (h.sleep) return `sleep ${h.sleep.seconds}s`;
  if (h.tcpSocket) return `tcp-socket :${h.tcpSocket.port}`;
  return undefined;
}

/** The parts of the kubelet's hook failure message (pkg/kubelet/lifecycle/handlers.go). */
export interface HookError {
  handler?: string;
  error: string;
  exitCode?: number;
  /** The hook's own output (exec hooks), unescaped. */
  output?: string;
}

/**
 * Parses `Exec lifecycle hook ([cmd]) for Container "c" in Pod "p" failed - error: command '…' exited with 126: ,
 * message: "…"` and `HTTP lifecycle hook (/path) for Container "c" in Pod "p" failed - error: Get "…": …`.
 */
export function parseHookError(message: string): HookError | undefined {
  const exec =
    /^Exec lifecycle hook \((.*?)\) for Container "[^"]*" in Pod "[^"]*" failed - error: (.*?), message: "(.*)"\s*$/s.exec(
      message,
    );
  if (exec) {
    const code = /exited with (\d+)/.exec(exec[2] ?? '')?.[1];
    const output = (exec[3] ?? '')
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(/\\"/g, '"')
      .replace(/\\\\/g, '\\');
    return {
      handler: (exec[1] ?? '').replace(/^\[(.*)\]$/s, '$1'),
      error: exec[2] ?? '',
      ...(code !== undefined ? { exitCode: Number(code) } : {}),
      ...(output.trim() ? { output } : {}),
    };
  }
  const http = /^HTTP lifecycle hook \((.*?)\) for Container "[^"]*" in Pod "[^"]*" failed - error: (.*)$/s.exec(
    message,
  );
  if (http) return { handler: `http-get ${http[1] ?? ''}`, error: (http[2] ?? '').trim() };
  return undefined;
}

/** What the hook's failure comes down to, in one line. */
function hookCause(e: HookError): string {
  const telling = e.output ? findTellingLine(e.output.split('\n')) : undefined;
  if (telling) return cutAround(telling.text, 200, telling.phrase);
  const lastOutput = e.output?.trim().split('\n').pop();
  const code =
    e.exitCode === 137
      ? 'exit 137: the hook was killed (it outlived the container or the grace period)'
      : e.exitCode === 126
        ? 'exit 126: the hook command is not executable'
        : e.exitCode === 127
          ? 'exit 127: the hook command was not found'
          : e.exitCode !== undefined
            ? `exit ${e.exitCode}`
            : undefined;
  if (lastOutput) return `${code ? `${code}: ` : ''}${cutAround(lastOutput, 180)}`;
  if (code) return code;
  return cutAround(e.error, 200, findTellingLine([e.error])?.phrase);
}

/**
 * A failing postStart hook makes the kubelet kill the container it just started (waiting reason
 * PostStartHookError, event FailedPostStartHook, then Killing "FailedPostStartHook"), so the exit 137 that follows is
 * the kubelet's kill, not the app's crash. Since Kubernetes 1.24 the event only says "PostStartHook failed" (to keep
 * secrets out of events) and the details are in the container's waiting message. A failing preStop hook
 * (FailedPreStopHook) only delays the stop; it is reported, but as a warning.
 */
export function findHookFailure(input: ContainerFindingInput, events: KubeEvent[]): Finding | undefined {
  const { container: c, spec } = input;
  const waiting = c.state === 'waiting' && c.reason === 'PostStartHookError' ? (c.message ?? '') : undefined;
  const post = eventsWith(events, 'FailedPostStartHook');
  const killed = eventsWith(events, 'Killing', /FailedPostStartHook|post-?start hook/i);
  const pre = eventsWith(events, 'FailedPreStopHook');
  const postStart = waiting !== undefined || post.length > 0 || killed.length > 0;
  if (!postStart && pre.length === 0) return undefined;
  const which = postStart ? 'postStart' : 'preStop';
  // Newest first: events come in canonical order (oldest first).
  const messages = [waiting, ...(postStart ? post : pre).map(eventMessage).reverse()].filter((m): m is string => !!m);
  const parsed = messages.map(parseHookError).find((e): e is HookError => !!e);
  const free = messages.find((m) => !/^(PostStartHook|PreStopHook) failed$/.test(m) && !parseHookError(m));
  const declared = describeHook(postStart ? spec?.lifecycle?.postStart : spec?.lifecycle?.preStop);
  const cause = parsed ? hookCause(parsed) : free ? cutAround(free, 200) : undefined;
  const who = c.kind === 'app' ? c.name : `${c.kind} container ${c.name}`;
  const evidence = [
    ...(declared ? [`${which} hook: ${declared}`] : []),
    ...(parsed ? [`hook error: ${parsed.error}`] : []),
    ...(parsed?.output
      ? parsed.output
          .trim()
          .split('\n')
          .slice(-5)
          .map((l) => `hook output: ${l}`)
      : []),
    ...messages
      .slice(0, 2)
      .map(
        (m) =>
          `${waiting === m ? 'PostStartHookError' : `Failed${which === 'postStart' ? 'PostStart' : 'PreStop'}Hook`}: ${m}`,
      ),
    ...(killed.length ? ['Killing: the kubelet killed the container because its postStart hook failed'] : []),
    ...(c.lastTermination
      ? [`then exit ${c.lastTermination.exitCode}: the kubelet's kill, not the app's own exit`]
      : []),
  ];
  if (!postStart) {
    // The stop that ran the hook ended in SIGKILL, and no probe explains the stop: the hook is the story of that kill
    // (it held the container until the grace period ran out, or failed and left the app to be killed).
    const t = c.state === 'terminated' ? c.terminated : c.lastTermination;
    const probeKill = eventsWith(events, 'Killing', /failed (liveness|startup) probe/i).length > 0;
    const killed = c.failing && t?.exitCode === 137 && t.reason !== 'OOMKilled' && !probeKill;
    return {
      kind: 'LifecycleHook',
      severity: killed ? 'critical' : 'warning',
      container: c.name,
      summary: `${who}'s preStop hook fails${cause ? `: ${cause}` : ''}${killed ? ', and the kubelet then killed the container (exit 137)' : ''}`,
      evidence,
      recommendation:
        'The preStop hook runs before the kubelet sends SIGTERM: fix the hook command (it runs inside the container, with its image), or shorten what it does so it ends within terminationGracePeriodSeconds.',
      action: 'clone',
    };
  }
  // Running and ready now: the hook has passed since; its failure is history.
  const recovered = c.state === 'running' && c.ready;
  return {
    kind: 'LifecycleHook',
    severity: recovered ? 'info' : c.failing || c.restartCount > 0 ? 'critical' : 'warning',
    container: c.name,
    summary: recovered
      ? `${who}'s postStart hook failed before${cause ? ` (${cause})` : ''}; the container runs and is ready now`
      : `${who}'s postStart hook fails${cause ? `: ${cause}` : ''}, so the kubelet kills the container`,
    evidence,
    recommendation:
      "The container is killed because its postStart hook failed, not because the app crashed: fix the hook (it runs inside the container, with the image's tools), or remove it and move that work into the app or an init container. A debug clone (no hooks run in it) lets you try the hook command by hand.",
    action: 'clone',
  };
}
