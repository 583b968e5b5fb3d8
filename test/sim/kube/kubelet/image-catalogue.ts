/**
 * The simulated images. Real images differ in what they contain, and that decides how a debug clone or a bad command
 * fails, so the kubelet needs to know, per image:
 * - `hasShell`: whether `/bin/sh` exists. Images whose name contains `distroless`, `scratch` or ends in `-static`
 *   have none (neither has `gcr.io/distroless/*`), so `sh`, `sleep` and the like fail to start (StartError, 128).
 * - `binaries`: for images we know well (busybox, alpine, debian, ubuntu), the complete program list; a program not on it is not
 *   found. For any other image it is undefined: every program that is not a shell utility in a shell-less image is
 *   taken to exist (the image's own app).
 * - `shell`: which shell answers `sh -c missing` (busybox `sh: x: not found`, dash `/bin/sh: 1: x: not found`).
 * - `pullable`: names containing `does-not-exist`, `doesnotexist`, `nonexistent` or `typo` are not in any registry.
 * - `entrypoint`: what runs when the pod gives no `command` (busybox's is `sh`, which exits at once with no stdin).
 * - `rootfs`: what `kubectl exec` finds there: the entries of `/`, and the users and groups of `/etc/passwd` and
 *   `/etc/group` (`id`, `whoami` read them). Distroless images ship `root`, `nonroot` (65532) and `nobody`; busybox's
 *   buildroot skeleton puts `root` in `wheel` (10).
 */
export interface ImageInfo {
  hasShell: boolean;
  shell?: 'busybox' | 'dash' | 'bash';
  binaries?: readonly string[];
  pullable: boolean;
  entrypoint?: readonly string[];
  /** Compressed size, for the `Pulled` event. */
  sizeBytes: number;
  rootfs?: RootFs;
}

/** The parts of an image's filesystem that exec'd programs read. */
export interface RootFs {
  /** Entries of `/`, sorted. */
  entries: readonly string[];
  /** `/etc/passwd`: uid → name and primary gid. */
  users: Readonly<Record<number, { name: string; gid: number }>>;
  /** `/etc/group`: gid → name, and the supplementary groups each user is listed in. */
  groups: Readonly<Record<number, { name: string; members?: readonly string[] }>>;
}

const BUSYBOX_ROOTFS: RootFs = {
  entries: ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr', 'var'],
  users: { 0: { name: 'root', gid: 0 }, 65534: { name: 'nobody', gid: 65534 } },
  groups: { 0: { name: 'root' }, 10: { name: 'wheel', members: ['root'] }, 65534: { name: 'nogroup' } },
};

const ALPINE_ROOTFS: RootFs = {
  entries: [
    'bin',
    'dev',
    'etc',
    'home',
    'lib',
    'media',
    'mnt',
    'opt',
    'proc',
    'root',
    'run',
    'sbin',
    'srv',
    'sys',
    'tmp',
    'usr',
    'var',
  ],
  users: { 0: { name: 'root', gid: 0 }, 65534: { name: 'nobody', gid: 65534 } },
  groups: { 0: { name: 'root' }, 10: { name: 'wheel', members: ['root'] }, 65534: { name: 'nobody' } },
};

const DEBIAN_ROOTFS: RootFs = {
  entries: [
    'bin',
    'boot',
    'dev',
    'etc',
    'home',
    'lib',
    'lib64',
    'media',
    'mnt',
    'opt',
    'proc',
    'root',
    'run',
    'sbin',
    'srv',
    'sys',
    'tmp',
    'usr',
    'var',
  ],
  users: { 0: { name: 'root', gid: 0 }, 65534: { name: 'nobody', gid: 65534 } },
  groups: { 0: { name: 'root' }, 10: { name: 'uucp' }, 65534: { name: 'nogroup' } },
};

const DISTROLESS_ROOTFS: RootFs = {
  entries: ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'run', 'sbin', 'sys', 'tmp', 'usr', 'var'],
  users: { 0: { name: 'root', gid: 0 }, 65532: { name: 'nonroot', gid: 65532 }, 65534: { name: 'nobody', gid: 65534 } },
  groups: { 0: { name: 'root' }, 65532: { name: 'nonroot' }, 65534: { name: 'nogroup' } },
};

/** A Linux node's root, as `nsenter --target 1 --mount` shows it (what a node shell reaches). */
export const NODE_ROOTFS: RootFs = DEBIAN_ROOTFS;

/** busybox 1.36/1.37 applets, the ones anyone calls. */
export const BUSYBOX_APPLETS: readonly string[] = [
  'sh',
  'ash',
  'busybox',
  'sleep',
  'cat',
  'cp',
  'mv',
  'rm',
  'ls',
  'ln',
  'mkdir',
  'echo',
  'env',
  'printenv',
  'true',
  'false',
  'test',
  '[',
  'wget',
  'nc',
  'ping',
  'nslookup',
  'ps',
  'top',
  'kill',
  'grep',
  'sed',
  'awk',
  'head',
  'tail',
  'id',
  'whoami',
  'hostname',
  'date',
  'df',
  'du',
  'free',
  'mount',
  'uname',
  'vi',
  'find',
  'xargs',
  'tar',
  'gzip',
  'chmod',
  'chown',
  'touch',
  'sort',
  'uniq',
  'wc',
  'tr',
  'cut',
  'tee',
  'yes',
  'watch',
  'nsenter',
  'ip',
  'ifconfig',
  'netstat',
  'telnet',
  'timeout',
  'stat',
  'dd',
  'sync',
  'expr',
  'seq',
  'basename',
  'dirname',
  'pwd',
  'which',
];

