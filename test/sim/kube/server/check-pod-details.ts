import { parseQuantity } from '../kubelet/quantity.js';
import { fieldErr, type StatusCause } from './status.js';

// Pod validation rules of kube-apiserver (pkg/apis/core/validation) that a copied or rebuilt pod can break, each
// found missing by comparing the simulator's verdict with a real kube-apiserver's (test/control-plane/
// clone-corpus.test.ts), with its field path and wording.

type Any = any;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** Paths an env fieldRef may convert (pods.ConvertDownwardAPIFieldLabel), and those env may read. */
const CONVERTIBLE_FIELDS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const ENV_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** validateLocalDescendingPath: relative, and no `..` element. */
function checkDescendingPath(field: string, p: string, out: StatusCause[]): void {
  if (p.startsWith('/')) out.push(fieldErr.invalid(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) out.push(fieldErr.invalid(field, p, "must not contain '..'"));
}

/** validateObjectFieldSelector for an env var: a path the API server can convert, and one env may read. */
function checkEnvFieldRef(field: string, fieldPath: string, apiVersion: string | undefined, out: StatusCause[]): void {
  if (apiVersion && apiVersion !== 'v1') {
    out.push(fieldErr.invalid(field, fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`));
    return;
  }
  const subscripted = /^(.*?)\[.*\]$/.exec(fieldPath);
  if (subscripted) {
    if (!['metadata.annotations', 'metadata.labels'].includes(subscripted[1]!))
      out.push(
        fieldErr.invalid(
          field,
          fieldPath,
          `error converting fieldPath: field label does not support subscript: ${fieldPath}`,
        ),
      );
    return;
  }
  if (!CONVERTIBLE_FIELDS.has(fieldPath))
    out.push(fieldErr.invalid(field, fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`));
  else if (!ENV_FIELDS.includes(fieldPath)) out.push(fieldErr.notSupported(field, fieldPath, ENV_FIELDS));
}

/** validateContainerPorts' name rule (IANA_SVC_NAME), with its messages. */
function checkPortName(field: string, name: string, out: StatusCause[]): void {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  for (const p of problems) out.push(fieldErr.invalid(field, name, p));
}

/** A Go SecurityContext as `%v`-style JSON in the error kube-apiserver writes: every field, in struct order. */
function printSecurityContext(sc: Any): string {
  const order = [
    'capabilities',
    'privileged',
    'seLinuxOptions',
    'windowsOptions',
    'runAsUser',
    'runAsGroup',
    'runAsNonRoot',
    'readOnlyRootFilesystem',
    'allowPrivilegeEscalation',
    'procMount',
    'seccompProfile',
    'appArmorProfile',
  ];
  const goName = (k: string) => (k === 'seLinuxOptions' ? 'SELinuxOptions' : k[0]!.toUpperCase() + k.slice(1));
  return `{${order.map((k) => `"${goName(k)}":${JSON.stringify(sc[k] ?? null)}`).join(',')}}`;
}

/** validateSeccompProfileField: a Localhost profile names its file, and only a Localhost profile does. */
function checkSeccomp(field: string, profile: Any, out: StatusCause[]): void {
  if (!profile) return;
  if (profile.type === 'Localhost' && !profile.localhostProfile)
    out.push(fieldErr.required(`${field}.localhostProfile`, 'must be set when seccomp type is Localhost'));
  if (profile.type !== 'Localhost' && profile.localhostProfile)
    out.push(
      fieldErr.invalid(
        `${field}.localhostProfile`,
        profile.localhostProfile,
        'can only be set when seccomp type is Localhost',
      ),
    );
}

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';
/** User and group ids are 0 … 2^31-1. */
function checkIds(field: string, sc: Any, keys: string[], out: StatusCause[]): void {
  for (const k of keys) {
    const v = sc?.[k];
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) out.push(fieldErr.invalid(`${field}.${k}`, v, ID_RANGE));
  }
}

function checkContainerDetails(path: string, c: Any, init: boolean, out: StatusCause[]): void {
  if (init && c.lifecycle && c.restartPolicy !== 'Always')
    out.push(
      fieldErr.forbidden(`${path}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'),
    );
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p: Any, i: number) => {
    if (!p.name) return;
    checkPortName(`${path}.ports[${i}].name`, p.name, out);
    if (portNames.has(p.name)) out.push(fieldErr.duplicate(`${path}.ports[${i}].name`, p.name));
    portNames.add(p.name);
  });
  (c.env ?? []).forEach((e: Any, i: number) => {
    const ref = e.valueFrom?.fieldRef;
    if (ref?.fieldPath)
      checkEnvFieldRef(`${path}.env[${i}].valueFrom.fieldRef.fieldPath`, ref.fieldPath, ref.apiVersion, out);
  });
  // kube-apiserver names the list, not the item, for a subPath (`volumeMounts.subPath`).
  for (const m of c.volumeMounts ?? []) {
    if (m.subPath) checkDescendingPath(`${path}.volumeMounts.subPath`, m.subPath, out);
    if (m.subPathExpr) checkDescendingPath(`${path}.volumeMounts.subPathExpr`, m.subPathExpr, out);
  }
  const sc = c.securityContext;
  if (sc?.privileged === true && sc.allowPrivilegeEscalation === false)
    out.push(
      fieldErr.invalidRaw(
        `${path}.securityContext`,
        printSecurityContext(sc),
        'cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
      ),
    );
  checkIds(`${path}.securityContext`, sc, ['runAsUser', 'runAsGroup'], out);
  checkSeccomp(`${path}.securityContext.seccompProfile`, sc?.seccompProfile, out);
}

/** The rules above, for a pod spec (or a pod template's) under `path`. */
export function checkPodDetails(path: string, spec: Any, out: StatusCause[]): void {
  for (const [i, c] of (spec.initContainers ?? []).entries())
    checkContainerDetails(`${path}.initContainers[${i}]`, c, true, out);
  for (const [i, c] of (spec.containers ?? []).entries())
    checkContainerDetails(`${path}.containers[${i}]`, c, false, out);
  (spec.volumes ?? []).forEach((v: Any, i: number) => {
    const vp = `${path}.volumes[${i}]`;
    const size = v.emptyDir?.sizeLimit;
    if (size !== undefined && (parseQuantity(size) ?? 0) < 0)
      out.push(fieldErr.forbidden(`${vp}.emptyDir.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
    for (const source of v.projected?.sources ?? []) {
      const token = source.serviceAccountToken;
      // kube-apiserver names the projection, not the source, for a token path (`projected.path`).
      if (token?.path) checkDescendingPath(`${vp}.projected.path`, token.path, out);
    }
  });
  if (spec.nodeName && (spec.nodeName.length > 253 || !DNS1123_SUBDOMAIN.test(spec.nodeName)))
    out.push(fieldErr.invalid(`${path}.nodeName`, spec.nodeName, SUBDOMAIN_MSG));
  for (const key of ['hostname', 'subdomain'])
    if (spec[key] && (spec[key].length > 63 || !DNS1123_LABEL.test(spec[key])))
      out.push(fieldErr.invalid(`${path}.${key}`, spec[key], LABEL_MSG));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig)
    out.push(fieldErr.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (spec.shareProcessNamespace === true && spec.hostPID === true)
    out.push(
      fieldErr.invalid(
        `${path}.shareProcessNamespace`,
        true,
        'ShareProcessNamespace and HostPID cannot both be enabled',
      ),
    );
  checkIds(`${path}.securityContext`, spec.securityContext, ['runAsUser', 'runAsGroup', 'fsGroup'], out);
  checkSeccomp(`${path}.securityContext.seccompProfile`, spec.securityContext?.seccompProfile, out);
  (spec.tolerations ?? []).forEach((t: Any, i: number) => {
    if (t.operator === 'Exists' && t.value)
      out.push(
        fieldErr.invalid(
          `${path}.tolerations[${i}].operator`,
          t.value,
          "value must be empty when `operator` is 'Exists'",
        ),
      );
  });
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms?.length)
    out.push(
      fieldErr.required(
        `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`,
        'must have at least one node selector term',
      ),
    );
  (spec.topologySpreadConstraints ?? []).forEach((t: Any, i: number) => {
    if (typeof t.maxSkew === 'number' && t.maxSkew <= 0)
      out.push(
        fieldErr.invalid(`${path}.topologySpreadConstraints[${i}].maxSkew`, t.maxSkew, 'must be greater than zero'),
      );
  });
}
