import type { Container, Pod, PodSpec } from '../kube/types.js';
import type { BuildIds } from './built-pod.js';
import type { CloneRequest, OptionalRef } from './clone-options.js';
import {
  APPROVED_BY_ANNOTATION,
  EXPIRES_AT_ANNOTATION,
  ISTIO_INJECT_LABEL,
  KIND_LABEL,
  MANAGED_LABEL,
  MESH_SIDECAR_ANNOTATIONS,
  ORIGINAL_COMMAND_ANNOTATION,
  REQUEST_ID_ANNOTATION,
  REQUEST_ID_LABEL,
  REQUESTED_BY_ANNOTATION,
  SOURCE_POD_ANNOTATION,
} from './labels.js';
import { isBestEffort, isGuaranteed, isMirrorPod, isPinnedToNode, longestSleepAction } from './pod-facts.js';
import { cloneName, toLabelValue } from './pod-names.js';

// One step per rule of a debug clone, each with the Kubernetes fact that forces it; order matters only where a
// step says so.

/** Name of the emptyDir and of the init container that fills it with busybox. */
export const TOOLS_NAME = 'debugdead-tools';
/** Where the tools emptyDir is mounted, in the injector and in the target. */
export const TOOLS_DIR = '/.debugdead';
/** The static busybox, called by path: scratch images have no shell and no PATH entry for it. */
export const BUSYBOX_PATH = `${TOOLS_DIR}/busybox`;
/**
 * Symlinks to every busybox applet, which the exec line appends to PATH. busybox's `sh` is built without
 * FEATURE_SH_STANDALONE (busybox defconfig, as the docker-library images build it), so it finds applets only on
 * PATH: without these links, `ls` in the shell of a distroless clone is "not found".
 */
export const APPLETS_DIR = `${TOOLS_DIR}/bin`;
/**
 * What a clone's exec line runs: the injected busybox's shell with its applets on PATH after the image's own
 * programs, so `ls`, `ps` and `cat` work in a shell-less image as in any other (the image's binaries come first).
 */
export const CLONE_SHELL = `${BUSYBOX_PATH} sh -c 'PATH="$PATH:${APPLETS_DIR}" exec ${BUSYBOX_PATH} sh'`;
/** Used for the injector when the target's user is unknown or root (the distroless "nonroot" uid). */
export const FALLBACK_UID = 65532;

type Meta = NonNullable<Pod['metadata']>;
type Volume = NonNullable<PodSpec['volumes']>[number];

/** A clone in progress: metadata and spec always present. */
export interface ClonePod extends Pod {
  metadata: Meta;
  spec: PodSpec;
}

/** The pod being built and the notes gathered so far. */
export interface Draft {
  pod: ClonePod;
  notes: string[];
}

/** Everything a step may read; the source is the caller's pod and is only ever read. */
export interface CloneContext {
  source: Pod;
  req: Required<Omit<CloneRequest, 'approvedBy'>> & Pick<CloneRequest, 'approvedBy'>;
  ids: BuildIds;
  /** The target container's name and where it lives in the source. */
  target: { name: string; init: boolean };
}

/** One named change to the clone; returns a new draft. */
export type CloneStep = (draft: Draft, ctx: CloneContext) => Draft;

/** A new plain-JSON copy of the source (Dates become strings, class instances plain objects), never the source. */
export function copyForDebug(source: Pod): Draft {
  const copy = JSON.parse(JSON.stringify(source)) as Pod;
  return {
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: copy.metadata ?? {},
      spec: copy.spec ?? { containers: [] },
      ...(copy.status ? { status: copy.status } : {}),
    },
    notes: [],
  };
}

/** Applies one step; the reducer of `buildDebugClone`. */
export function applyStep(ctx: CloneContext): (draft: Draft, step: CloneStep) => Draft {
  return (draft, step) => step(draft, ctx);
}

const withMeta = (d: Draft, metadata: Meta): Draft => ({ ...d, pod: { ...d.pod, metadata } });
const withSpec = (d: Draft, spec: PodSpec): Draft => ({ ...d, pod: { ...d.pod, spec } });
const note = (d: Draft, ...lines: string[]): Draft => ({ ...d, notes: [...d.notes, ...lines] });