/** What `debian:12` / `ubuntu:24.04` base images ship (no ps, curl, wget, ip, ping, nc, vi). */
export const DEBIAN_BINARIES: readonly string[] = [
  'bash',
  'sh',
  'dash',
  'cat',
  'cp',
  'mv',
  'rm',
  'ls',
  'ln',
  'mkdir',
  'echo',
  'env',
  'printenv',
  'sleep',
  'true',
  'false',
  'test',
  '[',
  'id',
  'whoami',
  'hostname',
  'uname',
  'date',
  'df',
  'du',
  'stat',
  'dd',
  'sync',
  'seq',
  'head',
  'tail',
  'sort',
  'uniq',
  'wc',
  'tr',
  'cut',
  'tee',
  'touch',
  'chmod',
  'chown',
  'basename',
  'dirname',
  'pwd',
  'yes',
  'timeout',
  'expr',
  'nproc',
  'grep',
  'sed',
  'awk',
  'mawk',
  'find',
  'xargs',
  'tar',
  'gzip',
  'mount',
  'kill',
  'apt',
  'apt-get',
  'dpkg',
  'perl',
  'su',
  'which',
  'nsenter',
];

/** Shell utilities that a shell-less image does not have either. */
const SHELL_TOOLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', ...BUSYBOX_APPLETS]);

interface Entry {
  test: (image: string) => boolean;
  info: Omit<ImageInfo, 'pullable'>;
}

const repo = (image: string): string => {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
};
const last = (image: string): string => repo(image).split('/').pop() ?? '';

const CATALOGUE: readonly Entry[] = [
  {
    test: (i) => /distroless|scratch|-static(:|$)/.test(i),
    info: { hasShell: false, entrypoint: ['/app'], sizeBytes: 2_331_264, rootfs: DISTROLESS_ROOTFS },
  },
  {
    test: (i) => last(i) === 'busybox',
    info: {
      hasShell: true,
      shell: 'busybox',
      binaries: BUSYBOX_APPLETS,
      entrypoint: ['sh'],
      sizeBytes: 2_155_611,
      rootfs: BUSYBOX_ROOTFS,
    },
  },
  {
    test: (i) => last(i) === 'alpine',
    info: {
      hasShell: true,
      shell: 'busybox',
      binaries: [...BUSYBOX_APPLETS, 'apk'],
      entrypoint: ['/bin/sh'],
      sizeBytes: 3_642_681,
      rootfs: ALPINE_ROOTFS,
    },
  },
  {
    test: (i) => /alpine/.test(i),
    info: { hasShell: true, shell: 'busybox', sizeBytes: 48_371_200, rootfs: ALPINE_ROOTFS },
  },
  {
    test: (i) => /^(ubuntu|debian)$/.test(last(i)),
    info: {
      hasShell: true,
      shell: 'dash',
      binaries: DEBIAN_BINARIES,
      entrypoint: ['bash'],
      sizeBytes: 29_754_290,
      rootfs: DEBIAN_ROOTFS,
    },
  },
  {
    test: (i) => last(i) === 'bash',
    info: {
      hasShell: true,
      shell: 'bash',
      binaries: [...BUSYBOX_APPLETS, 'bash'],
      sizeBytes: 6_543_210,
      rootfs: ALPINE_ROOTFS,
    },
  },
];

/** What the simulated runtime knows about an image; see the file comment for the rules. */
export function lookupImage(image: string): ImageInfo {
  const pullable = !/does-?not-?exist|nonexistent|typo/.test(image);
  const hit = CATALOGUE.find((e) => e.test(image));
  return {
    pullable,
    ...(hit?.info ?? { hasShell: true, shell: 'dash', sizeBytes: 58_112_034, rootfs: DEBIAN_ROOTFS }),
  };
}

/** Whether `program` (a name or a path) exists in the image. */
export function hasProgram(info: ImageInfo, program: string): boolean {
  const name = program.split('/').pop() ?? program;
  if (info.binaries) return info.binaries.includes(name);
  if (!info.hasShell) return !SHELL_TOOLS.has(name);
  return true;
}

/**
 * `docker.io/library/busybox:1.36` for `busybox:1.36`: the fully qualified reference containerd reports in
 * status.containerStatuses[].image.
 */
export function normaliseImage(image: string): string {
  let ref = image;
  const first = ref.split('/')[0] ?? '';
  if (!ref.includes('/')) ref = `docker.io/library/${ref}`;
  else if (!/[.:]/.test(first) && first !== 'localhost') ref = `docker.io/${ref}`;
  if (!ref.includes('@') && repo(ref) === ref) ref = `${ref}:latest`;
  return ref;
}
