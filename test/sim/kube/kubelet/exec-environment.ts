import { BUSYBOX_APPLETS, type ImageInfo, lookupImage, NODE_ROOTFS, type RootFs } from './image-catalogue.js';
import { isInjectedProgram } from './plan-container.js';

type Json = any;

/** What a process started by `kubectl exec` in one container sees: its identity, environment and filesystem. */
export interface ExecEnvironment {
  /** The UTS hostname: `spec.hostname` or the pod's name; the node's name with `hostNetwork` (or after nsenter). */
  hostname: string;
  /** The process environment in the order `env` prints it. */
  env: readonly (readonly [string, string])[];
  uid: number;
  gid: number;
  /** Supplementary groups, the primary group first, as `id` prints them. */
  groups: readonly number[];
  image: ImageInfo;
  rootfs: RootFs;
  /** Absolute paths that hold a static busybox whatever the image: what an init container copied into an emptyDir. */
  injected: readonly string[];
  /** Directories mounted from volumes: path → the entries `ls` finds there (unknown contents list as empty). */
  mounts: Readonly<Record<string, readonly string[]>>;
  privileged: boolean;
  hostPID: boolean;
  /** The container's main process, PID 1 for `ps` (without hostPID). */
  mainCommand: string;
  nodeName: string;
  /** True once `nsenter --target 1` has entered the node's namespaces. */
  onNode: boolean;
  /**
   * `/proc/1/root` when PID 1 is another container's process: an ephemeral container with `targetContainerName`
   * joins that container's PID namespace (without `shareProcessNamespace`), so its filesystem shows there; reading
   * it needs ptrace access (CAP_SYS_PTRACE, or the same user).
   */
  pidOneRoot?: { entries: readonly string[]; readable: boolean; uid: number };
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment variables the kubelet gives every container: the `kubernetes` Service of the default namespace is
 * always announced, whatever `enableServiceLinks` says (pkg/kubelet/kubelet_pods.go getServiceEnvVarMap).
 */
const MASTER_SERVICE_ENV: readonly (readonly [string, string])[] = [
  ['KUBERNETES_SERVICE_HOST', '10.96.0.1'],
  ['KUBERNETES_SERVICE_PORT', '443'],
  ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
  ['KUBERNETES_PORT', 'tcp://10.96.0.1:443'],
  ['KUBERNETES_PORT_443_TCP', 'tcp://10.96.0.1:443'],
  ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
  ['KUBERNETES_PORT_443_TCP_PORT', '443'],
  ['KUBERNETES_PORT_443_TCP_ADDR', '10.96.0.1'],
];

/** Reads a key of a ConfigMap or Secret in the pod's namespace (`undefined` when missing). */
export type ReadKey = (kind: 'configmaps' | 'secrets', name: string, key: string) => string | undefined;

/** The value a downward-API `fieldRef` gives (pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue). */
function fieldValue(pod: Json, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1] as string]?.[m[2] as string] ?? '';
  const simple: Record<string, unknown> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
  };
  return String(simple[path] ?? '');
}

/** `$(NAME)` of an earlier variable is replaced, `$$` is `$`; unknown references stay as written. */
function expandKube(value: string, defined: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (all, name?: string) =>
    name === undefined ? '$' : (defined.get(name) ?? all),
  );
}