/** Applies `fn` to every regular and init container (native sidecars are init containers). */
function mapAllContainers(spec: PodSpec, fn: (c: Container) => Container): PodSpec {
  const initContainers = spec.initContainers?.map(fn);
  const containers = spec.containers.map(fn);
  return { ...spec, containers, ...(initContainers ? { initContainers } : {}) };
}

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function isTarget(c: Container, ctx: CloneContext): boolean {
  return c.name === ctx.target.name;
}

/** Native sidecars are init containers with `restartPolicy: Always` (Kubernetes 1.29+). */
function isNativeSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function omit<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const out = { ...obj };
  for (const key of keys) delete out[key];
  return out;
}

const list = (names: string[]): string => names.join(', ');

// --- metadata ---

/** Our name, the source's namespace, and none of the fields the API server owns. */
export const cleanMetadata: CloneStep = (d, ctx) => {
  const m = omit(
    d.pod.metadata,
    'generateName',
    'selfLink',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
    'managedFields',
  );
  const sourceName = ctx.source.metadata?.name ?? ctx.source.metadata?.generateName ?? '';
  return withMeta(d, { ...m, name: cloneName(sourceName, ctx.ids.suffix), namespace: sourceNamespace(ctx.source) });
};

/** A ReplicaSet must not adopt the clone, count it toward its replicas, or garbage-collect it with the original. */
export const stripOwnerRefs: CloneStep = (d) => withMeta(d, omit(d.pod.metadata, 'ownerReferences'));

/** Another controller's finalizer would keep our pod in Terminating after the TTL delete. */
export const dropFinalizers: CloneStep = (d) => withMeta(d, omit(d.pod.metadata, 'finalizers'));

/**
 * Labels are replaced, not kept: a Service selecting them would send production traffic to the clone and a ReplicaSet
 * could adopt it (the 2018 recipe's flaw). `sidecar.istio.io/inject: "false"` stops a mesh webhook adding a sidecar.
 */
export const replaceLabels: CloneStep = (d, ctx) => {
  const had = Object.keys(d.pod.metadata.labels ?? {}).length > 0;
  const next = withMeta(d, {
    ...d.pod.metadata,
    labels: {
      [MANAGED_LABEL]: 'true',
      [KIND_LABEL]: 'clone',
      [REQUEST_ID_LABEL]: toLabelValue(ctx.req.requestId),
      [ISTIO_INJECT_LABEL]: 'false',
    },
  });
  return had ? note(next, 'labels not copied, so no Service or ReplicaSet selects the clone') : next;
};

/** Annotations go, except the marks of an already-injected mesh sidecar (see MESH_SIDECAR_ANNOTATIONS). */
export const keepMeshAnnotations: CloneStep = (d) => {
  const kept = Object.entries(d.pod.metadata.annotations ?? {}).filter(([key]) =>
    MESH_SIDECAR_ANNOTATIONS.includes(key),
  );
  return withMeta(d, { ...d.pod.metadata, annotations: Object.fromEntries(kept) });
};

/** Who, why and until when: what the janitor and the audit trail read back from the cluster. */
export const addOurAnnotations: CloneStep = (d, ctx) => {
  const target = findSourceContainer(ctx);
  const original: { command?: string[]; args?: string[] } = {};
  if (target?.command) original.command = target.command;
  if (target?.args) original.args = target.args;
  return withMeta(d, {
    ...d.pod.metadata,
    annotations: {
      ...d.pod.metadata.annotations,
      [SOURCE_POD_ANNOTATION]: `${sourceNamespace(ctx.source)}/${ctx.source.metadata?.name ?? ''}`,
      [REQUESTED_BY_ANNOTATION]: ctx.req.requestedBy,
      ...(ctx.req.approvedBy ? { [APPROVED_BY_ANNOTATION]: ctx.req.approvedBy } : {}),
      [REQUEST_ID_ANNOTATION]: ctx.req.requestId,
      [EXPIRES_AT_ANNOTATION]: new Date(ctx.ids.now.getTime() + ctx.req.ttlSeconds * 1000).toISOString(),
      [ORIGINAL_COMMAND_ANNOTATION]: JSON.stringify(original),
    },
  });
};

/** `metadata.annotations['k']` / `metadata.labels['k']`, as fieldRef paths name one key; group 2 is the key. */
const KEYED_FIELD = /^metadata\.(annotations|labels)\['(.*)'\]$/;

