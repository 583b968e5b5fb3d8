import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest } from '../sim/kube/index.js';
import { REPO_ROOT } from './render-deploy.js';

/** Where each harness leaves the Kubernetes requests its bot made (relative to the repository). */
export const KUBE_REQUESTS_DIR = '.tmp/kube-requests';

/** Empties the directory: called once per test run, before any test file starts. */
export function clearKubeRequests(): void {
  rmSync(join(REPO_ROOT, KUBE_REQUESTS_DIR), { recursive: true, force: true });
}

/** One harness's recording, and the node-shell namespace its configuration named (it differs from deploy/'s). */
export interface KubeRequestsFile {
  nodeShellNamespace: string;
  requests: RecordedRequest[];
}

/**
 * Writes one harness's recording, under a name of its own: test files run in parallel forks, each file's harnesses
 * write separate files, and test/security/rbac-matches-use.test.ts reads them all.
 */
export function saveKubeRequests(name: string, recording: KubeRequestsFile): void {
  const dir = join(REPO_ROOT, KUBE_REQUESTS_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(recording));
}
