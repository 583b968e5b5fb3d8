import type { KubeObject } from '../store-contract.js';
import { badRequest } from './status.js';

/** A parsed label selector: every requirement must hold. */
export type LabelSelector = ((labels: Record<string, string>) => boolean)[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas outside parentheses (`a in (x,y),b`). */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

function checkKey(key: string): void {
  if (!KEY.test(key) || key.length > 317)
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
}

function checkValue(v: string): void {
  if (!VALUE.test(v) || v.length > 63)
    throw badRequest(
      `unable to parse requirement: values[0][]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
}

/** Parses `labelSelector` (=, ==, !=, in, notin, exists, !exists), answering 400 as the apiserver does. */
export function parseLabelSelector(raw: string | null | undefined): LabelSelector {
  if (!raw) return [];
  return splitTop(raw).map((part) => {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) {
      const key = m[1] as string;
      checkKey(key);
      return (l) => !(key in l);
    }
    m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(part);
    if (m) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      checkKey(key);
      const values = new Set(
        list
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      );
      for (const v of values) checkValue(v);
      return op === 'in'
        ? (l) => key in l && values.has(l[key] as string)
        : (l) => !(key in l) || !values.has(l[key] as string);
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(part);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      checkKey(key);
      if (op === '<' || op === '>') {
        const n = Number(value);
        if (!Number.isInteger(n))
          throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        return (l) => key in l && (op === '<' ? Number(l[key]) < n : Number(l[key]) > n);
      }
      checkValue(value.trim());
      const v = value.trim();
      return op === '!=' ? (l) => l[key] !== v : (l) => l[key] === v;
    }
    if (/^\S+$/.test(part)) {
      checkKey(part);
      return (l) => part in l;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
  });
}

/** True when `labels` satisfy every requirement. */
export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (sel.length === 0) return true;
  const l = labels ?? {};
  return sel.every((req) => req(l));
}

type FieldGetter = (o: KubeObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const META: Record<string, FieldGetter> = {
  'metadata.name': (o) => str(o.metadata?.name),
  'metadata.namespace': (o) => str(o.metadata?.namespace),
};

/** The field labels each resource supports in fieldSelector (the apiserver's per-type GetAttrs/field label conversion). */
const FIELDS: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': (o) => str(o.spec?.nodeName),
    'spec.restartPolicy': (o) => str(o.spec?.restartPolicy),
    'spec.schedulerName': (o) => str(o.spec?.schedulerName),
    'spec.serviceAccountName': (o) => str(o.spec?.serviceAccountName),
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork === true),
    'status.phase': (o) => str(o.status?.phase),
    'status.podIP': (o) => str(o.status?.podIP),
    'status.nominatedNodeName': (o) => str(o.status?.nominatedNodeName),
  },
  events: {
    'involvedObject.kind': (o) => str(o.involvedObject?.kind),
    'involvedObject.namespace': (o) => str(o.involvedObject?.namespace),
    'involvedObject.name': (o) => str(o.involvedObject?.name),
    'involvedObject.uid': (o) => str(o.involvedObject?.uid),
    'involvedObject.apiVersion': (o) => str(o.involvedObject?.apiVersion),
    'involvedObject.resourceVersion': (o) => str(o.involvedObject?.resourceVersion),
    'involvedObject.fieldPath': (o) => str(o.involvedObject?.fieldPath),
    reason: (o) => str(o.reason),
    reportingComponent: (o) => str(o.reportingComponent),
    source: (o) => str(o.source?.component),
    type: (o) => str(o.type),
  },
  nodes: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable === true) },
  namespaces: { 'status.phase': (o) => str(o.status?.phase) },
  secrets: { type: (o) => str(o.type) },
  replicasets: { 'status.replicas': (o) => str(o.status?.replicas ?? 0) },
  jobs: { 'status.successful': (o) => str(o.status?.succeeded ?? 0) },
};

/** A parsed field selector. */
export type FieldSelector = { get: FieldGetter; value: string; equal: boolean; field: string }[];

/** Parses `fieldSelector` for `resource`; an unsupported field answers 400 `field label not supported: X`. */
export function parseFieldSelector(resource: string, raw: string | null | undefined): FieldSelector {
  if (!raw) return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((part) => {
      const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${part}'`);
      const [, field, op, value] = m as unknown as [string, string, string, string];
      const get = META[field] ?? FIELDS[resource]?.[field];
      if (!get) throw badRequest(`field label not supported: ${field}`);
      return { get, value: value.replace(/\\(.)/g, '$1'), equal: op !== '!=', field };
    });
}

/** True when `o` satisfies every field requirement. */
export function matchFields(sel: FieldSelector, o: KubeObject): boolean {
  for (const r of sel) if ((r.get(o) === r.value) !== r.equal) return false;
  return true;
}
