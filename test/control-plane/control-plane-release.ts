import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Go module (go.mod, go.sum) that pins the control plane's sources. */
export const CONTROL_PLANE_MODULE_DIR = dirname(fileURLToPath(import.meta.url));

/** The binaries `npm run control-plane:build` leaves in the cache, by name, with the Go package each is built from. */
export const CONTROL_PLANE_PACKAGES = {
  etcd: 'go.etcd.io/etcd/server/v3',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
} as const;

export type ControlPlaneBinary = keyof typeof CONTROL_PLANE_PACKAGES;

/** The versions go.mod pins: the cache is keyed by the Kubernetes one. */
export interface ControlPlaneRelease {
  kubernetes: string;
  etcd: string;
}

/** Reads the pinned versions from go.mod's text (pure). */
export function parseControlPlaneRelease(goMod: string): ControlPlaneRelease {
  const version = (module: string): string => {
    // `require M vX` on one line, or `M vX // indirect` inside a require block (tools are indirect requirements).
    const fields = goMod
      .split('\n')
      .map((l) =>
        l
          .trim()
          .replace(/^require\s+/, '')
          .split(/\s+/),
      )
      .find((f) => f[0] === module && f[1]?.startsWith('v'));
    const found = fields?.[1];
    if (!found) throw new Error(`test/control-plane/go.mod requires no version of ${module}`);
    return found;
  };
  return { kubernetes: version('k8s.io/kubernetes'), etcd: version('go.etcd.io/etcd/server/v3') };
}

export function readControlPlaneRelease(): ControlPlaneRelease {
  return parseControlPlaneRelease(readFileSync(join(CONTROL_PLANE_MODULE_DIR, 'go.mod'), 'utf8'));
}

/**
 * Where the binaries of one release live: outside the work tree, so every clone on the machine (CI's among them)
 * shares one build. DEBUGDEAD_CONTROL_PLANE_BIN overrides the whole path.
 */
export function controlPlaneBinDir(
  release: ControlPlaneRelease = readControlPlaneRelease(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (env.DEBUGDEAD_CONTROL_PLANE_BIN) return env.DEBUGDEAD_CONTROL_PLANE_BIN;
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'debugdead', 'control-plane', release.kubernetes);
}

/** Paths of the four binaries, or undefined when any is missing (not built yet: `npm run control-plane:build`). */
export function findControlPlaneBinaries(
  dir: string = controlPlaneBinDir(),
): Record<ControlPlaneBinary, string> | undefined {
  const paths = Object.fromEntries(
    Object.keys(CONTROL_PLANE_PACKAGES).map((name) => [name, join(dir, name)]),
  ) as Record<ControlPlaneBinary, string>;
  return Object.values(paths).every((p) => existsSync(p)) ? paths : undefined;
}

export const HOW_TO_BUILD_CONTROL_PLANE =
  'The real control plane is not built: run `npm run control-plane:build` (needs Go 1.26 and the Go module proxy; ' +
  '10 CPU-minutes, up to 25 minutes on a busy 2-core machine, the first time; cached afterwards; see the README, ' +
  '"Real control plane (tests)").';
