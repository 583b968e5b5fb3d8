/** Why a manifest could not be built. A `kind` survives JSON (job results, audit records); `instanceof` does not. */
export type DebugPodErrorKind = 'ContainerNotFound' | 'InvalidRequest' | 'Unsupported';

/** The request does not fit the source pod (unknown container, a Windows pod) or is malformed (TTL, suffix). */
export class DebugPodError extends Error {
  constructor(
    readonly kind: DebugPodErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DebugPodError';
  }
}