function containerEnv(pod: Json, c: Json, readKey: ReadKey): [string, string][] {
  const out = new Map<string, string>();
  for (const e of c.env ?? []) {
    let value: string | undefined;
    if (e.value !== undefined) value = expandKube(String(e.value), out);
    else if (e.valueFrom?.fieldRef) value = fieldValue(pod, e.valueFrom.fieldRef.fieldPath);
    else if (e.valueFrom?.configMapKeyRef)
      value = readKey('configmaps', e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key);
    else if (e.valueFrom?.secretKeyRef)
      value = readKey('secrets', e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    else if (e.value === undefined && !e.valueFrom) value = '';
    // An optional reference to a missing key leaves the variable unset.
    if (value !== undefined) out.set(e.name, value);
  }
  return [...out];
}

/** The user a container runs as: securityContext (container over pod), else the image's default (root). */
function identity(pod: Json, c: Json, rootfs: RootFs): { uid: number; gid: number; groups: number[] } {
  const sc = c.securityContext ?? {};
  const psc = pod.spec?.securityContext ?? {};
  const uid: number = sc.runAsUser ?? psc.runAsUser ?? 0;
  const gid: number = sc.runAsGroup ?? psc.runAsGroup ?? rootfs.users[uid]?.gid ?? 0;
  const name = rootfs.users[uid]?.name;
  const member = Object.entries(rootfs.groups)
    .filter(([, g]) => name !== undefined && g.members?.includes(name))
    .map(([id]) => Number(id));
  const extra: number[] = [...(psc.fsGroup !== undefined ? [psc.fsGroup] : []), ...(psc.supplementalGroups ?? [])];
  return { uid, gid, groups: [...new Set([gid, ...member, ...extra])] };
}

/**
 * What init containers left in the emptyDirs this container mounts: a static busybox copied there (the debug clone's
 * injector), and the applet links `busybox --install -s DIR` made beside it. Words of `sh -c` scripts count too.
 */
function toolFiles(spec: Json, c: Json, isInit: boolean): { injected: string[]; linkDirs: string[] } {
  const mounts: string[] = (c.volumeMounts ?? []).map((m: Json) => String(m.mountPath).replace(/\/+$/, ''));
  const under = (w: string): boolean => mounts.some((m) => w.startsWith(`${m}/`));
  const inits: Json[] = spec.initContainers ?? [];
  const before = isInit
    ? inits.slice(
        0,
        Math.max(
          0,
          inits.findIndex((i) => i.name === c.name),
        ),
      )
    : inits;
  const injected: string[] = [];
  const linkDirs: string[] = [];
  for (const i of before) {
    const words = [...(i.command ?? []), ...(i.args ?? [])].flatMap((w: string) => w.split(/[\s;&|]+/)).filter(Boolean);
    for (const w of words)
      if (under(w) && !injected.includes(w) && isInjectedProgram(w, c, { podSpec: spec, isInit, rules: [] }))
        injected.push(w);
    const at = words.indexOf('--install');
    const dir = at >= 0 ? words.slice(at + 1).find((w) => w !== '-s') : undefined;
    if (dir && under(dir) && words.some((w) => injected.includes(w))) linkDirs.push(dir.replace(/\/+$/, ''));
  }
  return { injected, linkDirs };
}

/** The volumes mounted in this container (`/host`, `/.debugdead`, `/data`), and what `ls` finds in them. */
function mountsOf(pod: Json, c: Json, tools: { injected: string[]; linkDirs: string[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of c.volumeMounts ?? []) {
    const path = String(m.mountPath).replace(/\/+$/, '');
    const volume = (pod.spec?.volumes ?? []).find((v: Json) => v.name === m.name);
    const inside = [...tools.injected, ...tools.linkDirs]
      .filter((p) => p.startsWith(`${path}/`))
      .map((p) => p.slice(path.length + 1).split('/')[0] as string);
    out[path] = volume?.hostPath?.path === '/' ? [...NODE_ROOTFS.entries] : [...new Set(inside)];
  }
  for (const dir of tools.linkDirs) out[dir] = [...BUSYBOX_APPLETS];
  return out;
}

/**
 * The environment of a process exec'd into container `containerName` of `pod` (which must be running). Pure. The
 * injected busybox counts only where an init container copied it into an emptyDir this container mounts.
 */
export function buildExecEnvironment(
  pod: Json,
  containerName: string,
  readKey: ReadKey = () => undefined,
): ExecEnvironment {
  const spec = pod.spec ?? {};
  const all: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === containerName) ?? { name: containerName };
  const image = lookupImage(c.image ?? '');
  const rootfs = image.rootfs ?? NODE_ROOTFS;
  const isInit = (spec.initContainers ?? []).some((x: Json) => x.name === containerName);
  const tools = toolFiles(spec, c, isInit);
  const hostname = spec.hostNetwork ? String(spec.nodeName ?? '') : String(spec.hostname ?? pod.metadata?.name ?? '');
  const who = identity(pod, c, rootfs);
  // PID 1 is the target's process when an ephemeral container joins its PID namespace.
  const target = targetOf(pod, c);
  const argv: string[] =
    target?.argv ?? (c.command ? [...c.command, ...(c.args ?? [])] : [...(image.entrypoint ?? []), ...(c.args ?? [])]);
  const env: [string, string][] = [
    ['PATH', DEFAULT_PATH],
    ['HOSTNAME', hostname],
    ...containerEnv(pod, c, readKey),
    ...MASTER_SERVICE_ENV.map(([k, v]) => [k, v] as [string, string]),
    ['HOME', who.uid === 0 ? '/root' : '/'],
  ];
  // A later definition of the same name wins, as in the runtime's environment.
  const unique = [...new Map(env).entries()];
  return {
    hostname,
    env: unique,
    ...who,
    image,
    rootfs,
    injected: tools.injected,
    mounts: mountsOf(pod, c, tools),
    privileged: c.securityContext?.privileged === true,
    hostPID: spec.hostPID === true,
    mainCommand: argv.join(' '),
    nodeName: String(spec.nodeName ?? ''),
    onNode: false,
    ...(target
      ? {
          pidOneRoot: {
            entries: target.entries,
            uid: target.uid,
            readable: (c.securityContext?.capabilities?.add ?? []).includes('SYS_PTRACE') || target.uid === who.uid,
          },
        }
      : {}),
  };
}

/** The container whose PID 1 an ephemeral container sees (`targetContainerName`, no shareProcessNamespace). */
function targetOf(pod: Json, c: Json): { argv: string[]; entries: string[]; uid: number } | undefined {
  const spec = pod.spec ?? {};
  if (!c.targetContainerName || spec.shareProcessNamespace) return undefined;
  if (!(spec.ephemeralContainers ?? []).some((e: Json) => e.name === c.name)) return undefined;
  const t = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find(
    (x: Json) => x.name === c.targetContainerName,
  );
  if (!t) return undefined;
  const image = lookupImage(t.image ?? '');
  const mounted = (t.volumeMounts ?? [])
    .map((m: Json) => String(m.mountPath).replace(/\/+$/, ''))
    .filter((m: string) => m.split('/').length === 2)
    .map((m: string) => m.slice(1));
  return {
    argv: t.command ? [...t.command, ...(t.args ?? [])] : [...(image.entrypoint ?? []), ...(t.args ?? [])],
    entries: [...new Set([...(image.rootfs ?? NODE_ROOTFS).entries, ...mounted])].sort(),
    uid: t.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0,
  };
}

/**
 * What a process sees after `nsenter --target 1 --mount --uts …` from a hostPID pod: the node's root filesystem and
 * hostname. Its user and environment variables stay the container's (nsenter changes namespaces, not credentials).
 */
export function enterNode(env: ExecEnvironment): ExecEnvironment {
  return {
    ...env,
    hostname: env.nodeName,
    image: { ...lookupImage('debian:12'), rootfs: NODE_ROOTFS },
    rootfs: NODE_ROOTFS,
    injected: [],
    mounts: {},
    mainCommand: '/sbin/init',
    onNode: true,
  };
}
