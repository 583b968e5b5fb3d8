import { isKubeError, KubeError, type KubeErrorKind } from './errors.js';

/** What was being attempted, so a timeout or a refused connection can say where and what. */
export interface KubeCallContext {
  /** "reading pod demo/web-1": the words a person would use. */
  operation: string;
  /** The API server URL, named in connection errors. */
  server?: string;
  /** The deadline that ran out, named in timeout errors. */
  timeoutMs?: number;
}

/** The parts of a Kubernetes `Status` object we use (the API server's metav1.Status). */
interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate issuer is not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match its address',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS spoken to a plain-HTTP server (use an http:// server URL)',
};

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Turns anything client-node (or undici beneath it) throws into a KubeError. An `ApiException`'s own message embeds
 * every response header (client-node `src/gen/apis/exception.ts`), so only the Status `message` from its body is kept.
 */
export function toKubeError(err: unknown, ctx: KubeCallContext): KubeError {
  if (isKubeError(err)) return err;
  if (isApiException(err)) return fromHttpStatus(err.code, parseStatus(err.body), ctx, err);
  if (isTimeout(err)) return timeoutError(ctx, err);
  const code = networkCode(err);
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code)) return timeoutError(ctx, err);
    const what = NETWORK_CODES[code] ?? code;
    return new KubeError(
      'Unavailable',
      undefined,
      `${ctx.operation}: cannot reach the Kubernetes API${at(ctx)} (${what})`,
      err,
    );
  }
  const text = err instanceof Error ? firstLine(err.message) : firstLine(String(err));
  return new KubeError(
    'Unavailable',
    undefined,
    `${ctx.operation}: unexpected failure talking to the Kubernetes API${at(ctx)}: ${text}`,
    err,
  );
}

/** Maps an HTTP status (and the server's Status object, when it sent one) to a kind and a message a person can read. */
export function fromHttpStatus(
  code: number,
  status: StatusBody | undefined,
  ctx: KubeCallContext,
  cause?: unknown,
): KubeError {
  const reason = status?.reason;
  const serverMessage = status?.message ? firstLine(status.message, 1000) : undefined;
  // The apiserver reports its own deadline as 504 or 500 with reason Timeout/ServerTimeout.
  if (code === 408 || code === 504 || reason === 'Timeout' || reason === 'ServerTimeout') {
    return new KubeError(
      'Timeout',
      code,
      serverMessage ?? `${ctx.operation}: the Kubernetes API timed out (${code})`,
      cause,
      reason,
    );
  }
  const kind = kindForStatus(code);
  const message =
    serverMessage ??
    (code === 401
      ? `${ctx.operation}: the Kubernetes API rejected the bot's credentials (401 Unauthorized); check the token or client certificate in the kubeconfig`
      : `${ctx.operation}: the Kubernetes API answered ${code}`);
  return new KubeError(kind, code, message, cause, reason);
}

function kindForStatus(code: number): KubeErrorKind {
  if (code === 404) return 'NotFound';
  // 401 is Forbidden too: like a missing RBAC rule it is fixed by an administrator, and retrying will not help.
  if (code === 401 || code === 403) return 'Forbidden';
  // 410 Gone is "resource version too old": the caller's view is stale, as with a 409.
  if (code === 409 || code === 410) return 'Conflict';
  if (code === 400 || code === 422 || code === 405 || code === 413 || code === 415) return 'Invalid';
  return 'Unavailable';
}

function timeoutError(ctx: KubeCallContext, cause: unknown): KubeError {
  const within = ctx.timeoutMs === undefined ? '' : ` within ${ctx.timeoutMs} ms`;
  return new KubeError(
    'Timeout',
    undefined,
    `${ctx.operation}: no answer from the Kubernetes API${at(ctx)}${within}`,
    cause,
  );
}

function at(ctx: KubeCallContext): string {
  return ctx.server ? ` at ${ctx.server}` : '';
}

/** Parses an ApiException body: raw JSON text, an already-parsed object, or nothing (401 has none). */
export function parseStatus(body: unknown): StatusBody | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      // A proxy in front of the apiserver may answer with text or HTML: keep a short first line of it.
      const line = firstLine(body.replace(/<[^>]*>/g, ' ').trim(), 200);
      return line ? { message: line } : undefined;
    }
  }
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return {
      kind: typeof v.kind === 'string' ? v.kind : undefined,
      message: typeof v.message === 'string' ? v.message : undefined,
      reason: typeof v.reason === 'string' ? v.reason : undefined,
      code: typeof v.code === 'number' ? v.code : undefined,
    };
  }
  return undefined;
}

function isApiException(err: unknown): err is { code: number; body: unknown; headers: unknown } {
  // Duck-typed: only kube-client.ts imports client-node at runtime, and the class may come from a second copy.
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    'body' in err &&
    'headers' in err
  );
}

function isTimeout(err: unknown): boolean {
  for (const e of causeChain(err)) {
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
  }
  return false;
}

function networkCode(err: unknown): string | undefined {
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code in NETWORK_CODES || TIMEOUT_CODES.has(code) || /^E[A-Z]+$/.test(code)))
      return code;
  }
  return undefined;
}

/** undici wraps socket errors: TypeError('fetch failed') → cause → (AggregateError → errors[]) → the errno error. */
function* causeChain(err: unknown, depth = 0): Generator<object> {
  if (depth > 6 || typeof err !== 'object' || err === null) return;
  yield err;
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) yield* causeChain(inner, depth + 1);
  yield* causeChain((err as { cause?: unknown }).cause, depth + 1);
}

function firstLine(text: string, max = 300): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
