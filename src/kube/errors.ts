/** The kinds of Kubernetes failure the rest of the bot reasons about; a kind survives JSON, a class does not. */
export type KubeErrorKind = 'NotFound' | 'Forbidden' | 'Timeout' | 'Invalid' | 'Conflict' | 'Unavailable';

/** A Kubernetes API failure with the server's own Status message, never client-node's header-laden text. */
export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    readonly status: number | undefined,
    message: string,
    cause?: unknown,
    /** The Status `reason` when the server sent one (AlreadyExists, Expired, NotFound...). */
    readonly reason?: string,
  ) {
    super(message, { cause });
    this.name = 'KubeError';
  }
}

export function isKubeError(e: unknown): e is KubeError {
  return e instanceof Error && e.name === 'KubeError' && 'kind' in e;
}
