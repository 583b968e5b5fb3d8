import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ApiError } from './status.js';

/** The remote command subprotocol kubectl 1.30+ asks for (client-go NewWebSocketExecutor offers only this one). */
export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';

/** Channel bytes (k8s.io/apimachinery/pkg/util/remotecommand constants.go). */
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
/** v5's CLOSE signal: `[255, channel]` half-closes that channel (stdin: end of input). */
const CLOSE = 255;

/** One write of the exec'd process. */
export interface ExecOutput {
  fd: 1 | 2;
  text: string;
}

/** A running exec'd process, as the kubelet hands it over. */
export interface ExecProcess {
  /** Output written before any input, and the exit code if it already ended. */
  started: { outputs: ExecOutput[]; exitCode?: number };
  /** Feeds stdin; the exit code once the process has ended. */
  write(text: string): { outputs: ExecOutput[]; exitCode?: number };
  /** The end of stdin. */
  end(): { outputs: ExecOutput[]; exitCode: number };
}

/**
 * The kubelet's answer to an exec the API server has resolved: `refused` before its stream is upgraded (HTTP error,
 * e.g. `container not found ("app")`), `failed` with the Status message its error stream carried (the runtime could
 * not start the program), or the process.
 */
export type ExecAnswer =
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'started'; process: ExecProcess };

/** The streams a `PodExecOptions` asks for. */
export interface ExecStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** metav1.Status as json.Marshal writes it on the error channel: no kind or apiVersion, empty metadata. */
function status(fields: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ metadata: {}, ...fields }));
}

/**
 * `apierrors.NewInternalError(err)`: what the API server's stream translator (k8s.io/apiserver
 * pkg/util/proxy/streamtranslator.go) writes when its SPDY leg to the kubelet fails.
 */
function internalError(message: string): Buffer {
  return status({
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  });
}

/** Success, or NonZeroExitCode with the ExitCode cause (streamtranslator.go codeExitToStatusError). */
function exitStatus(code: number): Buffer {
  if (code === 0) return status({ status: 'Success' });
  return status({
    status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

/** Writes a plain HTTP answer on a socket that asked to upgrade, then closes it. */
export function refuseUpgrade(socket: Duplex, code: number, body: string, contentType = 'text/plain'): void {
  const text = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    429: 'Too Many Requests',
  }[code as 400];
  const payload = Buffer.from(body);
  socket.end(
    Buffer.concat([
      Buffer.from(
        `HTTP/1.1 ${code} ${text ?? 'Error'}\r\nContent-Type: ${contentType}\r\nCache-Control: no-cache, private\r\n` +
          `Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
      ),
      payload,
    ]),
  );
}

/** A refusal before the upgrade: the Status JSON the API server answers any request with. */
export function refuseWithStatus(socket: Duplex, e: ApiError): void {
  refuseUpgrade(socket, e.code, JSON.stringify(e.toStatus()), 'application/json');
}

/** Whether the client offered the v5 subprotocol (Sec-WebSocket-Protocol is a comma-separated list). */
export function offersV5(req: IncomingMessage): boolean {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .includes(STREAM_PROTOCOL_V5);
}

/**
 * Serves one `pods/exec` WebSocket the way kube-apiserver 1.30+ does (its stream translator): the upgrade is answered
 * first, with `v5.channel.k8s.io`; an empty frame on the lowest writable channel tells the client the connection is
 * up; then the kubelet is asked, and its refusal, the process's output (a channel byte before each frame) and at the
 * end one metav1.Status on channel 3 follow, then a normal close (1000). stdin arrives on channel 0 and ends with the
 * v5 CLOSE signal `[255, 0]`; resize frames (channel 4) are read and ignored.
 */
export function serveExecWebSocket(
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  streams: ExecStreams,
  start: () => ExecAnswer,
): void {
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
    };
    send(streams.stdout ? STDOUT : streams.stderr ? STDERR : ERROR, Buffer.alloc(0));
    let finished = false;
    const finish = (statusFrame: Buffer): void => {
      if (finished) return;
      finished = true;
      send(ERROR, statusFrame);
      ws.close(1000);
    };
    const emit = (outputs: ExecOutput[]): void => {
      for (const o of outputs) {
        // Under a TTY the process's stderr is the terminal too: everything reaches stdout.
        const channel = o.fd === 2 && !streams.tty ? STDERR : STDOUT;
        if ((channel === STDOUT && streams.stdout) || (channel === STDERR && streams.stderr))
          send(channel, Buffer.from(o.text, 'utf8'));
      }
    };
    const answer = start();
    if (answer.kind === 'refused') return finish(internalError(`unable to upgrade connection: ${answer.message}`));
    if (answer.kind === 'failed') return finish(internalError(answer.message));
    const proc = answer.process;
    emit(proc.started.outputs);
    if (proc.started.exitCode !== undefined) return finish(exitStatus(proc.started.exitCode));
    if (!streams.stdin) return finish(exitStatus(proc.end().exitCode));
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      if (finished || !isBinary || raw.length === 0) return;
      const channel = raw[0];
      if (channel === STDIN) {
        const r = proc.write(raw.subarray(1).toString('utf8'));
        emit(r.outputs);
        if (r.exitCode !== undefined) finish(exitStatus(r.exitCode));
      } else if (channel === CLOSE && raw[1] === STDIN) {
        const r = proc.end();
        emit(r.outputs);
        finish(exitStatus(r.exitCode));
      } else if (channel === RESIZE) {
        // {"Width":80,"Height":24}: a terminal size the simulated process has no use for.
      }
    });
  });
}

/** A WebSocket server that only upgrades, choosing the v5 remote command subprotocol. */
export function newExecWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL_V5) ? STREAM_PROTOCOL_V5 : false),
  });
}
