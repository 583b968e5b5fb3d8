import { BUSYBOX_PATH, isMirrorPod, TOOLS_DIR, TOOLS_NAME } from '../../src/debugpods/index.js';
import type { Pod } from '../../src/kube/types.js';
import type { PodDifference } from './diff-pods.js';

// How a debug clone differs from the copy `kubectl debug POD --copy-to=X --container=C -- sleep 3600` makes (kubectl
// 1.32, every flag at its default), both stored by a real kube-apiserver. test/control-plane/kubectl-debug.test.ts
// finds the differences field by field for every pod of the clone corpus; each must be one of these rows, and each
// row must still occur. The README's table is rendered from them (render-kubectl-differences.ts).

/** What a row may look at besides the difference: the source pod as stored, and what was asked. */
export interface DifferenceContext {
  source: Pod;
  /** The container debugged (`--container`). */
  target: string;
  /** The clone's sleep, in seconds: its maximum TTL. */
  maxTtlSeconds: number;
  /** Our clone as stored, when there is one. */
  clone?: Pod;
}

/** One intended difference: the README's words, and a test for whether a difference found is this one. */
export interface IntendedDifference {
  field: string;
  kubectl: string;
  ours: string;
  why: string;
  matches: (d: PodDifference, ctx: DifferenceContext) => boolean;
}

/** The path of a difference inside a container: `spec.containers[app].livenessProbe` → kind, name and the rest. */
const CONTAINER_PATH = /^spec\.(containers|initContainers)\[([^\]]+)\]\.(.+)$/;
const inContainer = (path: string) => {
  const m = CONTAINER_PATH.exec(path);
  return m ? { list: m[1]!, name: m[2]!, field: m[3]! } : undefined;
};
const LABEL = /^metadata\.labels\[(.+)\]$/;
const ANNOTATION = /^metadata\.annotations\[(.+)\]$/;
const VOLUME = /^spec\.volumes\[([^\]]+)\]\.(.+)$/;

/** Only on our side / only on kubectl's. */
const oursOnly = (d: PodDifference) => d.ours !== undefined && d.kubectl === undefined;
const kubectlOnly = (d: PodDifference) => d.ours === undefined && d.kubectl !== undefined;

