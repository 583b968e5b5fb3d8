import { defineConfig } from 'vitest/config';

/**
 * `npm run test:real`: the end-to-end files that run unchanged against a real control plane (kube-apiserver, etcd,
 * scheduler, controller manager built by `npm run control-plane:build`), the bot authenticated as deploy/'s
 * ServiceAccount under its shipped RBAC. Tests inside them that need the simulator's faults are marked
 * describeOnSimulator/itOnSimulator; test/sim/kube/README.md lists those and the files left out.
 */
export const REAL_BACKEND_FILES = [
  'test/e2e/diagnose-command.test.ts',
  'test/e2e/debug-clone.test.ts',
  'test/e2e/approvals.test.ts',
  'test/e2e/alerts.test.ts',
  'test/e2e/redis-outage.test.ts',
  'test/e2e/diagnose-scenarios.test.ts',
  'test/e2e/audit-trail.test.ts',
  'test/e2e/health-endpoints.test.ts',
  'test/e2e/startup-checks.test.ts',
  'test/e2e/diagnose-kubelet-failures.test.ts',
  'test/e2e/secrets-egress.test.ts',
];

export default defineConfig({
  test: {
    include: REAL_BACKEND_FILES,
    globalSetup: ['test/support/redis-global-setup.ts', 'test/support/real-cluster/global-setup.ts'],
    env: { DEBUGDEAD_BACKEND: 'real' },
    // One control plane for the run: files take turns on it (each bot's harness clears what the last one left).
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
  },
});
