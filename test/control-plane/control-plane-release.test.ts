import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLdflags } from './build-control-plane.js';
import {
  CONTROL_PLANE_MODULE_DIR,
  controlPlaneBinDir,
  parseControlPlaneRelease,
  readControlPlaneRelease,
} from './control-plane-release.js';
import { startControlPlane } from './start-control-plane.js';

describe('the pinned control plane release', () => {
  it.each([
    [
      'a require block with tools as indirect',
      'require (\n\tk8s.io/kubernetes v1.37.2 // indirect\n\tgo.etcd.io/etcd/server/v3 v3.7.0 // indirect\n)',
    ],
    ['single-line requires', 'require k8s.io/kubernetes v1.37.2\nrequire go.etcd.io/etcd/server/v3 v3.7.0'],
  ])('reads the versions from %s', (_name, goMod) => {
    expect(parseControlPlaneRelease(goMod)).toEqual({ kubernetes: 'v1.37.2', etcd: 'v3.7.0' });
  });

  it('ignores replace lines and names the module it cannot find', () => {
    expect(() => parseControlPlaneRelease('replace k8s.io/api => k8s.io/api v0.37.2')).toThrow(/k8s.io\/kubernetes/);
  });

  it('pins every staging module that k8s.io/kubernetes points at ./staging to the matching v0.x release', () => {
    const goMod = readFileSync(join(CONTROL_PLANE_MODULE_DIR, 'go.mod'), 'utf8');
    const { kubernetes } = readControlPlaneRelease();
    const staging = `v0.${kubernetes.split('.').slice(1).join('.')}`;
    const replaces = [...goMod.matchAll(/^\t(k8s\.io\/\S+) => (\S+) (\S+)$/gm)];
    expect(replaces.length).toBeGreaterThanOrEqual(33);
    for (const [, from, to, version] of replaces)
      expect({ from, to, version }).toEqual({ from, to: from, version: staging });
  });

  it('stamps the release into the Kubernetes binaries, so /version and the feature gates see it', () => {
    const flags = buildLdflags({ kubernetes: 'v1.37.2', etcd: 'v3.7.0' });
    expect(flags).toContain('-X k8s.io/component-base/version.gitVersion=v1.37.2');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMajor=1');
    expect(flags).toContain('-X k8s.io/component-base/version.gitMinor=37');
  });

  it('caches per release under XDG_CACHE_HOME, outside the work tree', () => {
    const release = { kubernetes: 'v1.37.2', etcd: 'v3.7.0' };
    expect(controlPlaneBinDir(release, { XDG_CACHE_HOME: '/c' })).toBe('/c/debugdead/control-plane/v1.37.2');
    expect(controlPlaneBinDir(release, { DEBUGDEAD_CONTROL_PLANE_BIN: '/b' })).toBe('/b');
  });

  it('refuses to start without the binaries, saying how to build them', async () => {
    await expect(startControlPlane({ binDir: '/nonexistent' })).rejects.toThrow(/npm run control-plane:build/);
  });
});