/** Annotations some env fieldRef or downward-API item of the source reads (the clone must keep those). */
const readAnnotations = (source: Pod): string[] =>
  [...JSON.stringify(source.spec ?? {}).matchAll(/metadata\.annotations\['([^']+)'\]/g)].map((m) => m[1]!);

/** 5 s, or one more than the longest lifecycle sleep of the clone's containers. */
const expectedGrace = (clone: Pod | undefined): number => {
  const containers = [...(clone?.spec?.initContainers ?? []), ...(clone?.spec?.containers ?? [])];
  const sleeps = containers.flatMap((c) => [c.lifecycle?.preStop?.sleep, c.lifecycle?.postStart?.sleep]);
  return Math.max(5, ...sleeps.map((s) => (s ? Number(s.seconds) + 1 : 0)));
};

/** The source volume `name`. */
const sourceVolume = (ctx: DifferenceContext, name: string) => ctx.source.spec?.volumes?.find((v) => v.name === name);

export const INTENDED_DIFFERENCES: IntendedDifference[] = [
  {
    field: 'the pod itself, Windows (`spec.os.name: windows`)',
    kubectl: 'a copy whose target runs `sleep` from the Windows image',
    ours: 'no clone, and the reason: the Linux busybox cannot run there, and its Linux security settings are invalid in a Windows pod',
    why: 'a clone that cannot start is worse than a clear refusal',
    matches: (d) =>
      d.path === 'pod' && /^not offered: it is a Windows pod/.test(String(d.ours)) && d.kubectl === 'created',
  },
  {
    field: 'the pod itself, image pull failures',
    kubectl: 'a copy',
    ours: 'no clone offered, but the reason and the fix',
    why: 'the copy pulls the same image and fails the same way',
    matches: (d) =>
      d.path === 'pod' && /^not offered: a clone uses the same image/.test(String(d.ours)) && d.kubectl === 'created',
  },
  {
    field: 'the pod itself, static (mirror) pods',
    kubectl:
      'refused by the API server: the copy keeps the `kubernetes.io/config.mirror` annotation and loses `nodeName`. With `--same-node` it is created, still marked as a mirror pod, which the kubelet deletes since no static pod stands behind it',
    ours: 'an ordinary pod on the same node, without the kubelet’s `kubernetes.io/config.*` annotations',
    why: 'a static pod’s hostPaths (etcd data, PKI) only make sense on its node',
    matches: (d) =>
      d.path === 'pod' &&
      d.ours === 'created' &&
      /must set spec\.nodeName if mirror pod annotation is set/.test(String(d.kubectl)),
  },
  {
    field: '`spec.serviceAccountName`, `spec.automountServiceAccountToken`, static pods',
    kubectl: 'none (with `--same-node`): ServiceAccount admission skips a pod marked as a mirror',
    ours: 'the namespace’s `default`, as admission gives any ordinary pod, with `automountServiceAccountToken: false`',
    why: 'the clone gets no API credentials the static pod never had',
    matches: (d, ctx) =>
      oursOnly(d) &&
      isMirrorPod(ctx.source) &&
      ((['spec.serviceAccountName', 'spec.serviceAccount'].includes(d.path) && d.ours === 'default') ||
        (d.path === 'spec.automountServiceAccountToken' && d.ours === false)),
  },
  {
    field: '`metadata.name`',
    kubectl: 'the `--copy-to` value',
    ours: '`<pod>-debug-<5 random characters>`, at most 63 characters',
    why: 'no name to invent, and no collision between two people debugging the same pod',
    matches: (d) => d.path === 'metadata.name' && /-debug-[a-z0-9]{5}$/.test(String(d.ours)),
  },
  {
    field: '`metadata.labels`',
    kubectl: 'none (the source’s removed)',
    ours: '`debugdead.io/managed`, `debugdead.io/kind`, `debugdead.io/request-id`',
    why: 'how the janitor and the TTL find and delete clones, even after Redis is lost',
    matches: (d) => oursOnly(d) && /^debugdead\.io\//.test(LABEL.exec(d.path)?.[1] ?? ''),
  },
  {
    field: '`metadata.labels`',
    kubectl: 'none',
    ours: '`sidecar.istio.io/inject: "false"`',
    why: 'a mesh webhook would inject a second sidecar next to the copied one',
    matches: (d) => d.path === 'metadata.labels[sidecar.istio.io/inject]' && d.ours === 'false' && !d.kubectl,
  },
  {
    field: '`metadata.annotations`',
    kubectl: 'all of the source’s',
    ours: 'dropped, except those an env `fieldRef` or a downward-API file reads and an injected mesh sidecar’s marks (both copies keep these)',
    why: 'annotations drive controllers and scrapers (`prometheus.io/scrape` would scrape the clone as production)',
    matches: (d, ctx) => {
      const key = ANNOTATION.exec(d.path)?.[1];
      return (
        key !== undefined &&
        kubectlOnly(d) &&
        d.kubectl === ctx.source.metadata?.annotations?.[key] &&
        !readAnnotations(ctx.source).includes(key)
      );
    },
  },
  {
    field: '`metadata.annotations`',
    kubectl: 'none of ours',
    ours: '`debugdead.io/source-pod`, `requested-by`, `request-id`, `expires-at`, `original-command`',
    why: 'who asked, until when, and the command to run by hand: what the janitor and the audit trail read back',
    matches: (d) => oursOnly(d) && /^debugdead\.io\//.test(ANNOTATION.exec(d.path)?.[1] ?? ''),
  },
  {
    field: 'target container `command`',
    kubectl: '`sleep 3600` (the image’s own `sleep`)',
    ours: '`/.debugdead/busybox sleep <maximum TTL>`',
    why: 'distroless and scratch images have no `sleep`; the injected busybox always has',
    matches: (d, ctx) =>
      inContainer(d.path)?.name === ctx.target &&
      inContainer(d.path)?.field === 'command' &&
      JSON.stringify(d.ours) === JSON.stringify([BUSYBOX_PATH, 'sleep', String(ctx.maxTtlSeconds)]) &&
      JSON.stringify(d.kubectl) === JSON.stringify(['sleep', '3600']),
  },
  {
    field: 'target container `volumeMounts`',
    kubectl: 'the source’s',
    ours: `plus the tools emptyDir at \`${TOOLS_DIR}\``,
    why: 'where the busybox is, and a writable scratch space even with readOnlyRootFilesystem',
    matches: (d, ctx) =>
      inContainer(d.path)?.name === ctx.target &&
      inContainer(d.path)?.field === `volumeMounts[${TOOLS_DIR}]` &&
      oursOnly(d),
  },
  {
    field: '`spec.initContainers`',
    kubectl: 'the source’s',
    ours: `\`${TOOLS_NAME}\` first, copying a static busybox into the emptyDir, as the target’s user, restricted-compliant; its resources keep the QoS class`,
    why: 'a shell for images that have none, without a hostPath or a privileged container',
    matches: (d) =>
      oursOnly(d) &&
      (d.path === `spec.initContainers[${TOOLS_NAME}]` ||
        (d.path === 'spec.initContainers' &&
          Array.isArray(d.ours) &&
          d.ours.length === 1 &&
          (d.ours[0] as { name?: string }).name === TOOLS_NAME)),
  },
  {
    field: '`spec.volumes`',
    kubectl: 'the source’s',
    ours: `plus \`${TOOLS_NAME}\`, an emptyDir of 16Mi`,
    why: 'holds the busybox',
    matches: (d) => d.path === `spec.volumes[${TOOLS_NAME}]` && oursOnly(d),
  },
  {
    field: 'liveness, readiness and startup probes',
    kubectl:
      'kept on every container (the default `legacy` profile keeps them; `--keep-liveness=false` and the like have no effect there)',
    ours: 'removed from every container, native sidecars included',
    why: 'a failing probe restarts or un-readies the copy mid-debug',
    matches: (d) => kubectlOnly(d) && /^(liveness|readiness|startup)Probe$/.test(inContainer(d.path)?.field ?? ''),
  },
  {
    field: 'target container `lifecycle`',
    kubectl: 'kept',
    ours: 'removed',
    why: 'a failing postStart hook kills the container; a preStop hook has nothing to stop',
    matches: (d, ctx) =>
      kubectlOnly(d) && inContainer(d.path)?.name === ctx.target && inContainer(d.path)?.field === 'lifecycle',
  },
  {
    field: 'container `ports[].hostPort`',
    kubectl: 'kept',
    ours: 'removed (with its `hostIP`)',
    why: 'the original holds the port on its node; the copy could not schedule there',
    matches: (d, ctx) =>
      !ctx.source.spec?.hostNetwork &&
      kubectlOnly(d) &&
      /^ports\[[^\]]+\]\.host(Port|IP)$/.test(inContainer(d.path)?.field ?? ''),
  },
  {
    field: 'container `ports`, hostNetwork pods',
    kubectl: 'kept, each a hostPort',
    ours: 'removed',
    why: 'with hostNetwork the API server makes every containerPort a hostPort the original holds, and a DaemonSet’s copy is pinned to that node: it never schedules',
    matches: (d, ctx) => !!ctx.source.spec?.hostNetwork && kubectlOnly(d) && inContainer(d.path)?.field === 'ports',
  },
  {
    field: '`spec.affinity.podAntiAffinity`, `spec.topologySpreadConstraints`',
    kubectl: 'kept',
    ours: 'removed (node affinity, nodeSelector and tolerations kept)',
    why: 'they can leave the copy unschedulable beside its siblings',
    matches: (d) =>
      kubectlOnly(d) &&
      (d.path === 'spec.affinity.podAntiAffinity' ||
        d.path === 'spec.topologySpreadConstraints' ||
        (d.path === 'spec.affinity' && Object.keys(d.kubectl as object).join() === 'podAntiAffinity')),
  },
  {
    field: '`spec.hostname`, `spec.subdomain`',
    kubectl: 'kept',
    ours: 'removed',
    why: 'the original owns that DNS name',
    matches: (d) => kubectlOnly(d) && (d.path === 'spec.hostname' || d.path === 'spec.subdomain'),
  },
  {
    field: 'PersistentVolumeClaims and generic ephemeral volumes',
    kubectl: 'kept',
    ours: 'swapped for an emptyDir (an option keeps claims, mounted read-only)',
    why: 'Multi-Attach errors, a stuck original, two writers corrupting data',
    matches: (d, ctx) => {
      const m = VOLUME.exec(d.path);
      const source = m && sourceVolume(ctx, m[1]!);
      if (!m || !(source?.persistentVolumeClaim || source?.ephemeral)) return false;
      return m[2] === 'emptyDir'
        ? oursOnly(d)
        : kubectlOnly(d) && (m[2] === 'persistentVolumeClaim' || m[2] === 'ephemeral');
    },
  },
  {
    field: 'container `volumeDevices`',
    kubectl: 'kept',
    ours: 'removed where the claim was swapped',
    why: 'an emptyDir cannot back a raw block device',
    matches: (d) => kubectlOnly(d) && inContainer(d.path)?.field === 'volumeDevices',
  },
  {
    field: '`secretKeyRef`/`configMapKeyRef` of a missing key',
    kubectl: 'kept: the copy fails like the original (CreateContainerConfigError)',
    ours: '`optional: true` in the clearly labelled variant offered for that failure',
    why: 'the only way a copy gets past the missing key',
    matches: (d) =>
      d.ours === true &&
      d.kubectl === undefined &&
      /^env\[[^\]]+\]\.valueFrom\.(secretKeyRef|configMapKeyRef)\.optional$/.test(inContainer(d.path)?.field ?? ''),
  },
  {
    field: '`spec.restartPolicy`',
    kubectl: 'the source’s',
    ours: '`Never`',
    why: 'a clone is never restarted',
    matches: (d) => d.path === 'spec.restartPolicy' && d.ours === 'Never',
  },
  {
    field: '`spec.activeDeadlineSeconds`',
    kubectl: 'the source’s',
    ours: 'the maximum TTL',
    why: 'the kubelet ends the clone even if the bot never comes back',
    matches: (d, ctx) => d.path === 'spec.activeDeadlineSeconds' && d.ours === ctx.maxTtlSeconds,
  },
  {
    field: '`spec.terminationGracePeriodSeconds`',
    kubectl: 'the source’s',
    ours: '5, or one more than the longest lifecycle `sleep` a kept container has',
    why: 'deleting a clone should be quick; validation wants every sleep shorter than the grace period',
    matches: (d, ctx) => d.path === 'spec.terminationGracePeriodSeconds' && d.ours === expectedGrace(ctx.clone),
  },
];

