import { randomBytes } from 'node:crypto';
import { qosClass as kubeletQosClass } from '../kubelet/qos-class.js';
import type { KubeObject } from '../store-contract.js';

type Any = any;

/** The alphabet of generateName suffixes (apiserver's utilrand: no vowels, no confusable digits). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` + 5 random characters, as the apiserver's name generator makes. */
export function generateName(prefix: string): string {
  // The generator truncates the prefix so the result stays within 63 characters.
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  const bytes = randomBytes(5);
  let s = '';
  for (const b of bytes) s += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return base + s;
}

/** imagePullPolicy default: Always for `:latest` or an untagged image, else IfNotPresent (core/v1 defaults). */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  if (colon < 0) return 'Always';
  return lastPart.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Any): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

/** Container defaults (core/v1 SetDefaults_Container and friends). */
export function defaultContainer(c: Any): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  const r = c.resources;
  // Requests default to limits when only limits are given.
  if (r.limits) {
    r.requests ??= {};
    for (const [k, v] of Object.entries(r.limits)) r.requests[k] ??= v;
  }
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** PodSpec defaults (SetDefaults_PodSpec), also applied to workload pod templates. */
export function defaultPodSpec(spec: Any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork)
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
      for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.secret) v.secret.defaultMode ??= 420;
    if (v.configMap) v.configMap.defaultMode ??= 420;
    if (v.hostPath) v.hostPath.type ??= '';
    if (v.projected) v.projected.defaultMode ??= 420;
  }
}

/** QoS class as the apiserver computes it on create (status.qosClass): the kubelet's rule, quantities compared. */
export function qosClass(spec: Any): string {
  return kubeletQosClass({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec });
}

/** Tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
function defaultTolerations(spec: Any): void {
  const t: Any[] = spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!t.some((x) => x.key === key || (x.operator === 'Exists' && !x.key)))
      t.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = t;
}

/** Extra state the defaulting of some resources needs. */
export interface DefaultingContext {
  now: string;
  /** The next free ClusterIP for a Service. */
  allocateClusterIP(): string;
}

/** Applies the server-side defaults of a new object of `resource` in place. */
export function applyCreateDefaults(resource: string, o: KubeObject, ctx: DefaultingContext): void {
  const md = o.metadata;
  switch (resource) {
    case 'pods':
      defaultPodSpec(o.spec);
      defaultTolerations(o.spec);
      // priority and preemptionPolicy come from the Priority admission plugin (pod-admission.ts).
      // Status is the kubelet's: whatever the client sent is discarded on create.
      o.status = { phase: 'Pending', qosClass: qosClass(o.spec) };
      break;
    case 'deployments':
      o.spec.replicas ??= 1;
      o.spec.strategy ??= { type: 'RollingUpdate' };
      if (o.spec.strategy.type === 'RollingUpdate')
        o.spec.strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.progressDeadlineSeconds ??= 600;
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'replicasets':
      o.spec.replicas ??= 1;
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'statefulsets':
      o.spec.replicas ??= 1;
      o.spec.podManagementPolicy ??= 'OrderedReady';
      o.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      o.spec.revisionHistoryLimit ??= 10;
      o.spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'daemonsets':
      o.spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      o.spec.revisionHistoryLimit ??= 10;
      defaultPodSpec(o.spec.template?.spec);
      break;
    case 'jobs': {
      const s = o.spec;
      s.parallelism ??= 1;
      s.completions ??= 1;
      s.backoffLimit ??= 6;
      s.completionMode ??= 'NonIndexed';
      s.suspend ??= false;
      s.podReplacementPolicy ??= 'TerminatingOrFailed';
      // The job controller's selector: pods carry the job's uid (the uid is assigned here, before the store's).
      if (!s.manualSelector && md.uid) {
        const labels = {
          'batch.kubernetes.io/controller-uid': md.uid,
          'batch.kubernetes.io/job-name': md.name,
          'controller-uid': md.uid,
          'job-name': md.name,
        };
        s.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': md.uid } };
        s.template.metadata ??= {};
        s.template.metadata.labels = { ...labels, ...(s.template.metadata.labels ?? {}) };
      }
      defaultPodSpec(s.template?.spec);
      break;
    }
    case 'services': {
      const s = o.spec;
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      if (s.type !== 'ExternalName') {
        if (s.clusterIP === undefined || s.clusterIP === '') s.clusterIP = ctx.allocateClusterIP();
        s.clusterIPs ??= [s.clusterIP];
        s.ipFamilies ??= ['IPv4'];
        s.ipFamilyPolicy ??= 'SingleStack';
        s.internalTrafficPolicy ??= 'Cluster';
      }
      for (const p of s.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      o.status = { loadBalancer: {} };
      break;
    }
    case 'namespaces':
      o.spec = { finalizers: ['kubernetes'], ...(o.spec ?? {}) };
      o.status = { phase: 'Active' };
      md.labels = { ...(md.labels ?? {}), 'kubernetes.io/metadata.name': md.name };
      break;
    case 'secrets':
      o.type ??= 'Opaque';
      if (o.stringData) {
        o.data ??= {};
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
        delete o.stringData;
      }
      break;
  }
  if (['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs'].includes(resource)) {
    md.generation = 1;
    o.status ??= {};
  }
}
