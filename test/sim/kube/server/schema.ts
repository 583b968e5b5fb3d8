/**
 * Known fields of the served types, enough for the apiserver's strict decoding: a field not listed here is an
 * unknown field (`fieldValidation=Strict` → 400; otherwise dropped, with a Warning header under `Warn`).
 * 's' string, 'i' integer, 'b' boolean, 'q' int-or-string, 'Q' resource.Quantity, 'm' map of strings, 'x' anything (not
 * checked deeper), an object literal a struct, a one-element array a list, `{ '*': T }` a map of T.
 */
export type FieldType = 's' | 'i' | 'b' | 'q' | 'Q' | 'm' | 'x' | FieldType[] | { [field: string]: FieldType };

const ownerReference = {
  apiVersion: 's',
  kind: 's',
  name: 's',
  uid: 's',
  controller: 'b',
  blockOwnerDeletion: 'b',
} as const;
const objectMeta: FieldType = {
  name: 's',
  generateName: 's',
  namespace: 's',
  selfLink: 's',
  uid: 's',
  resourceVersion: 's',
  generation: 'i',
  creationTimestamp: 's',
  deletionTimestamp: 's',
  deletionGracePeriodSeconds: 'i',
  labels: 'm',
  annotations: 'm',
  ownerReferences: [ownerReference],
  finalizers: ['s'],
  managedFields: ['x'],
};
const keyRef = { name: 's', key: 's', optional: 'b' } as const;
const execAction: FieldType = { command: ['s'] };
const httpGet: FieldType = { path: 's', port: 'q', host: 's', scheme: 's', httpHeaders: [{ name: 's', value: 's' }] };
const tcpSocket = { port: 'q', host: 's' } as const;
const probe: FieldType = {
  exec: execAction,
  httpGet,
  tcpSocket,
  grpc: { port: 'i', service: 's' },
  initialDelaySeconds: 'i',
  timeoutSeconds: 'i',
  periodSeconds: 'i',
  successThreshold: 'i',
  failureThreshold: 'i',
  terminationGracePeriodSeconds: 'i',
};
const handler: FieldType = { exec: execAction, httpGet, tcpSocket, sleep: { seconds: 'i' } };
const seLinuxOptions = { user: 's', role: 's', type: 's', level: 's' } as const;
const profile = { type: 's', localhostProfile: 's' } as const;
const securityContext: FieldType = {
  capabilities: { add: ['s'], drop: ['s'] },
  privileged: 'b',
  seLinuxOptions,
  windowsOptions: 'x',
  runAsUser: 'i',
  runAsGroup: 'i',
  runAsNonRoot: 'b',
  readOnlyRootFilesystem: 'b',
  allowPrivilegeEscalation: 'b',
  procMount: 's',
  seccompProfile: profile,
  appArmorProfile: profile,
};
const containerFields: { [f: string]: FieldType } = {
  name: 's',
  image: 's',
  command: ['s'],
  args: ['s'],
  workingDir: 's',
  ports: [{ name: 's', hostPort: 'i', containerPort: 'i', protocol: 's', hostIP: 's' }],
  envFrom: [{ prefix: 's', configMapRef: { name: 's', optional: 'b' }, secretRef: { name: 's', optional: 'b' } }],
  env: [
    {
      name: 's',
      value: 's',
      valueFrom: {
        fieldRef: { apiVersion: 's', fieldPath: 's' },
        resourceFieldRef: { containerName: 's', resource: 's', divisor: 'Q' },
        configMapKeyRef: keyRef,
        secretKeyRef: keyRef,
      },
    },
  ],
  resources: { limits: { '*': 'Q' }, requests: { '*': 'Q' }, claims: [{ name: 's', request: 's' }] },
  resizePolicy: [{ resourceName: 's', restartPolicy: 's' }],
  restartPolicy: 's',
  volumeMounts: [
    {
      name: 's',
      readOnly: 'b',
      recursiveReadOnly: 's',
      mountPath: 's',
      subPath: 's',
      mountPropagation: 's',
      subPathExpr: 's',
    },
  ],
  volumeDevices: [{ name: 's', devicePath: 's' }],
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: { postStart: handler, preStop: handler, stopSignal: 's' },
  terminationMessagePath: 's',
  terminationMessagePolicy: 's',
  imagePullPolicy: 's',
  securityContext,
  stdin: 'b',
  stdinOnce: 'b',
  tty: 'b',
};
const keyToPath: FieldType = [{ key: 's', path: 's', mode: 'i' }];
const volume: FieldType = {
  name: 's',
  hostPath: { path: 's', type: 's' },
  emptyDir: { medium: 's', sizeLimit: 'Q' },
  secret: { secretName: 's', items: keyToPath, defaultMode: 'i', optional: 'b' },
  configMap: { name: 's', items: keyToPath, defaultMode: 'i', optional: 'b' },
  persistentVolumeClaim: { claimName: 's', readOnly: 'b' },
  projected: { sources: ['x'], defaultMode: 'i' },
  downwardAPI: 'x',
  nfs: 'x',
  csi: 'x',
  ephemeral: 'x',
  image: 'x',
  gcePersistentDisk: 'x',
  awsElasticBlockStore: 'x',
  gitRepo: 'x',
  iscsi: 'x',
  glusterfs: 'x',
  rbd: 'x',
  flexVolume: 'x',
  cinder: 'x',
  cephfs: 'x',
  flocker: 'x',
  fc: 'x',
  azureFile: 'x',
  azureDisk: 'x',
  vsphereVolume: 'x',
  quobyte: 'x',
  photonPersistentDisk: 'x',
  portworxVolume: 'x',
  scaleIO: 'x',
  storageos: 'x',
};
const podSpec: FieldType = {
  volumes: [volume],
  initContainers: [containerFields],
  containers: [containerFields],
  ephemeralContainers: [{ ...containerFields, targetContainerName: 's' }],
  restartPolicy: 's',
  terminationGracePeriodSeconds: 'i',
  activeDeadlineSeconds: 'i',
  dnsPolicy: 's',
  nodeSelector: 'm',
  serviceAccountName: 's',
  serviceAccount: 's',
  automountServiceAccountToken: 'b',
  nodeName: 's',
  hostNetwork: 'b',
  hostPID: 'b',
  hostIPC: 'b',
  shareProcessNamespace: 'b',
  securityContext: {
    seLinuxOptions,
    windowsOptions: 'x',
    runAsUser: 'i',
    runAsGroup: 'i',
    runAsNonRoot: 'b',
    supplementalGroups: ['i'],
    supplementalGroupsPolicy: 's',
    fsGroup: 'i',
    sysctls: [{ name: 's', value: 's' }],
    fsGroupChangePolicy: 's',
    seccompProfile: profile,
    appArmorProfile: profile,
    seLinuxChangePolicy: 's',
  },
  imagePullSecrets: [{ name: 's' }],
  hostname: 's',
  subdomain: 's',
  affinity: 'x',
  schedulerName: 's',
  tolerations: [{ key: 's', operator: 's', value: 's', effect: 's', tolerationSeconds: 'i' }],
  hostAliases: [{ ip: 's', hostnames: ['s'] }],
  priorityClassName: 's',
  priority: 'i',
  dnsConfig: 'x',
  readinessGates: [{ conditionType: 's' }],
  runtimeClassName: 's',
  enableServiceLinks: 'b',
  preemptionPolicy: 's',
  overhead: { '*': 'Q' },
  topologySpreadConstraints: ['x'],
  setHostnameAsFQDN: 'b',
  os: { name: 's' },
  hostUsers: 'b',
  schedulingGates: [{ name: 's' }],
  resourceClaims: ['x'],
  resources: 'x',
};
const podTemplate: FieldType = { metadata: objectMeta, spec: podSpec };
const labelSelector: FieldType = {
  matchLabels: 'm',
  matchExpressions: [{ key: 's', operator: 's', values: ['s'] }],
};
const top = (extra: { [f: string]: FieldType }): FieldType => ({
  apiVersion: 's',
  kind: 's',
  metadata: objectMeta,
  ...extra,
});