/** Which row explains each difference; the differences no row explains. */
export function explainDifferences(
  diffs: PodDifference[],
  ctx: DifferenceContext,
): { explained: [IntendedDifference, PodDifference][]; unexplained: PodDifference[] } {
  const explained: [IntendedDifference, PodDifference][] = [];
  const unexplained: PodDifference[] = [];
  for (const d of diffs) {
    const row = INTENDED_DIFFERENCES.find((r) => r.matches(d, ctx));
    if (row) explained.push([row, d]);
    else unexplained.push(d);
  }
  return { explained, unexplained };
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** The rows as the README's Markdown table. */
export function renderDifferencesTable(): string {
  const lines = [
    '| field | `kubectl debug --copy-to` (1.32, defaults) | debug clone | why |',
    '| --- | --- | --- | --- |',
    ...INTENDED_DIFFERENCES.map((r) => `| ${[r.field, r.kubectl, r.ours, r.why].map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export const DIFFERENCES_START =
  '<!-- kubectl-debug-differences:start (rendered by test/control-plane/render-kubectl-differences.ts) -->';
export const DIFFERENCES_END = '<!-- kubectl-debug-differences:end -->';

/** `text` with the table between its markers rendered afresh; throws when the markers are missing. */
export function replaceDifferencesSection(text: string): string {
  const start = text.indexOf(DIFFERENCES_START);
  const end = text.indexOf(DIFFERENCES_END);
  if (start < 0 || end < start) throw new Error(`no ${DIFFERENCES_START} … ${DIFFERENCES_END} section`);
  return `${text.slice(0, start + DIFFERENCES_START.length)}\n${renderDifferencesTable()}${text.slice(end)}`;
}
