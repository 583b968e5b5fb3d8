import type { KubeObject } from '../store-contract.js';

type Any = any;

/** apimachinery's duration.HumanDuration: the AGE column format. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const since = (ts: string | undefined, now: number): string => (ts ? humanDuration(now - Date.parse(ts)) : '<unknown>');

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const col = (name: string, priority = 0, type = 'string', format = '', description = ''): Column => ({
  name,
  type,
  format,
  description,
  priority,
});

const isRestartableInit = (c: Any): boolean => c?.restartPolicy === 'Always';

/** The STATUS, READY and RESTARTS cells kubectl shows for a pod (kubernetes pkg/printers/internalversion printPod). */
export function podRow(pod: Any, now: number): Any[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const inits = new Map<string, Any>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }
  const finished = (cs: Any): number => {
    const t = cs.lastState?.terminated?.finishedAt;
    return t ? Date.parse(t) : 0;
  };
  let initializing = false;
  const initStatuses: Any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finished(c));
    const restartable = isRestartableInit(inits.get(c.name));
    if (restartable) {
      restartableInitRestarts += c.restartCount ?? 0;
      lastRestartableInitRestart = Math.max(lastRestartableInitRestart, finished(c));
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some((c: Any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: Any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finished(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: Any) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartsStr =
    restarts !== 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  let readinessGates = '<none>';
  if ((spec.readinessGates ?? []).length) {
    const ok = spec.readinessGates.filter((g: Any) =>
      (status.conditions ?? []).some((c: Any) => c.type === g.conditionType && c.status === 'True'),
    ).length;
    readinessGates = `${ok}/${spec.readinessGates.length}`;
  }
  return [
    pod.metadata.name,
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsStr,
    since(pod.metadata.creationTimestamp, now),
    status.podIPs?.[0]?.ip || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

const POD_COLUMNS = [
  col('Name', 0, 'string', 'name', 'Name must be unique within a namespace.'),
  col('Ready', 0, 'string', '', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 0, 'string', '', 'The aggregate status of the containers in this pod.'),
  col(
    'Restarts',
    0,
    'string',
    '',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  col(
    'Age',
    0,
    'string',
    '',
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  ),
  col(
    'IP',
    1,
    'string',
    '',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  ),
  col(
    'Node',
    1,
    'string',
    '',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
  ),
  col(
    'Nominated Node',
    1,
    'string',
    '',
    'nominatedNodeName is set only when this pod preempts other pods on the node.',
  ),
  col('Readiness Gates', 1, 'string', '', 'If specified, all readiness gates will be evaluated for pod readiness.'),
];

const EVENT_COLUMNS = [
  col('Last Seen', 0),
  col('Type', 0),
  col('Reason', 0),
  col('Object', 0),
  col('Subobject', 1),
  col('Source', 1),
  col('Message', 0),
  col('First Seen', 1),
  col('Count', 1, 'integer'),
  col('Name', 1),
];

function eventRow(e: Any, now: number): Any[] {
  let first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  if (!e.firstTimestamp && !e.eventTime) first = '<unknown>';
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = e.series.count;
  } else if (count === 0) count = 1;
  const kind = String(e.involvedObject?.kind ?? '').toLowerCase();
  const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  const source = host ? `${component}, ${host}` : component;
  return [
    last,
    e.type ?? '',
    e.reason ?? '',
    target,
    e.involvedObject?.fieldPath ?? '',
    source,
    String(e.message ?? '').trim(),
    first,
    count,
    e.metadata.name,
  ];
}

const DEFAULT_COLUMNS = [
  col('Name', 0, 'string', 'name', 'Name must be unique within a namespace.'),
  col(
    'Age',
    0,
    'string',
    '',
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  ),
];

function defaultRow(o: Any, now: number): Any[] {
  return [o.metadata.name, since(o.metadata.creationTimestamp, now)];
}

const NAMESPACE_COLUMNS = [DEFAULT_COLUMNS[0] as Column, col('Status', 0), DEFAULT_COLUMNS[1] as Column];

const int = (v: unknown): number => (typeof v === 'number' ? v : 0);
const NONE = '<none>';

/** metav1.FormatLabelSelector. */
function formatSelector(sel: Any): string {
  if (!sel) return NONE;
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator as string] ?? e.operator;
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : NONE;
}

function containersAndImages(tmpl: Any): [string, string] {
  const cs: Any[] = tmpl?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

const workloadWide = [col('Containers', 1), col('Images', 1), col('Selector', 1)];

function nodeStatus(n: Any): string {
  const ready = (n.status?.conditions ?? []).find((c: Any) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  if (n.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(n: Any): string {
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  if (n.metadata?.labels?.['kubernetes.io/role']) roles.push(n.metadata.labels['kubernetes.io/role']);
  return roles.length ? roles.sort().join(',') : NONE;
}

function servicePorts(s: Any): string {
  const ports: Any[] = s.spec?.ports ?? [];
  if (!ports.length) return NONE;
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

function serviceExternalIP(s: Any): string {
  const spec = s.spec ?? {};
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? NONE;
    case 'LoadBalancer': {
      const ing: Any[] = s.status?.loadBalancer?.ingress ?? [];
      const ips = [...ing.map((i) => i.ip || i.hostname), ...(spec.externalIPs ?? [])];
      return ips.length ? ips.join(',') : '<pending>';
    }
    default:
      return spec.externalIPs?.length ? spec.externalIPs.join(',') : NONE;
  }
}

function jobStatus(j: Any): string {
  const conds: Any[] = j.status?.conditions ?? [];
  const has = (t: string): boolean => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

/** Column definitions and row cells of `resource`'s server-side Table (kubernetes pkg/printers/internalversion). */
function tableShape(resource: string): { columns: Column[]; row: (o: Any, now: number) => Any[] } {
  switch (resource) {
    case 'pods':
      return { columns: POD_COLUMNS, row: podRow };
    case 'events':
      return { columns: EVENT_COLUMNS, row: eventRow };
    case 'namespaces':
      return {
        columns: NAMESPACE_COLUMNS,
        row: (o, now) => [o.metadata.name, o.status?.phase ?? '', since(o.metadata.creationTimestamp, now)],
      };
    case 'nodes':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Status'),
          col('Roles'),
          col('Age'),
          col('Version'),
          col('Internal-IP', 1),
          col('External-IP', 1),
          col('OS-Image', 1),
          col('Kernel-Version', 1),
          col('Container-Runtime', 1),
        ],
        row: (n, now) => {
          const addr = (t: string): string =>
            (n.status?.addresses ?? []).find((a: Any) => a.type === t)?.address ?? NONE;
          const info = n.status?.nodeInfo ?? {};
          return [
            n.metadata.name,
            nodeStatus(n),
            nodeRoles(n),
            since(n.metadata.creationTimestamp, now),
            info.kubeletVersion ?? '',
            addr('InternalIP'),
            addr('ExternalIP'),
            info.osImage ?? '<unknown>',
            info.kernelVersion ?? '<unknown>',
            info.containerRuntimeVersion ?? '<unknown>',
          ];
        },
      };
    case 'deployments':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Ready'),
          col('Up-to-date', 0, 'integer'),
          col('Available', 0, 'integer'),
          col('Age'),
          ...workloadWide,
        ],
        row: (d, now) => [
          d.metadata.name,
          `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
          int(d.status?.updatedReplicas),
          int(d.status?.availableReplicas),
          since(d.metadata.creationTimestamp, now),
          ...containersAndImages(d.spec?.template),
          formatSelector(d.spec?.selector),
        ],
      };
    case 'replicasets':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Desired', 0, 'integer'),
          col('Current', 0, 'integer'),
          col('Ready', 0, 'integer'),
          col('Age'),
          ...workloadWide,
        ],
        row: (r, now) => [
          r.metadata.name,
          int(r.spec?.replicas),
          int(r.status?.replicas),
          int(r.status?.readyReplicas),
          since(r.metadata.creationTimestamp, now),
          ...containersAndImages(r.spec?.template),
          formatSelector(r.spec?.selector),
        ],
      };
    case 'statefulsets':
      return {
        columns: [col('Name', 0, 'string', 'name'), col('Ready'), col('Age'), col('Containers', 1), col('Images', 1)],
        row: (r, now) => [
          r.metadata.name,
          `${int(r.status?.readyReplicas)}/${int(r.spec?.replicas)}`,
          since(r.metadata.creationTimestamp, now),
          ...containersAndImages(r.spec?.template),
        ],
      };
    case 'daemonsets':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Desired', 0, 'integer'),
          col('Current', 0, 'integer'),
          col('Ready', 0, 'integer'),
          col('Up-to-date', 0, 'integer'),
          col('Available', 0, 'integer'),
          col('Node Selector'),
          col('Age'),
          ...workloadWide,
        ],
        row: (r, now) => {
          const ns = r.spec?.template?.spec?.nodeSelector ?? {};
          const sel =
            Object.keys(ns)
              .sort()
              .map((k) => `${k}=${ns[k]}`)
              .join(',') || NONE;
          const st = r.status ?? {};
          return [
            r.metadata.name,
            int(st.desiredNumberScheduled),
            int(st.currentNumberScheduled),
            int(st.numberReady),
            int(st.updatedNumberScheduled),
            int(st.numberAvailable),
            sel,
            since(r.metadata.creationTimestamp, now),
            ...containersAndImages(r.spec?.template),
            formatSelector(r.spec?.selector),
          ];
        },
      };
    case 'jobs':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Status'),
          col('Completions'),
          col('Duration'),
          col('Age'),
          ...workloadWide,
        ],
        row: (j, now) => {
          const start = j.status?.startTime ? Date.parse(j.status.startTime) : undefined;
          const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
          const completions =
            j.spec?.completions !== undefined
              ? `${int(j.status?.succeeded)}/${j.spec.completions}`
              : `${int(j.status?.succeeded)}/1 of ${int(j.spec?.parallelism)}`;
          return [
            j.metadata.name,
            jobStatus(j),
            completions,
            start === undefined ? '' : humanDuration(end - start),
            since(j.metadata.creationTimestamp, now),
            ...containersAndImages(j.spec?.template),
            formatSelector(j.spec?.selector),
          ];
        },
      };
    case 'services':
      return {
        columns: [
          col('Name', 0, 'string', 'name'),
          col('Type'),
          col('Cluster-IP'),
          col('External-IP'),
          col('Port(s)'),
          col('Age'),
          col('Selector', 1),
        ],
        row: (s, now) => {
          const sel = s.spec?.selector ?? {};
          const selStr =
            Object.keys(sel)
              .sort()
              .map((k) => `${k}=${sel[k]}`)
              .join(',') || NONE;
          return [
            s.metadata.name,
            s.spec?.type ?? '',
            s.spec?.clusterIP || NONE,
            serviceExternalIP(s),
            servicePorts(s),
            since(s.metadata.creationTimestamp, now),
            selStr,
          ];
        },
      };
    case 'configmaps':
      return {
        columns: [col('Name', 0, 'string', 'name'), col('Data', 0, 'integer'), col('Age')],
        row: (c, now) => [
          c.metadata.name,
          Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length,
          since(c.metadata.creationTimestamp, now),
        ],
      };
    case 'secrets':
      return {
        columns: [col('Name', 0, 'string', 'name'), col('Type'), col('Data', 0, 'integer'), col('Age')],
        row: (c, now) => [
          c.metadata.name,
          c.type ?? '',
          Object.keys(c.data ?? {}).length,
          since(c.metadata.creationTimestamp, now),
        ],
      };
    case 'serviceaccounts':
      return {
        columns: [col('Name', 0, 'string', 'name'), col('Secrets', 0, 'integer'), col('Age')],
        row: (c, now) => [c.metadata.name, (c.secrets ?? []).length, since(c.metadata.creationTimestamp, now)],
      };
    default:
      return { columns: DEFAULT_COLUMNS, row: defaultRow };
  }
}

/** How a Table row carries its object (`includeObject`): metadata only by default. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A `meta.k8s.io/v1` Table of `objects`, as `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` asks. */
export function toTable(
  resource: string,
  apiVersion: string,
  kind: string,
  objects: KubeObject[],
  now: number,
  listMeta: Record<string, unknown>,
  include: IncludeObject,
): Record<string, unknown> {
  const shape = tableShape(resource);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: shape.columns,
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: shape.row(o, now) };
      if (resource === 'pods') {
        if (o.status?.phase === 'Succeeded')
          row.conditions = [
            { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
          ];
        if (o.status?.phase === 'Failed')
          row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      }
      if (include === 'Object') row.object = { apiVersion, kind, ...o };
      else if (include === 'Metadata')
        row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    }),
  };
}
