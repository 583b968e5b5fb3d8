import { isKubeError } from '../src/kube/index.js';

/** The job was refused before anything was created: not retried. */
export class Refused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refused';
  }
}

/** Already told to the person and the audit: not again. */
export class Reported extends Error {
  constructor(readonly original: unknown) {
    super((original as Error)?.message ?? String(original));
    this.name = 'Reported';
  }
}

/** Timeouts and 503s: retried with back-off while attempts remain. */
export const isTransient = (err: unknown) => isKubeError(err) && (err.kind === 'Timeout' || err.kind === 'Unavailable');