/** Who reads a field of the pod's metadata: env fieldRefs and downward-API volume items, with their fieldPaths. */
function metadataReaders(spec: PodSpec): { who: string; fieldPath: string }[] {
  const out: { who: string; fieldPath: string }[] = [];
  for (const c of allContainers(spec)) {
    for (const e of c.env ?? []) {
      const path = e.valueFrom?.fieldRef?.fieldPath;
      if (path) out.push({ who: `env ${e.name} of ${c.name}`, fieldPath: path });
    }
  }
  for (const v of spec.volumes ?? []) {
    const items = [
      ...(v.downwardAPI?.items ?? []),
      ...(v.projected?.sources ?? []).flatMap((s) => s.downwardAPI?.items ?? []),
    ];
    for (const item of items) {
      if (item.fieldRef?.fieldPath)
        out.push({ who: `file ${item.path} of volume ${v.name}`, fieldPath: item.fieldRef.fieldPath });
    }
  }
  return out;
}

/**
 * Env fieldRefs and downward-API files that read an annotation keep it (else the value silently becomes empty, e.g.
 * an indexed Job's `JOB_COMPLETION_INDEX`). Labels are replaced (see replaceLabels), so label-backed values are
 * noted with what the source had. The kubelet's own `kubernetes.io/config.*` marks are never copied: they would make
 * the clone look like a static pod.
 */
export const keepReadMetadata: CloneStep = (d, ctx) => {
  const sourceMeta = ctx.source.metadata ?? {};
  const keep: Record<string, string> = {};
  const notes: string[] = [];
  for (const { who, fieldPath } of metadataReaders(d.pod.spec)) {
    const m = KEYED_FIELD.exec(fieldPath);
    if (m?.[1] === 'annotations') {
      const value = sourceMeta.annotations?.[m[2]!];
      if (value === undefined) continue;
      if (m[2]!.startsWith('kubernetes.io/config.'))
        notes.push(`${who} reads annotation ${m[2]}, which the clone does not carry: it is empty there`);
      else keep[m[2]!] = value;
    } else if (m?.[1] === 'labels') {
      const value = sourceMeta.labels?.[m[2]!];
      if (value !== undefined) {
        notes.push(
          `${who} reads label ${m[2]}, which the clone does not carry: it is empty there (the source had "${value}")`,
        );
      }
    } else if (fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations') {
      notes.push(`${who} lists all ${fieldPath.slice(9)}: the clone's are ours, not the source's`);
    }
  }
  const next = Object.keys(keep).length
    ? withMeta(d, { ...d.pod.metadata, annotations: { ...keep, ...d.pod.metadata.annotations } })
    : d;
  const kept = Object.keys(keep);
  return note(next, ...(kept.length ? [`annotations kept because the pod reads them: ${list(kept)}`] : []), ...notes);
};

/**
 * A variant for a source stuck in CreateContainerConfigError on a missing key: the references to that key become
 * `optional: true`, so the kubelet starts the container without the variable instead of refusing it.
 */
export const makeRefsOptional: CloneStep = (d, ctx) => {
  const wanted = ctx.req.optionalRefs;
  if (!wanted.length) return d;
  const made: string[] = [];
  const matches = (kind: OptionalRef['kind'], ref: { name?: string; key: string; optional?: boolean } | undefined) =>
    !!ref && !ref.optional && wanted.some((w) => w.kind === kind && w.name === ref.name && w.key === ref.key);
  const spec = mapAllContainers(d.pod.spec, (c) => {
    if (
      !c.env?.some(
        (e) => matches('Secret', e.valueFrom?.secretKeyRef) || matches('ConfigMap', e.valueFrom?.configMapKeyRef),
      )
    )
      return c;
    const env = c.env.map((e) => {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (matches('Secret', s)) {
        made.push(`${e.name} of ${c.name} (key ${s!.key} of Secret ${s!.name})`);
        return { ...e, valueFrom: { ...e.valueFrom, secretKeyRef: { ...s!, optional: true } } };
      }
      if (matches('ConfigMap', m)) {
        made.push(`${e.name} of ${c.name} (key ${m!.key} of ConfigMap ${m!.name})`);
        return { ...e, valueFrom: { ...e.valueFrom, configMapKeyRef: { ...m!, optional: true } } };
      }
      return e;
    });
    return { ...c, env };
  });
  return made.length ? note(withSpec(d, spec), `made optional, so the clone starts without them: ${list(made)}`) : d;
};

