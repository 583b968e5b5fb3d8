import { spawn, spawnSync } from 'node:child_process';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONTROL_PLANE_MODULE_DIR,
  CONTROL_PLANE_PACKAGES,
  type ControlPlaneRelease,
  controlPlaneBinDir,
  findControlPlaneBinaries,
  readControlPlaneRelease,
} from './control-plane-release.js';

export interface BuildControlPlaneOptions {
  /** Rebuild even when the cache holds this release. @defaultValue false */
  force?: boolean;
  /** Progress lines. @defaultValue console.log */
  log?: (line: string) => void;
}

export interface BuiltControlPlane {
  dir: string;
  release: ControlPlaneRelease;
  /** False when the cache already held this release. */
  built: boolean;
  seconds: number;
  /** Bytes of each binary. */
  sizes: Record<string, number>;
}

/**
 * `-ldflags` stamping the release into the Kubernetes binaries: unstamped, `/version` answers v0.0.0-master and the
 * feature-gate and emulation-version machinery works from that (k8s.io/component-base/version). `-s -w` drops the
 * symbol and DWARF tables, which the tests never use, a third of each binary's size.
 */
export function buildLdflags(release: ControlPlaneRelease): string {
  const [major, minor] = release.kubernetes.replace(/^v/, '').split('.');
  const stamp = (key: string, value: string) => `-X k8s.io/component-base/version.${key}=${value}`;
  return [
    '-s -w',
    stamp('gitVersion', release.kubernetes),
    stamp('gitMajor', major ?? ''),
    stamp('gitMinor', minor ?? ''),
    stamp('gitTreeState', 'clean'),
  ].join(' ');
}

/**
 * Builds etcd, kube-apiserver, kube-scheduler and kube-controller-manager from the pinned module into the cache
 * (once per release: a complete cache directory is reused as it is). The build goes to a sibling directory first and
 * is renamed into place, so an interrupted build never leaves a half-filled cache that looks complete.
 */
export async function buildControlPlane(options: BuildControlPlaneOptions = {}): Promise<BuiltControlPlane> {
  const log = options.log ?? console.log;
  const release = readControlPlaneRelease();
  const dir = controlPlaneBinDir(release);
  const started = Date.now();
  if (!options.force && findControlPlaneBinaries(dir)) {
    return { dir, release, built: false, seconds: 0, sizes: await sizesOf(dir) };
  }
  if (spawnSync('go', ['version']).error) {
    throw new Error('`go` is not on PATH: the control plane is built from Go modules (Go 1.26 or newer).');
  }

  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  log(
    `building Kubernetes ${release.kubernetes} and etcd ${release.etcd} into ${dir}` +
      ' (cold: ~10 CPU-minutes; 24 min measured on a busy 2-core machine)',
  );
  await runGo(
    [
      'build',
      '-mod=readonly',
      '-trimpath',
      '-ldflags',
      buildLdflags(release),
      '-o',
      `${staging}/`,
      ...Object.values(CONTROL_PLANE_PACKAGES),
    ],
    log,
  );
  // `go build -o dir/` names a binary after its package path, skipping a major-version suffix:
  // go.etcd.io/etcd/server/v3 becomes `server`.
  await rename(join(staging, 'server'), join(staging, 'etcd'));
  const seconds = Math.round((Date.now() - started) / 1000);
  await writeFile(join(staging, 'release.json'), `${JSON.stringify({ ...release, buildSeconds: seconds }, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return { dir, release, built: true, seconds, sizes: await sizesOf(dir) };
}

function runGo(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // CGO off as upstream builds them (static binaries; no C toolchain needed). GOFLAGS from the caller is kept:
    // `GOFLAGS=-p=1` builds on one core when the machine is shared.
    const child = spawn('go', args, {
      cwd: CONTROL_PLANE_MODULE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      for (const line of text.split('\n').filter(Boolean)) log(line);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`go ${args[0]} failed (${signal ?? `exit ${code}`}):\n${stderr.slice(-4000)}`)),
    );
  });
}

async function sizesOf(dir: string): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.keys(CONTROL_PLANE_PACKAGES).map(async (name) => [name, (await stat(join(dir, name))).size] as const),
  );
  return Object.fromEntries(entries);
}
