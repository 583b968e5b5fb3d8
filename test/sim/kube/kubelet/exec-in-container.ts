import { buildExecEnvironment, type ReadKey } from './exec-environment.js';
import type { Output } from './exec-programs.js';
import { ExecSession } from './exec-shell.js';

type Json = any;

/** What `kubectl exec` asks the kubelet for. */
export interface ExecRequest {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** A process the kubelet started, fed through the API server's stream. */
export interface ExecProcessHandle {
  started: { outputs: Output[]; exitCode?: number };
  write(text: string): { outputs: Output[]; exitCode?: number };
  end(): { outputs: Output[]; exitCode: number };
}

/**
 * The kubelet's answer: refused before its stream is upgraded (plain text, which the API server reports as `unable
 * to upgrade connection: …`), failed with the Status message of its error stream, or started.
 */
export type ExecAnswer =
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'started'; process: ExecProcessHandle };

/**
 * `GET /exec/{ns}/{pod}/{container}` on the kubelet (pkg/kubelet/server/server.go getExec), then containerd's exec:
 * - at least one stream must be asked for (remotecommand.NewOptions);
 * - only a running container can be exec'd into: kubelet_pods.go GetExec finds it among the runtime's running
 *   containers, else `container not found ("app")` (a crashed, waiting or terminated container, or a completed pod);
 * - a program the image does not have is refused by runc, which containerd reports on the error stream as an
 *   internal error (streaming/remotecommand/exec.go: `error executing command in container: …`).
 * `execId` stands in for containerd's random 64-hex exec id.
 */
export function execInContainer(pod: Json, req: ExecRequest, ctx: { readKey: ReadKey; execId: string }): ExecAnswer {
  if (!req.stdin && !req.stdout && !req.stderr)
    return { kind: 'refused', message: 'you must specify at least 1 of stdin, stdout, stderr' };
  const statuses: Json[] = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const running = statuses.find((s) => s.name === req.container)?.state?.running;
  if (!running) return { kind: 'refused', message: `container not found ("${req.container}")` };
  const env = buildExecEnvironment(pod, req.container, ctx.readKey);
  const start = ExecSession.start(env, req.command, { stdin: req.stdin });
  if (start.kind === 'runtimeError')
    return {
      kind: 'failed',
      message:
        `Internal error occurred: error executing command in container: failed to exec in container: failed to start ` +
        `exec "${ctx.execId}": OCI runtime exec failed: exec failed: unable to start container process: ${start.message}: unknown`,
    };
  if (start.kind === 'done')
    return {
      kind: 'started',
      process: {
        started: { outputs: start.outputs, exitCode: start.exitCode },
        write: () => ({ outputs: [], exitCode: start.exitCode }),
        end: () => ({ outputs: [], exitCode: start.exitCode }),
      },
    };
  const session = start.session;
  return {
    kind: 'started',
    process: {
      started: { outputs: start.outputs },
      write: (text) => {
        const outputs = session.write(text);
        return session.exited === undefined ? { outputs } : { outputs, exitCode: session.exited };
      },
      end: () => session.end(),
    },
  };
}