/** The schema of each resource's objects. */
export const SCHEMAS: Record<string, FieldType> = {
  pods: top({ spec: podSpec, status: 'x' }),
  deployments: top({
    spec: {
      replicas: 'i',
      selector: labelSelector,
      template: podTemplate,
      strategy: 'x',
      minReadySeconds: 'i',
      revisionHistoryLimit: 'i',
      paused: 'b',
      progressDeadlineSeconds: 'i',
    },
    status: 'x',
  }),
  replicasets: top({
    spec: { replicas: 'i', minReadySeconds: 'i', selector: labelSelector, template: podTemplate },
    status: 'x',
  }),
  statefulsets: top({
    spec: {
      replicas: 'i',
      selector: labelSelector,
      template: podTemplate,
      volumeClaimTemplates: ['x'],
      serviceName: 's',
      podManagementPolicy: 's',
      updateStrategy: 'x',
      revisionHistoryLimit: 'i',
      minReadySeconds: 'i',
      persistentVolumeClaimRetentionPolicy: 'x',
      ordinals: 'x',
    },
    status: 'x',
  }),
  daemonsets: top({
    spec: {
      selector: labelSelector,
      template: podTemplate,
      updateStrategy: 'x',
      minReadySeconds: 'i',
      revisionHistoryLimit: 'i',
    },
    status: 'x',
  }),
  jobs: top({
    spec: {
      parallelism: 'i',
      completions: 'i',
      activeDeadlineSeconds: 'i',
      podFailurePolicy: 'x',
      successPolicy: 'x',
      backoffLimit: 'i',
      backoffLimitPerIndex: 'i',
      maxFailedIndexes: 'i',
      selector: labelSelector,
      manualSelector: 'b',
      template: podTemplate,
      ttlSecondsAfterFinished: 'i',
      completionMode: 's',
      suspend: 'b',
      podReplacementPolicy: 's',
      managedBy: 's',
    },
    status: 'x',
  }),
  services: top({
    spec: {
      ports: [{ name: 's', protocol: 's', appProtocol: 's', port: 'i', targetPort: 'q', nodePort: 'i' }],
      selector: 'm',
      clusterIP: 's',
      clusterIPs: ['s'],
      type: 's',
      externalIPs: ['s'],
      sessionAffinity: 's',
      loadBalancerIP: 's',
      loadBalancerSourceRanges: ['s'],
      externalName: 's',
      externalTrafficPolicy: 's',
      healthCheckNodePort: 'i',
      publishNotReadyAddresses: 'b',
      sessionAffinityConfig: 'x',
      ipFamilies: ['s'],
      ipFamilyPolicy: 's',
      allocateLoadBalancerNodePorts: 'b',
      loadBalancerClass: 's',
      internalTrafficPolicy: 's',
      trafficDistribution: 's',
    },
    status: 'x',
  }),
  configmaps: top({ data: 'm', binaryData: 'm', immutable: 'b' }),
  secrets: top({ data: 'm', stringData: 'm', type: 's', immutable: 'b' }),
  serviceaccounts: top({ secrets: ['x'], imagePullSecrets: [{ name: 's' }], automountServiceAccountToken: 'b' }),
  namespaces: top({ spec: { finalizers: ['s'] }, status: 'x' }),
  nodes: top({ spec: 'x', status: 'x' }),
  priorityclasses: top({ value: 'i', globalDefault: 'b', description: 's', preemptionPolicy: 's' }),
  runtimeclasses: top({
    handler: 's',
    overhead: { podFixed: 'x' },
    scheduling: { nodeSelector: 'm', tolerations: ['x'] },
  }),
  events: top({
    involvedObject: {
      kind: 's',
      namespace: 's',
      name: 's',
      uid: 's',
      apiVersion: 's',
      resourceVersion: 's',
      fieldPath: 's',
    },
    reason: 's',
    message: 's',
    source: { component: 's', host: 's' },
    firstTimestamp: 's',
    lastTimestamp: 's',
    count: 'i',
    type: 's',
    eventTime: 's',
    series: { count: 'i', lastObservedTime: 's' },
    action: 's',
    related: 'x',
    reportingComponent: 's',
    reportingInstance: 's',
  }),
  // DeleteOptions, for strict decoding of DELETE bodies.
  deleteoptions: {
    apiVersion: 's',
    kind: 's',
    gracePeriodSeconds: 'i',
    preconditions: { uid: 's', resourceVersion: 's' },
    orphanDependents: 'b',
    propagationPolicy: 's',
    dryRun: ['s'],
    ignoreStoreReadErrorWithClusterBreakingPotential: 'b',
  },
};

