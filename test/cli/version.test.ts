import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

describe('debugdead --version', () => {
  it('prints the version, the commit and the Node that runs it', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    const run = await runCli(['--version'], { cwd: ROOT, env: { DEBUGDEAD_COMMIT: 'abc123def456' } });
    expect(run.stdout).toBe(`debugdead ${pkg.version} (commit abc123def456, node ${process.version})\n`);
    expect(run.code).toBe(0);
  });

  it('the tests themselves run on Node 24 (the node devDependency), whatever the machine has', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});