// --- scheduling ---

/**
 * The clone is scheduled afresh unless asked to stay on the source's node (node-local bugs). A static pod's mirror
 * always stays: its hostPaths (an etcd data dir, the control plane's PKI) only make sense on that node, and
 * `DirectoryOrCreate` would create empty ones on any other.
 */
export const unpinNode: CloneStep = (d, ctx) => {
  const node = d.pod.spec.nodeName;
  if (node && isMirrorPod(ctx.source)) {
    return note(d, `static pod: the clone stays on node ${node}, where its host paths are`);
  }
  return ctx.req.sameNode ? d : withSpec(d, omit(d.pod.spec, 'nodeName'));
};

/**
 * ServiceAccount admission skips mirror pods, so a static pod runs without a ServiceAccount token. The clone is an
 * ordinary pod (the kubelet deletes a pod marked as a mirror when no static pod stands behind it), which admission
 * gives the namespace's `default` ServiceAccount: its token stays unmounted, so the clone holds no API credentials
 * the static pod never had.
 */
export const withholdStaticPodToken: CloneStep = (d, ctx) => {
  if (!isMirrorPod(ctx.source) || d.pod.spec.automountServiceAccountToken === false) return d;
  return note(
    withSpec(d, { ...d.pod.spec, automountServiceAccountToken: false }),
    'static pod: no ServiceAccount token is mounted in the clone, as the static pod had none',
  );
};

/**
 * nodeSelector, node affinity, pod affinity and tolerations stay (the clone needs the same kind of node); pod
 * anti-affinity and topology spread go, as they can leave the copy unschedulable beside its siblings.
 * Departure: scheduling gates also go; no controller would ever lift a gate on our pod, so it would stay Pending.
 */
export const dropSpreadRules: CloneStep = (d) => {
  const spec = omit(d.pod.spec, 'topologySpreadConstraints', 'schedulingGates');
  const affinity = spec.affinity ? omit(spec.affinity, 'podAntiAffinity') : undefined;
  const rest = omit(spec, 'affinity');
  return withSpec(d, affinity && Object.keys(affinity).length > 0 ? { ...rest, affinity } : rest);
};

/**
 * hostPort 0 (unset): the original still holds the port on its node, as `oc debug` does. On a hostNetwork pod the
 * API server sets every hostPort back to its containerPort (SetDefaults_Pod), and a DaemonSet's pod is pinned to
 * the node whose ports the original holds, so the scheduler would never place it: `ports` go entirely there. They
 * only declare ports; a process in the clone can still listen, on the node's own network.
 */
export const dropHostPorts: CloneStep = (d) => {
  if (d.pod.spec.hostNetwork) {
    const dropped: string[] = [];
    const spec = mapAllContainers(d.pod.spec, (c) => {
      if (!c.ports?.length) return c;
      dropped.push(`${c.ports.map((p) => p.containerPort).join(', ')} (${c.name})`);
      return omit(c, 'ports');
    });
    return dropped.length
      ? note(
          withSpec(d, spec),
          `ports dropped: ${list(dropped)}. With hostNetwork the API server would make each a hostPort the original holds on its node; a process of the clone that listens there fails to bind while the original runs on the same node`,
        )
      : d;
  }
  const dropped: string[] = [];
  const spec = mapAllContainers(d.pod.spec, (c) => {
    if (!c.ports?.some((p) => p.hostPort)) return c;
    return {
      ...c,
      ports: c.ports.map((p) => {
        if (!p.hostPort) return p;
        dropped.push(`${p.hostPort} (${c.name})`);
        return omit(p, 'hostPort', 'hostIP');
      }),
    };
  });
  return dropped.length ? note(withSpec(d, spec), `hostPort dropped: ${list(dropped)}`) : d;
};

// --- containers ---

/**
 * `keepInitContainers: false` drops init containers (they may be the crasher, or run migrations) but never the target;
 * `onlyTarget` drops the other containers and native sidecars. A target init container that would be left alone
 * becomes the only regular container, since a pod needs at least one.
 */
