import type { ContainerRule } from './behaviour.js';
import { planContainer } from './plan-container.js';

type Json = any;

/** Why an exec lifecycle hook failed, in the words of the kubelet's lifecycle handler. */
export interface HookFailure {
  /** The `error` part: `command '…' exited with 1: ` or the runtime's exec error. */
  error: string;
  /** What the hook printed (the `message` part). */
  output: string;
}

/**
 * Runs an exec hook (`lifecycle.postStart.exec`) the way the kubelet does, inside the container's image
 * (pkg/kubelet/lifecycle/handlers.go: RunInContainer): the same image catalogue and utilities decide what the command
 * does; only rules with a `command` apply, since an image-only rule describes the container's own program. A
 * command that keeps running counts as success here (the real kubelet waits for it; the container would sit in
 * ContainerCreating). Undefined when the hook succeeds or there is none.
 */
export function runExecHook(
  containerSpec: Json,
  handler: Json,
  ctx: { podSpec: Json; rules: readonly ContainerRule[] },
): HookFailure | undefined {
  const command: string[] | undefined = handler?.exec?.command;
  if (!command?.length) return undefined;
  const plan = planContainer(
    { ...containerSpec, command, args: undefined, lifecycle: undefined },
    { podSpec: ctx.podSpec, isInit: false, rules: ctx.rules.filter((r) => r.command !== undefined) },
  );
  const line = command.join(' ');
  if (plan.kind === 'startError') {
    // The runtime's exec error for a program the image does not have (containerd 1.7, runc).
    const inner = /exec: "[^"]*": .*?(?=: unknown$)/.exec(plan.message)?.[0] ?? plan.message;
    return {
      error: `rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${inner}: unknown`,
      output: '',
    };
  }
  if (plan.kind !== 'exit' || plan.exitCode === 0) return undefined;
  const output = plan.script.map((l) => `${l.text}\n`).join('');
  return { error: `command '${line}' exited with ${plan.exitCode}: ${output}`, output };
}
