import { isDeepStrictEqual } from 'node:util';
import { parseQuantity } from '../kubelet/quantity.js';
import type { KubeObject } from '../store-contract.js';
import { checkPodDetails } from './check-pod-details.js';
import { MIRROR_POD_ANNOTATION, SYSTEM_PRIORITY_CLASSES } from './pod-admission.js';
import { fieldErr, type StatusCause } from './status.js';

const SYSTEM_CLASS_NAMES = SYSTEM_PRIORITY_CLASSES.map((pc) => pc.name);

type Any = any;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Errors for a DNS-1123 label (container, volume, namespace names). */
export function checkDnsLabel(field: string, v: string, out: StatusCause[]): void {
  if (v.length > 63) out.push(fieldErr.invalid(field, v, 'must be no more than 63 characters'));
  if (!DNS1123_LABEL.test(v)) out.push(fieldErr.invalid(field, v, LABEL_MSG));
}

function checkSubdomain(field: string, v: string, out: StatusCause[]): void {
  if (v.length > 253) out.push(fieldErr.invalid(field, v, 'must be no more than 253 characters'));
  if (!DNS1123_SUBDOMAIN.test(v)) out.push(fieldErr.invalid(field, v, SUBDOMAIN_MSG));
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

function checkMeta(resource: string, md: Any, out: StatusCause[]): void {
  const annotationBytes = Object.entries(md.annotations ?? {}).reduce(
    (n, [k, v]) => n + k.length + String(v).length,
    0,
  );
  if (annotationBytes > ANNOTATIONS_MAX_BYTES)
    out.push({
      reason: 'FieldValueTooLong',
      message: `Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes`,
      field: 'metadata.annotations',
    });
  const refs: Any[] = md.ownerReferences ?? [];
  for (const ref of refs) {
    if (!ref.apiVersion)
      out.push(
        fieldErr.invalid('metadata.ownerReferences.apiVersion', ref.apiVersion ?? '', 'version must not be empty'),
      );
    if (!ref.kind)
      out.push(fieldErr.invalid('metadata.ownerReferences.kind', ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name)
      out.push(fieldErr.invalid('metadata.ownerReferences.name', ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) out.push(fieldErr.invalid('metadata.ownerReferences.uid', ref.uid ?? '', 'uid must not be empty'));
  }
  if (refs.filter((r) => r.controller === true).length > 1)
    out.push(fieldErr.invalid('metadata.ownerReferences', refs, 'Only one reference can have Controller set to true'));
  if (!md.name) out.push(fieldErr.required('metadata.name', 'name or generateName is required'));
  else if (resource === 'namespaces') checkDnsLabel('metadata.name', md.name, out);
  else if (resource === 'services') {
    if (!DNS1035_LABEL.test(md.name) || md.name.length > 63)
      out.push(fieldErr.invalid('metadata.name', md.name, DNS1035_MSG));
  } else checkSubdomain('metadata.name', md.name, out);
  for (const [k, v] of Object.entries(md.labels ?? {})) {
    if (!QUALIFIED_NAME.test(k))
      out.push(
        fieldErr.invalid(
          'metadata.labels',
          k,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
      );
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      out.push(
        fieldErr.invalid(
          'metadata.labels',
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
  }
  for (const k of Object.keys(md.annotations ?? {}))
    if (!QUALIFIED_NAME.test(k))
      out.push(
        fieldErr.invalid(
          'metadata.annotations',
          k,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ),
      );
}

const inRange = (field: string, v: unknown, lo: number, hi: number, out: StatusCause[]): void => {
  if (typeof v === 'number' && (v < lo || v > hi))
    out.push(fieldErr.invalid(field, v, `must be between ${lo} and ${hi}, inclusive`));
};

function checkProbe(path: string, p: Any, kind: 'liveness' | 'readiness' | 'startup', out: StatusCause[]): void {
  if (!p) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h]);
  if (handlers.length === 0) out.push(fieldErr.required(path, 'must specify a handler type'));
  else if (handlers.length > 1)
    out.push(fieldErr.forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1)
    out.push(fieldErr.invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  if (p.httpGet && p.httpGet.port === undefined) out.push(fieldErr.required(`${path}.httpGet.port`));
  if (p.exec && !p.exec.command?.length) out.push(fieldErr.required(`${path}.exec.command`));
}

/**
 * What an ephemeral container may not set. The API server checks an allowlist (allowedEphemeralContainerFields in
 * pkg/apis/core/validation): "Ephemeral containers should not be relied upon for fundamental pod services".
 */
const EPHEMERAL_FORBIDDEN = [
  'ports',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
];

function checkContainer(
  path: string,
  c: Any,
  volumes: Set<string>,
  kind: 'container' | 'init' | 'ephemeral',
  out: StatusCause[],
): void {
  if (!c.name) out.push(fieldErr.required(`${path}.name`));
  else checkDnsLabel(`${path}.name`, c.name, out);
  if (!c.image) out.push(fieldErr.required(`${path}.image`));
  if (c.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy))
    out.push(fieldErr.notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
  if (c.terminationMessagePolicy && !['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy))
    out.push(
      fieldErr.notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, [
        'File',
        'FallbackToLogsOnError',
      ]),
    );
  (c.ports ?? []).forEach((p: Any, i: number) => {
    const pp = `${path}.ports[${i}]`;
    if (!p.containerPort) out.push(fieldErr.required(`${pp}.containerPort`));
    else inRange(`${pp}.containerPort`, p.containerPort, 1, 65535, out);
    if (p.hostPort) inRange(`${pp}.hostPort`, p.hostPort, 1, 65535, out);
    if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol))
      out.push(fieldErr.notSupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  const res = c.resources ?? {};
  for (const kind of ['limits', 'requests'] as const)
    for (const [name, q] of Object.entries(res[kind] ?? {}))
      if (parseQuantity(q as string) < 0)
        out.push(fieldErr.invalid(`${path}.resources.${kind}[${name}]`, q, 'must be greater than or equal to 0'));
  for (const [name, q] of Object.entries(res.requests ?? {})) {
    const limit = res.limits?.[name];
    if (limit !== undefined && parseQuantity(q as string) > parseQuantity(limit))
      out.push(
        fieldErr.invalid(
          `${path}.resources.requests`,
          String(q),
          `must be less than or equal to ${name} limit of ${limit}`,
        ),
      );
  }
  (c.env ?? []).forEach((e: Any, i: number) => {
    if (!e.name) out.push(fieldErr.required(`${path}.env[${i}].name`));
    if (e.value && e.valueFrom)
      out.push(fieldErr.invalid(`${path}.env[${i}].valueFrom`, '', 'may not be specified when `value` is not empty'));
  });
  (c.volumeMounts ?? []).forEach((m: Any, i: number) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) out.push(fieldErr.required(`${mp}.name`));
    else if (!volumes.has(m.name)) out.push(fieldErr.notFound(`${mp}.name`, m.name));
    if (!m.mountPath) out.push(fieldErr.required(`${mp}.mountPath`));
  });
  if (kind === 'ephemeral') {
    for (const f of EPHEMERAL_FORBIDDEN)
      if (c[f] !== undefined && !(f === 'resources' && Object.keys(c[f]).length === 0))
        out.push(fieldErr.forbidden(`${path}.${f}`, 'cannot be set for an Ephemeral Container'));
    // Subpaths are bind mounts that leak until the pod exits, and imply the container is part of the workload.
    (c.volumeMounts ?? []).forEach((m: Any, i: number) => {
      for (const f of ['subPath', 'subPathExpr'])
        if (m[f])
          out.push(fieldErr.forbidden(`${path}.volumeMounts[${i}].${f}`, 'cannot be set for an Ephemeral Container'));
    });
    return;
  }
  checkProbe(`${path}.livenessProbe`, c.livenessProbe, 'liveness', out);
  checkProbe(`${path}.readinessProbe`, c.readinessProbe, 'readiness', out);
  checkProbe(`${path}.startupProbe`, c.startupProbe, 'startup', out);
  if (kind === 'init' && c.restartPolicy !== 'Always') {
    for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe'])
      if (c[f])
        out.push(fieldErr.forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
  }
}

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'secret',
  'configMap',
  'persistentVolumeClaim',
  'projected',
  'downwardAPI',
  'nfs',
  'csi',
  'ephemeral',
  'image',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'azureDisk',
  'vsphereVolume',
  'quobyte',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/** Validates a PodSpec (pods and pod templates), with field paths under `path`. */
export function checkPodSpec(path: string, spec: Any, out: StatusCause[], opts: { template?: boolean } = {}): void {
  if (!spec || typeof spec !== 'object') {
    out.push(fieldErr.required(path));
    return;
  }
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v: Any, i: number) => {
    const vp = `${path}.volumes[${i}]`;
    if (!v.name) out.push(fieldErr.required(`${vp}.name`));
    else {
      checkDnsLabel(`${vp}.name`, v.name, out);
      if (volumes.has(v.name)) out.push(fieldErr.duplicate(`${vp}.name`, v.name));
      volumes.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length === 0) out.push(fieldErr.required(vp, 'must specify a volume type'));
    else if (sources.length > 1)
      out.push(fieldErr.forbidden(`${vp}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.hostPath && !v.hostPath.path) out.push(fieldErr.required(`${vp}.hostPath.path`));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName)
      out.push(fieldErr.required(`${vp}.persistentVolumeClaim.claimName`));
  });
  const names = new Set<string>();
  const dup = (p: string, c: Any): void => {
    if (!c.name) return;
    if (names.has(c.name)) out.push(fieldErr.duplicate(`${p}.name`, c.name));
    names.add(c.name);
  };
  (spec.initContainers ?? []).forEach((c: Any, i: number) => {
    checkContainer(`${path}.initContainers[${i}]`, c, volumes, 'init', out);
    checkVolumeDevices(`${path}.initContainers[${i}]`, c, spec, out);
    dup(`${path}.initContainers[${i}]`, c);
  });
  if (!Array.isArray(spec.containers) || spec.containers.length === 0)
    out.push(fieldErr.required(`${path}.containers`));
  else
    spec.containers.forEach((c: Any, i: number) => {
      checkContainer(`${path}.containers[${i}]`, c, volumes, 'container', out);
      checkVolumeDevices(`${path}.containers[${i}]`, c, spec, out);
      dup(`${path}.containers[${i}]`, c);
    });
  if (spec.ephemeralContainers?.length && !opts.template) {
    out.push(fieldErr.forbidden(`${path}.ephemeralContainers`, 'cannot be set on create'));
  }
  if (spec.restartPolicy && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy))
    out.push(fieldErr.notSupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  if (spec.dnsPolicy && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(spec.dnsPolicy))
    out.push(
      fieldErr.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, [
        'ClusterFirstWithHostNet',
        'ClusterFirst',
        'Default',
        'None',
      ]),
    );
  if (spec.activeDeadlineSeconds !== undefined)
    inRange(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 1, 2147483647, out);
  checkSleepActions(path, spec, out);
  if (spec.hostNetwork) checkHostNetworkPorts(path, spec, out);
  checkPodOS(path, spec, out);
  checkPodDetails(path, spec, out);
  if (spec.serviceAccountName) checkSubdomain(`${path}.serviceAccountName`, spec.serviceAccountName, out);
  (spec.tolerations ?? []).forEach((t: Any, i: number) => {
    if (t.operator && !['Exists', 'Equal'].includes(t.operator))
      out.push(fieldErr.notSupported(`${path}.tolerations[${i}].operator`, t.operator, ['Equal', 'Exists']));
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))
      out.push(
        fieldErr.notSupported(`${path}.tolerations[${i}].effect`, t.effect, [
          'NoExecute',
          'NoSchedule',
          'PreferNoSchedule',
        ]),
      );
  });
}

/**
 * ValidateVolumeMounts and ValidateVolumeDevices, for what checkContainer leaves out: each mountPath once; a raw block
 * device names a PersistentVolumeClaim or generic ephemeral volume of the pod (no other volume source can back one),
 * once, at a unique path without `..`; and no volume, nor path, is both mounted and a device in one container.
 */
function checkVolumeDevices(path: string, c: Any, spec: Any, out: StatusCause[]): void {
  const sources = new Map<string, Any>((spec.volumes ?? []).map((v: Any) => [v.name, v]));
  const mounts: Any[] = c.volumeMounts ?? [];
  const devices: Any[] = c.volumeDevices ?? [];
  const mountPaths = new Set<string>();
  mounts.forEach((m: Any, i: number) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (mountPaths.has(m.mountPath)) out.push(fieldErr.invalid(`${mp}.mountPath`, m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
    if (devices.some((d) => d.name === m.name))
      out.push(fieldErr.invalid(`${mp}.name`, m.name, 'must not already exist in volumeDevices'));
    if (devices.some((d) => d.devicePath === m.mountPath))
      out.push(fieldErr.invalid(`${mp}.mountPath`, m.mountPath, 'must not already exist as a path in volumeDevices'));
  });
  const names = new Set<string>();
  const paths = new Set<string>();
  devices.forEach((d: Any, i: number) => {
    const dp = `${path}.volumeDevices[${i}]`;
    const name: string = d.name ?? '';
    const devicePath: string = d.devicePath ?? '';
    const volume = sources.get(name);
    if (!name) out.push(fieldErr.required(`${dp}.name`));
    if (names.has(name)) out.push(fieldErr.invalid(`${dp}.name`, name, 'must be unique'));
    if (volume && !volume.persistentVolumeClaim && !volume.ephemeral)
      out.push(
        fieldErr.invalid(
          `${dp}.name`,
          name,
          'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
        ),
      );
    if (!volume) out.push(fieldErr.notFound(`${dp}.name`, name));
    if (!devicePath) out.push(fieldErr.required(`${dp}.devicePath`));
    if (paths.has(devicePath)) out.push(fieldErr.invalid(`${dp}.devicePath`, devicePath, 'must be unique'));
    if (devicePath.split('/').includes('..'))
      out.push(fieldErr.invalid(`${dp}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.some((m) => m.name === name))
      out.push(fieldErr.invalid(`${dp}.name`, name, 'must not already exist in volumeMounts'));
    if (mounts.some((m) => m.mountPath === devicePath))
      out.push(fieldErr.invalid(`${dp}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
}

/**
 * validateSleepAction: a lifecycle sleep may not be negative nor longer than terminationGracePeriodSeconds (the
 * defaulted value; a pod without one is skipped, as its own error is reported elsewhere).
 */
function checkSleepActions(path: string, spec: Any, out: StatusCause[]): void {
  const grace = spec.terminationGracePeriodSeconds;
  if (typeof grace !== 'number') return;
  const visit = (kind: string, list: Any[] | undefined) =>
    (list ?? []).forEach((c: Any, i: number) => {
      for (const hook of ['postStart', 'preStop']) {
        const seconds = c.lifecycle?.[hook]?.sleep?.seconds;
        if (typeof seconds === 'number' && (seconds < 0 || seconds > grace))
          out.push(
            fieldErr.invalid(
              `${path}.${kind}[${i}].lifecycle.${hook}.sleep`,
              seconds,
              `must be non-negative and less than terminationGracePeriodSeconds (${grace})`,
            ),
          );
      }
    });
  visit('initContainers', spec.initContainers);
  visit('containers', spec.containers);
}

/** validateHostNetwork: on the host network a declared hostPort is the containerPort (defaulting makes it so). */
function checkHostNetworkPorts(path: string, spec: Any, out: StatusCause[]): void {
  const visit = (kind: string, list: Any[] | undefined) =>
    (list ?? []).forEach((c: Any, i: number) => {
      (c.ports ?? []).forEach((p: Any, j: number) => {
        if (p.hostPort !== undefined && p.hostPort !== p.containerPort)
          out.push(
            fieldErr.invalid(
              `${path}.${kind}[${i}].ports[${j}].hostPort`,
              p.hostPort,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
      });
    });
  visit('initContainers', spec.initContainers);
  visit('containers', spec.containers);
}

/** Pod-level securityContext fields validateWindows forbids on a Windows pod. */
const WINDOWS_FORBIDDEN_POD = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'supplementalGroupsPolicy',
  'fsGroup',
  'fsGroupChangePolicy',
  'sysctls',
  'seLinuxChangePolicy',
];
/** Container securityContext fields validateWindows forbids on a Windows pod. */
const WINDOWS_FORBIDDEN_CONTAINER = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];

/**
 * validateOS: `spec.os.name` is linux or windows. A Windows pod may not set the Linux-only securityContext fields
 * ("cannot be set for a windows pod"); a Linux pod may not set windowsOptions.
 */
function checkPodOS(path: string, spec: Any, out: StatusCause[]): void {
  const os = spec.os?.name;
  if (os === undefined) return;
  if (os !== 'linux' && os !== 'windows') {
    out.push(fieldErr.notSupported(`${path}.os.name`, os, ['linux', 'windows']));
    return;
  }
  const forbid = (field: string) =>
    out.push(
      fieldErr.forbidden(
        field,
        os === 'windows' ? 'cannot be set for a windows pod' : 'windows options cannot be set for a linux pod',
      ),
    );
  const podSc = spec.securityContext ?? {};
  const containers: [string, Any][] = [
    ...(spec.initContainers ?? []).map((c: Any, i: number): [string, Any] => [`${path}.initContainers[${i}]`, c]),
    ...(spec.containers ?? []).map((c: Any, i: number): [string, Any] => [`${path}.containers[${i}]`, c]),
  ];
  if (os === 'windows') {
    for (const f of WINDOWS_FORBIDDEN_POD) {
      const v = podSc[f];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
        forbid(`${path}.securityContext.${f}`);
    }
    for (const [p, c] of containers)
      for (const f of WINDOWS_FORBIDDEN_CONTAINER)
        if (c.securityContext?.[f] !== undefined && c.securityContext[f] !== null) forbid(`${p}.securityContext.${f}`);
  } else {
    if (podSc.windowsOptions) forbid(`${path}.securityContext.windowsOptions`);
    for (const [p, c] of containers)
      if (c.securityContext?.windowsOptions) forbid(`${p}.securityContext.windowsOptions`);
  }
}

function selectorMatches(sel: Any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = e.key in labels;
    const val = labels[e.key];
    if (e.operator === 'In' && !(has && e.values?.includes(val))) return false;
    if (e.operator === 'NotIn' && has && e.values?.includes(val)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const goMap = (m: Record<string, string>): string =>
  `map[string]string{${Object.entries(m)
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(', ')}}`;

function checkWorkload(resource: string, o: Any, out: StatusCause[]): void {
  const s = o.spec;
  if (!s) {
    out.push(fieldErr.required('spec'));
    return;
  }
  const tmplLabels = s.template?.metadata?.labels ?? {};
  if (!s.selector) out.push(fieldErr.required('spec.selector'));
  else if (!Object.keys(s.selector.matchLabels ?? {}).length && !(s.selector.matchExpressions ?? []).length)
    out.push(fieldErr.invalid('spec.selector', s.selector, 'empty selector is invalid for deployment'));
  else if (!selectorMatches(s.selector, tmplLabels))
    out.push(
      fieldErr.invalidRaw(
        'spec.template.metadata.labels',
        goMap(tmplLabels),
        '`selector` does not match template `labels`',
      ),
    );
  if (!s.template) out.push(fieldErr.required('spec.template'));
  else checkPodSpec('spec.template.spec', s.template.spec, out, { template: true });
  const rp = s.template?.spec?.restartPolicy;
  if (resource === 'jobs') {
    if (rp !== 'Never' && rp !== 'OnFailure')
      out.push(fieldErr.notSupported('spec.template.spec.restartPolicy', rp ?? '', ['OnFailure', 'Never']));
  } else if (rp && rp !== 'Always') out.push(fieldErr.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (typeof s.replicas === 'number' && s.replicas < 0)
    out.push(fieldErr.invalid('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
}

/** Field errors of a new object (after defaulting), as the type's create validation finds them. */
export function validateCreate(resource: string, o: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  checkMeta(resource, o.metadata ?? {}, out);
  switch (resource) {
    case 'pods': {
      const mirror = o.metadata?.annotations?.['kubernetes.io/config.mirror'];
      if (mirror !== undefined && !o.spec?.nodeName)
        out.push(
          fieldErr.invalid(
            'metadata.annotations[kubernetes.io/config.mirror]',
            mirror,
            'must set spec.nodeName if mirror pod annotation is set',
          ),
        );
      checkPodSpec('spec', o.spec, out);
      break;
    }
    case 'deployments':
    case 'replicasets':
    case 'statefulsets':
    case 'daemonsets':
      checkWorkload(resource, o, out);
      break;
    case 'jobs':
      // The job controller's generated selector always matches; only a manual one is checked.
      checkWorkload(resource, o, out);
      break;
    case 'services': {
      const s = o.spec ?? {};
      if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(s.type))
        out.push(fieldErr.notSupported('spec.type', s.type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
      if (s.type !== 'ExternalName' && s.clusterIP !== 'None' && !(s.ports ?? []).length)
        out.push(fieldErr.required('spec.ports'));
      (s.ports ?? []).forEach((p: Any, i: number) => {
        if (!p.port) out.push(fieldErr.required(`spec.ports[${i}].port`));
        else inRange(`spec.ports[${i}].port`, p.port, 1, 65535, out);
        if (s.ports.length > 1 && !p.name) out.push(fieldErr.required(`spec.ports[${i}].name`));
      });
      break;
    }
    case 'events':
      if (o.involvedObject?.namespace && o.involvedObject.namespace !== o.metadata.namespace)
        out.push(
          fieldErr.invalid('involvedObject.namespace', o.involvedObject.namespace, 'does not match event.namespace'),
        );
      if (!o.reason && !o.reportingComponent) {
        /* core/v1 events tolerate a missing reason */
      }
      break;
    case 'priorityclasses':
      if (typeof o.value !== 'number') out.push(fieldErr.required('value'));
      if (o.metadata?.name?.startsWith('system-') && !SYSTEM_CLASS_NAMES.includes(o.metadata.name))
        out.push(
          fieldErr.forbidden(
            'metadata.name',
            "priority class names with 'system-' prefix are reserved for system use only",
          ),
        );
      break;
    case 'runtimeclasses':
      if (!o.handler) out.push(fieldErr.required('handler'));
      else checkDnsLabel('handler', o.handler, out);
      break;
    case 'configmaps':
    case 'secrets':
      for (const k of Object.keys(o.data ?? {}))
        if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253)
          out.push(
            fieldErr.invalid(
              `data[${k}]`,
              k,
              "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ),
          );
      break;
  }
  return out;
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Field errors of an update of `old` into `next` (immutable fields), after the type's create-time checks. */
export function validateUpdate(resource: string, old: KubeObject, next: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  checkMeta(resource, next.metadata, out);
  if (resource === 'pods') {
    const os = old.spec;
    const ns = next.spec ?? {};
    (ns.containers ?? []).forEach((c: Any, i: number) => {
      if (!c.image) out.push(fieldErr.required(`spec.containers[${i}].image`));
    });
    (ns.initContainers ?? []).forEach((c: Any, i: number) => {
      if (!c.image) out.push(fieldErr.required(`spec.initContainers[${i}].image`));
    });
    if (os.activeDeadlineSeconds !== undefined) {
      if (ns.activeDeadlineSeconds === undefined)
        out.push(
          fieldErr.invalid(
            'spec.activeDeadlineSeconds',
            'null',
            'must not update from a positive integer to nil value',
          ),
        );
      else if (ns.activeDeadlineSeconds > os.activeDeadlineSeconds)
        out.push(
          fieldErr.invalid(
            'spec.activeDeadlineSeconds',
            ns.activeDeadlineSeconds,
            'must be less than or equal to previous value',
          ),
        );
    } else if (ns.activeDeadlineSeconds !== undefined)
      inRange('spec.activeDeadlineSeconds', ns.activeDeadlineSeconds, 1, 2147483647, out);
    // Everything else in the spec is frozen: compare with the mutable fields copied across.
    const mutable = structuredClone(os);
    (mutable.containers ?? []).forEach((c: Any, i: number) => {
      if (ns.containers?.[i]) c.image = ns.containers[i].image;
    });
    (mutable.initContainers ?? []).forEach((c: Any, i: number) => {
      if (ns.initContainers?.[i]) c.image = ns.initContainers[i].image;
    });
    mutable.activeDeadlineSeconds = ns.activeDeadlineSeconds;
    const oldTol: Any[] = os.tolerations ?? [];
    const newTol: Any[] = ns.tolerations ?? [];
    if (oldTol.every((t) => newTol.some((u) => isDeepStrictEqual(t, u)))) mutable.tolerations = ns.tolerations;
    if ((os.terminationGracePeriodSeconds ?? 0) < 0 && ns.terminationGracePeriodSeconds === 1)
      mutable.terminationGracePeriodSeconds = 1;
    if ((ns.schedulingGates ?? []).every((g: Any) => (os.schedulingGates ?? []).some((h: Any) => h.name === g.name)))
      mutable.schedulingGates = ns.schedulingGates;
    const strip = (s: Any): Any => JSON.parse(JSON.stringify({ ...s, activeDeadlineSeconds: s.activeDeadlineSeconds }));
    if (!isDeepStrictEqual(strip(mutable), strip(ns))) out.push(fieldErr.forbidden('spec', POD_UPDATE_FORBIDDEN));
  }
  if (['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(resource)) {
    checkWorkload(resource, next, out);
    if (!isDeepStrictEqual(old.spec?.selector, next.spec?.selector))
      out.push(fieldErr.invalid('spec.selector', next.spec?.selector, 'field is immutable'));
  }
  if (resource === 'jobs') {
    if (!isDeepStrictEqual(old.spec?.selector, next.spec?.selector))
      out.push(fieldErr.invalid('spec.selector', next.spec?.selector, 'field is immutable'));
    if (!isDeepStrictEqual(old.spec?.template, next.spec?.template))
      out.push(fieldErr.invalid('spec.template', next.spec?.template, 'field is immutable'));
  }
  if ((resource === 'configmaps' || resource === 'secrets') && old.immutable === true) {
    if (!isDeepStrictEqual(old.data, next.data))
      out.push(fieldErr.forbidden('data', 'field is immutable when `immutable` is set'));
    if (next.immutable !== true)
      out.push(fieldErr.forbidden('immutable', 'field is immutable when `immutable` is set'));
  }
  if (
    resource === 'services' &&
    old.spec?.clusterIP &&
    old.spec.clusterIP !== next.spec?.clusterIP &&
    old.spec.type !== 'ExternalName'
  )
    out.push(fieldErr.invalid('spec.clusterIPs[0]', next.spec?.clusterIP ?? '', 'may not change once set'));
  return out;
}

/**
 * Field errors of an ephemeralcontainers update, as ValidatePodEphemeralContainersUpdate: a static pod's mirror takes
 * none; existing ones are frozen (never removed, never changed); new ones are checked as containers with the
 * ephemeral allowlist, a name unique across every container of the pod, and a target that is a regular or init
 * container.
 */
export function validateEphemeral(old: KubeObject, next: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  // kubernetes#113935: static pods do not support ephemeral containers.
  if (old.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined)
    return [fieldErr.forbidden('', 'static pods do not support ephemeral containers')];
  const before: Any[] = old.spec.ephemeralContainers ?? [];
  const after: Any[] = next.spec.ephemeralContainers ?? [];
  for (const e of before) {
    const now = after.find((a) => a.name === e.name);
    if (!now)
      out.push(
        fieldErr.forbidden('spec.ephemeralContainers', `existing ephemeral containers "${e.name}" may not be removed`),
      );
    else if (!isDeepStrictEqual(now, e))
      out.push(
        // The API server names the list, not an index: a patch does not keep their order.
        fieldErr.forbidden('spec.ephemeralContainers', `existing ephemeral containers "${e.name}" may not be changed`),
      );
  }
  const volumes = new Set<string>((old.spec.volumes ?? []).map((v: Any) => v.name));
  const taken = new Set<string>(
    [...(old.spec.containers ?? []), ...(old.spec.initContainers ?? [])].map((c: Any) => c.name),
  );
  const regular = new Set<string>(
    [...(old.spec.containers ?? []), ...(old.spec.initContainers ?? [])].map((c: Any) => c.name),
  );
  after.forEach((c, i) => {
    const p = `spec.ephemeralContainers[${i}]`;
    if (before.some((b) => b.name === c.name)) {
      taken.add(c.name);
      return;
    }
    checkContainer(p, c, volumes, 'ephemeral', out);
    if (c.name && taken.has(c.name)) out.push(fieldErr.duplicate(`${p}.name`, c.name));
    taken.add(c.name);
    if (c.targetContainerName && !regular.has(c.targetContainerName))
      out.push(fieldErr.notFound(`${p}.targetContainerName`, c.targetContainerName));
  });
  return out;
}