export const selectContainers: CloneStep = (d, ctx) => {
  const { keepInitContainers, onlyTarget } = ctx.req;
  const spec = d.pod.spec;
  const init = spec.initContainers ?? [];
  const keepInit = (c: Container): boolean =>
    isTarget(c, ctx) || (keepInitContainers && !(onlyTarget && isNativeSidecar(c)));
  let initContainers = init.filter(keepInit);
  let containers = onlyTarget ? spec.containers.filter((c) => isTarget(c, ctx)) : spec.containers;
  const notes: string[] = [];
  const droppedInit = init.filter((c) => !keepInit(c)).map((c) => c.name);
  const droppedMain = spec.containers.filter((c) => !containers.includes(c)).map((c) => c.name);
  if (droppedInit.length) notes.push(`init containers dropped: ${list(droppedInit)}`);
  if (droppedMain.length) notes.push(`containers dropped: ${list(droppedMain)}`);
  if (containers.length === 0) {
    const target = initContainers.find((c) => isTarget(c, ctx));
    if (target) {
      initContainers = initContainers.filter((c) => c !== target);
      containers = [omit(target, 'restartPolicy')];
      notes.push(`init container ${target.name} runs as the clone's only container`);
    }
  }
  const rest = omit(spec, 'initContainers');
  return note(withSpec(d, { ...rest, containers, ...(initContainers.length ? { initContainers } : {}) }), ...notes);
};

/**
 * All three probes go on every container, native sidecars included: a failing probe restarts or un-readies the copy
 * mid-debug (kubernetes PR 123149 added `--keep-*` to kubectl debug for exactly this).
 */
export const stripProbes: CloneStep = (d) => {
  const touched: string[] = [];
  const spec = mapAllContainers(d.pod.spec, (c) => {
    if (!c.livenessProbe && !c.readinessProbe && !c.startupProbe) return c;
    touched.push(c.name);
    return omit(c, 'livenessProbe', 'readinessProbe', 'startupProbe');
  });
  return touched.length ? note(withSpec(d, spec), `probes removed from ${list(touched)}`) : d;
};

/** A failing postStart hook kills the container, so the target loses its hooks. */
export const stripTargetLifecycle: CloneStep = (d, ctx) => {
  const had = allContainers(d.pod.spec).some((c) => isTarget(c, ctx) && c.lifecycle);
  if (!had) return d;
  const spec = mapAllContainers(d.pod.spec, (c) => (isTarget(c, ctx) ? omit(c, 'lifecycle') : c));
  return note(withSpec(d, spec), `lifecycle hooks removed from ${ctx.target.name}`);
};

/**
 * The target sleeps through the injected busybox for the maximum TTL, so Extend never outlives it; exec works on a
 * sleeping init container too. Its tools directory is writable, a scratch space even with readOnlyRootFilesystem.
 */
export const makeTargetSleep: CloneStep = (d, ctx) =>
  withSpec(
    d,
    mapAllContainers(d.pod.spec, (c) =>
      isTarget(c, ctx)
        ? {
            ...omit(c, 'args'),
            command: [BUSYBOX_PATH, 'sleep', String(ctx.req.maxTtlSeconds)],
            volumeMounts: [...(c.volumeMounts ?? []), { name: TOOLS_NAME, mountPath: TOOLS_DIR }],
          }
        : c,
    ),
  );

const INJECTOR_LIMITS = { cpu: '100m', memory: '32Mi' };
const INJECTOR_RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: INJECTOR_LIMITS };

/**
 * An init container copies a static busybox into an emptyDir (never a hostPath, as the 2018 recipe did). It runs as
 * the target's user, or 65532 when that is unknown or root, because `runAsNonRoot: true` with uid 0 is rejected;
 * with no privilege escalation, all capabilities dropped and seccomp RuntimeDefault it passes restricted PodSecurity.
 */
