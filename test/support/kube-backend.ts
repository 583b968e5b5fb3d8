/**
 * Which Kubernetes the end-to-end tests run against: the in-process simulator (`npm test`, the default: fast, and
 * able to inject faults) or a real control plane built from source (`npm run test:real`, which sets
 * DEBUGDEAD_BACKEND=real; see test/control-plane/README.md).
 */
export type KubeBackend = 'sim' | 'real';

/** The backend of this run (no vitest import here: the benchmarks load the harness outside vitest). */
export const KUBE_BACKEND: KubeBackend = process.env.DEBUGDEAD_BACKEND === 'real' ? 'real' : 'sim';
