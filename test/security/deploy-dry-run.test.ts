import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../sim/kube/index.js';
import { renderKustomization } from '../support/render-deploy.js';

/** The kinds the Kubernetes simulator serves; RBAC, NetworkPolicy and PVC are checked by deploy.test.ts instead. */
const SERVED = new Set(['Namespace', 'ServiceAccount', 'ConfigMap', 'Service', 'Deployment']);

describe('kubectl apply --dry-run=server of the rendered install, against the Kubernetes simulator', () => {
  let kube: KubeSim;
  let dir: string;
  const kubectl = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        'kubectl',
        args,
        { env: { PATH: process.env.PATH, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` }),
      );
    });

  beforeAll(async () => {
    kube = await startKubeSim();
    dir = mkdtempSync(join(tmpdir(), 'deploy-dry-run-'));
    await kube.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterAll(async () => {
    await kube?.close();
  });

  it('the API server accepts every object it serves, as written', async () => {
    const install = renderKustomization('deploy/overlays/example');
    const write = (name: string, docs: unknown[]) => {
      writeFileSync(join(dir, name), docs.map((d) => yaml.dump(d)).join('---\n'));
      return join(dir, name);
    };
    // A server-side dry run creates nothing, so the namespaces must exist for the rest to be checked in them.
    const namespaces = await kubectl([
      'apply',
      '-f',
      write(
        'ns.yaml',
        install.filter((m) => m.kind === 'Namespace'),
      ),
    ]);
    expect(namespaces).toMatchObject({ code: 0 });
    const rest = install.filter((m) => SERVED.has(m.kind) && m.kind !== 'Namespace');
    const result = await kubectl(['apply', '--dry-run=server', '-f', write('rest.yaml', rest)]);
    expect(result.code, result.out).toBe(0);
    expect(result.out.trim().split('\n')).toHaveLength(rest.length);
    expect(result.out).toContain('deployment.apps/debugdead created (server dry run)');
    expect(result.out).toContain('deployment.apps/debugdead-redis created (server dry run)');
  });
});
