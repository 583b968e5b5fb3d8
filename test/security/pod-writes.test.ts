import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderPodWrites } from '../../src/cli/render-pod-writes.js';
import { buildConfig, type Config } from '../../src/config/index.js';
import { runCli } from '../cli/run-cli.js';
import { REPO_ROOT } from '../support/render-deploy.js';

const configWith = (allow: string[]): Config => {
  const built = buildConfig({ namespaces: { allow }, nodeShell: { namespace: 'debugdead-nodeshell' } }, {});
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.config;
};

describe('debugdead pod-writes: the RoleBindings follow namespaces.allow', () => {
  it('the example overlay ships exactly what the command writes for its configuration', async () => {
    const run = await runCli(['pod-writes'], {
      cwd: REPO_ROOT,
      env: { DEBUGDEAD_CONFIG: join(REPO_ROOT, 'deploy/overlays/example/debugdead.yaml') },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(readFileSync(join(REPO_ROOT, 'deploy/overlays/example/pod-writes.yaml'), 'utf8'));
  });

  it('pod writes and debug containers per namespace, none for the node-shell namespace (the component binds it)', () => {
    const result = renderPodWrites(configWith(['payments', 'shop', 'debugdead-nodeshell']));
    const bindings = result.ok ? (yaml.loadAll(result.yaml) as any[]) : [];
    expect(bindings.map((b) => `${b.metadata.namespace}: ${b.roleRef.name}`)).toEqual([
      'payments: debugdead-pod-writer',
      'payments: debugdead-debug-containers',
      'shop: debugdead-pod-writer',
      'shop: debugdead-debug-containers',
    ]);
  });

  it('no debug-container binding when debugContainer.enabled is false', () => {
    const config = configWith(['shop']);
    config.debugContainer.enabled = false;
    const result = renderPodWrites(config);
    expect(result.ok && result.yaml).not.toContain('debugdead-debug-containers');
  });

  it.each([[['*']], [['prod-*', 'shop']], [['team-?']]])(
    'refuses the pattern in %j and says what to write',
    (allow) => {
      const result = renderPodWrites(configWith(allow));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems[0]).toMatch(/is a pattern, and a RoleBinding names one namespace/);
    },
  );

  it('exits 1 with the problem for a configuration that allows every namespace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pod-writes-'));
    writeFileSync(join(dir, 'debugdead.yaml'), 'namespaces:\n  allow: ["*"]\n');
    const run = await runCli(['pod-writes'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('namespaces.allow: "*" is a pattern');
  });
});