/** What decoding found wrong: unknown field paths (pruned from the object) and type mismatches. */
export interface DecodeProblems {
  unknown: string[];
  typeErrors: string[];
}

/** resource.Quantity's accepted forms: a decimal number with an optional SI, binary or exponent suffix. */
const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const goType: Record<string, string> = { s: 'string', i: 'int64', b: 'bool', m: 'map[string]string', q: 'IntOrString' };

/**
 * Walks `value` against `schema`, removing unknown fields in place (the apiserver drops them when decoding) and
 * recording their paths the way strict decoding names them (`spec.containers[0].foo`).
 */
export function decodeAgainst(
  value: unknown,
  schema: FieldType,
  path = '',
  out: DecodeProblems = { unknown: [], typeErrors: [] },
): DecodeProblems {
  if (value === null || value === undefined || schema === 'x') return out;
  const jsType = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
  const mismatch = (want: string): void => {
    out.typeErrors.push(`json: cannot unmarshal ${jsType} into Go struct field .${path} of type ${want}`);
  };
  if (typeof schema === 'string') {
    switch (schema) {
      case 's':
        if (typeof value !== 'string') mismatch('string');
        break;
      case 'i':
        if (typeof value !== 'number' || !Number.isInteger(value)) mismatch('int64');
        break;
      case 'b':
        if (typeof value !== 'boolean') mismatch('bool');
        break;
      case 'q':
        if (typeof value !== 'string' && typeof value !== 'number') mismatch(goType.q as string);
        break;
      case 'Q':
        if (typeof value === 'number') break;
        if (typeof value !== 'string' || !QUANTITY.test(value))
          out.typeErrors.push(
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          );
        break;
      case 'm':
        if (jsType !== 'object') mismatch('map[string]string');
        else
          for (const [k, v] of Object.entries(value as object))
            if (typeof v !== 'string' && v !== null)
              out.typeErrors.push(
                `json: cannot unmarshal ${typeof v} into Go struct field .${path}.${k} of type string`,
              );
        break;
    }
    return out;
  }
  if (Array.isArray(schema)) {
    if (!Array.isArray(value)) {
      mismatch('[]');
      return out;
    }
    const item = schema[0] as FieldType;
    value.forEach((v, i) => {
      decodeAgainst(v, item, `${path}[${i}]`, out);
    });
    return out;
  }
  if (jsType !== 'object') {
    mismatch('struct');
    return out;
  }
  const obj = value as Record<string, unknown>;
  const anyKey = schema['*'];
  for (const key of Object.keys(obj)) {
    const sub = anyKey ?? schema[key];
    const p = path ? `${path}.${key}` : key;
    if (sub === undefined) {
      out.unknown.push(p);
      delete obj[key];
    } else decodeAgainst(obj[key], sub, p, out);
  }
  return out;
}
