import { describe, it } from 'vitest';
import { KUBE_BACKEND } from './kube-backend.js';

/**
 * `describe` for tests that need the simulator: faults a real API server cannot be asked for (injected latency,
 * 5xx answers, dropped watches, RBAC denials by rule) or its store and clock. Skipped against the real control plane;
 * test/sim/kube/README.md lists them.
 */
export const describeOnSimulator = KUBE_BACKEND === 'sim' ? describe : describe.skip;

/** `it` for one simulator-only test in a file that otherwise runs on both backends (see {@link describeOnSimulator}). */
export const itOnSimulator = KUBE_BACKEND === 'sim' ? it : it.skip;

/**
 * `it` for what only the real control plane decides: the shipped RBAC as kube-apiserver's authorizer reads it
 * (the simulator grants the bot everything it is not told to deny). Skipped on the simulator.
 */
export const itOnRealCluster = KUBE_BACKEND === 'real' ? it : it.skip;
