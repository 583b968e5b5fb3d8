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

/** Column definitions and row cells of `resource`'s server-side Table. */
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