export const injectBusybox: CloneStep = (d, ctx) => {
  const spec = d.pod.spec;
  const target = findSourceContainer(ctx);
  const uid = target?.securityContext?.runAsUser ?? ctx.source.spec?.securityContext?.runAsUser;
  // QoS counts init containers: an injector with requests below its limits would make a Guaranteed clone Burstable,
  // and one with any requests a BestEffort clone Burstable (a different OOM score, so an OOM kill may not reproduce).
  const guaranteed = isGuaranteed(spec);
  const bestEffort = ctx.source.spec ? isBestEffort(ctx.source.spec) : false;
  const injector: Container = {
    name: TOOLS_NAME,
    image: ctx.req.helperImage,
    imagePullPolicy: 'IfNotPresent',
    command: [
      '/bin/busybox',
      'sh',
      '-c',
      `cp /bin/busybox ${BUSYBOX_PATH} && mkdir -p ${APPLETS_DIR} && ${BUSYBOX_PATH} --install -s ${APPLETS_DIR}`,
    ],
    volumeMounts: [{ name: TOOLS_NAME, mountPath: TOOLS_DIR }],
    ...(bestEffort
      ? {}
      : { resources: guaranteed ? { requests: INJECTOR_LIMITS, limits: INJECTOR_LIMITS } : INJECTOR_RESOURCES }),
    securityContext: {
      runAsUser: uid ? uid : FALLBACK_UID,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
  const tools: Volume = { name: TOOLS_NAME, emptyDir: { sizeLimit: '16Mi' } };
  const next = withSpec(d, {
    ...spec,
    initContainers: [injector, ...(spec.initContainers ?? [])],
    volumes: [...(spec.volumes ?? []), tools],
  });
  return guaranteed
    ? note(next, "QoS Guaranteed kept: the busybox injector's requests equal its limits, as every container's do")
    : next;
};

/**
 * A clone of one of our clones already carries the tools volume, injector and mounts; they go first so the names
 * stay unique.
 */
export const dropOldTools: CloneStep = (d) => {
  const unmount = (c: Container): Container =>
    c.volumeMounts?.some((m) => m.name === TOOLS_NAME)
      ? { ...c, volumeMounts: c.volumeMounts.filter((m) => m.name !== TOOLS_NAME) }
      : c;
  const spec = mapAllContainers(d.pod.spec, unmount);
  const initContainers = spec.initContainers?.filter((c) => c.name !== TOOLS_NAME);
  const volumes = spec.volumes?.filter((v) => v.name !== TOOLS_NAME);
  const rest = omit(spec, 'initContainers', 'volumes');
  return withSpec(d, {
    ...rest,
    ...(initContainers?.length ? { initContainers } : {}),
    ...(volumes?.length ? { volumes } : {}),
  });
};

// --- volumes ---

/**
 * PVCs and generic ephemeral volumes become emptyDirs: sharing the claim risks Multi-Attach errors, a stuck original
 * and two writers corrupting data (kubernetes #90094). With `keepClaims` they stay, mounted read-only; a generic
 * ephemeral volume then points at the source's own claim, which Kubernetes names `<pod>-<volume>`.
 */
export const swapClaims: CloneStep = (d, ctx) => {
  const notes: string[] = [];
  const swapped = new Set<string>();
  const readOnly = new Set<string>();
  const volumes = d.pod.spec.volumes?.map((v): Volume => {
    const kind = v.persistentVolumeClaim ? 'PVC' : v.ephemeral ? 'ephemeral volume' : undefined;
    if (!kind) return v;
    if (!ctx.req.keepClaims) {
      swapped.add(v.name);
      notes.push(`${kind} \`${v.name}\` swapped for emptyDir`);
      return { name: v.name, emptyDir: {} };
    }
    readOnly.add(v.name);
    const claimName = v.persistentVolumeClaim?.claimName ?? `${ctx.source.metadata?.name ?? ''}-${v.name}`;
    notes.push(`${kind} \`${v.name}\` mounted read-only from claim \`${claimName}\``);
    return { name: v.name, persistentVolumeClaim: { claimName, readOnly: true } };
  });
  if (!volumes || (swapped.size === 0 && readOnly.size === 0)) return d;
  const lostDevices: string[] = [];
  const spec = mapAllContainers({ ...d.pod.spec, volumes }, (c) => {
    let out = c;
    if (c.volumeMounts?.some((m) => readOnly.has(m.name))) {
      out = { ...out, volumeMounts: c.volumeMounts.map((m) => (readOnly.has(m.name) ? { ...m, readOnly: true } : m)) };
    }
    // A raw block device needs a claim; an emptyDir cannot back one, and the API server rejects the pod.
    if (c.volumeDevices?.some((v) => swapped.has(v.name))) {
      const devices = c.volumeDevices.filter((v) => !swapped.has(v.name));
      lostDevices.push(...c.volumeDevices.filter((v) => swapped.has(v.name)).map((v) => `${v.devicePath} (${c.name})`));
      out = devices.length ? { ...out, volumeDevices: devices } : omit(out, 'volumeDevices');
    }
    return out;
  });
  if (lostDevices.length) notes.push(`block devices removed: ${list(lostDevices)}`);
  if (readOnly.size && !ctx.req.sameNode) {
    notes.push('a ReadWriteOnce claim attaches to one node only: if the clone reports Multi-Attach, use the same node');
  }
  return note(withSpec(d, spec), ...notes);
};

// --- lifetime and runtime state ---

/**
 * `priority`, `preemptionPolicy` and `overhead` are written by admission (the Priority and RuntimeClass plugins) from
 * the pod's classes, which stay. Copied, they are refused when they no longer match: a class changed since, or a
 * globalDefault PriorityClass added after the source was created.
 */
export const dropAdmittedFields: CloneStep = (d) =>
  withSpec(d, omit(d.pod.spec, 'priority', 'preemptionPolicy', 'overhead'));

/** Status and ephemeral containers belong to the running original; the API server would refuse or ignore them. */
export const dropRuntimeState: CloneStep = (d) => ({
  ...d,
  pod: { ...omit(d.pod, 'status'), spec: omit(d.pod.spec, 'ephemeralContainers') },
});

/**
 * Never restarted; ended by the kubelet at the maximum TTL even if the bot never comes back. activeDeadlineSeconds
 * carries the maximum, not the TTL, because it can be lowered later but never raised, and Extend goes up to the max.
 */
export const runOnce: CloneStep = (d, ctx) => {
  // Validation requires every lifecycle sleep action to be shorter than the grace period.
  const sleep = longestSleepAction(allContainers(d.pod.spec));
  const grace = Math.max(CLONE_GRACE_SECONDS, Math.ceil(sleep) + 1);
  const next = withSpec(d, {
    ...d.pod.spec,
    restartPolicy: 'Never',
    activeDeadlineSeconds: ctx.req.maxTtlSeconds,
    terminationGracePeriodSeconds: grace,
  });
  return grace > CLONE_GRACE_SECONDS
    ? note(next, `termination grace period ${grace} s, longer than the ${sleep} s lifecycle sleep a kept container has`)
    : next;
};

/** The clone's grace period when no kept container has a longer lifecycle sleep: deletion should be quick. */
export const CLONE_GRACE_SECONDS = 5;

/** The original owns its DNS name; a clone with the same hostname/subdomain would collide with it. */
export const dropHostname: CloneStep = (d) =>
  withSpec(d, omit(d.pod.spec, 'hostname', 'subdomain', 'hostnameOverride'));

/**
 * Security contexts are kept, never loosened silently; the person is told what they will run into instead.
 */
export const noteSecurityContext: CloneStep = (d, ctx) => {
  const target = allContainers(d.pod.spec).find((c) => isTarget(c, ctx));
  const podSc = d.pod.spec.securityContext;
  const notes: string[] = [];
  if (target?.securityContext?.runAsNonRoot ?? podSc?.runAsNonRoot) {
    notes.push(`${ctx.target.name} runs with runAsNonRoot: the shell is not root, so tools that need root will fail`);
  }
  if (target?.securityContext?.readOnlyRootFilesystem) {
    notes.push(`${ctx.target.name} has readOnlyRootFilesystem: write under ${TOOLS_DIR} or a mounted volume`);
  }
  return note(d, ...notes);
};

/**
 * A hostPath shows the files of whichever node the clone lands on. Unless the clone is pinned to one node, say so:
 * it may not be the source's node, and `DirectoryOrCreate` creates empty directories there.
 */
export const warnUnpinnedHostPaths: CloneStep = (d) => {
  const paths = (d.pod.spec.volumes ?? []).filter((v) => v.hostPath).map((v) => `${v.name} (${v.hostPath!.path})`);
  if (!paths.length || isPinnedToNode(d.pod.spec)) return d;
  return note(
    d,
    `host paths ${list(paths)} are read on whichever node the clone is scheduled, not necessarily the source's node; use the same node to see its files`,
  );
};

// --- helpers shared with the builder ---

/** The source's namespace; the API's default when the object carries none. */
export function sourceNamespace(source: Pod): string {
  return source.metadata?.namespace || 'default';
}

/** The target container as it is in the source (command, args, user before our changes). */
export function findSourceContainer(ctx: CloneContext): Container | undefined {
  const list = ctx.target.init ? ctx.source.spec?.initContainers : ctx.source.spec?.containers;
  return list?.find((c) => c.name === ctx.target.name);
}
