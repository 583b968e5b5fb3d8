import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

// Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which kubectl's typed
// clients send (`create namespace`, `create serviceaccount`, `auth can-i`, `debug --copy-to`): the 4-byte magic
// `k8s\0`, then a runtime.Unknown envelope holding the apiVersion, the kind and the typed message's bytes
// (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). Decoded into the object the same body would be as JSON,
// so every later step (strict decoding, validation, admission) treats both encodings alike.

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** `k8s\0`: "k8s" and encoding style 0, a runtime.Unknown message follows. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** How a message's JSON encoding differs from its fields (read from the Go types by build-kube-descriptor.ts). */
export interface JsonFacts {
  /** Non-pointer `omitzero` fields: left out when zero, structs included (a zero metav1.Time). */
  omitZero?: string[];
  /** Non-pointer `omitempty` fields: left out when an empty scalar, list or map (encoding/json keeps structs). */
  omitEmpty?: string[];
  /** Where the JSON name differs from the proto one. */
  jsonNames?: Record<string, string>;
  /** Embedded structs whose fields JSON puts in the parent (`json:",inline"`): Volume's volumeSource. */
  inline?: string[];
  /** A named slice type (`type Verbs []string`): one `items` field on the wire, the list itself in JSON. */
  list?: true;
}

const file = JSON.parse(readFileSync(new URL('./kubernetes-protobuf.json', import.meta.url), 'utf8')) as {
  json: Record<string, JsonFacts>;
  descriptor: protobuf.INamespace;
};
const root = protobuf.Root.fromJSON(file.descriptor);
root.resolveAll();
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const Unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

/** Kinds of meta.k8s.io/v1 that the API server registers in every group version. */
const META_KINDS = new Set([
  'DeleteOptions',
  'ListOptions',
  'GetOptions',
  'CreateOptions',
  'UpdateOptions',
  'PatchOptions',
]);

/** Why a body could not be decoded; `kind` and `version` are set once the envelope was read. */
export class ProtobufDecodeError extends Error {
  constructor(
    message: string,
    readonly envelope?: { kind: string; version: string },
  ) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

/** The message type of `kind` in `apiVersion`, if the API server knows that kind there. */
function lookupKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!kind || !version || !/^\w+$/.test(kind)) return undefined;
  // k8s.io/api names its packages after the group's first label: apps, batch, authorization (for
  // authorization.k8s.io), scheduling (scheduling.k8s.io), rbac (rbac.authorization.k8s.io); the core group is "core".
  const pkg = group ? group!.split('.')[0] : 'core';
  const candidates = [`k8s.io.api.${pkg}.${version}.${kind}`, ...(META_KINDS.has(kind) ? [`${META}.${kind}`] : [])];
  for (const name of candidates) {
    const found = root.lookup(name);
    // An API kind is a message with object or list metadata (PodSpec is a message but no kind).
    if (found instanceof protobuf.Type && (META_KINDS.has(kind) || found.fields.metadata)) return found;
  }
  return undefined;
}

/** Whether the API server has `kind` registered in `apiVersion` (for JSON bodies too). */
export function isRegisteredKind(apiVersion: string, kind: string): boolean {
  return lookupKind(apiVersion, kind) !== undefined;
}

/** The start of a body as the API server quotes it in errors (apiserver's summarizeData). */
export function summarizeBody(data: Buffer, max = 30): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, max);
  const text = data[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return data.length > max ? `${text} ...` : text;
}

/** A protobufjs read error as Go's protobuf decoder words the same fault. */
function wireError(e: unknown): string {
  const message = (e as Error).message;
  if (/index out of range/.test(message)) return 'unexpected EOF';
  const wire = /invalid wire type (\d+)/.exec(message);
  return wire ? `proto: illegal wireType ${wire[1]}` : `proto: ${message}`;
}

/**
 * Decodes a protobuf request body into the object its JSON encoding would be: `apiVersion` and `kind` from the
 * envelope, fields under their JSON names, and the zero values the JSON encoding leaves out left out.
 */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw new ProtobufDecodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`,
    );
  if (body.length === MAGIC.length) throw new ProtobufDecodeError('empty body');
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = Unknown.toObject(Unknown.decode(body.subarray(MAGIC.length)), { bytes: Buffer }) as typeof envelope;
  } catch (e) {
    throw new ProtobufDecodeError(wireError(e));
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const version = apiVersion.split('/').at(-1) ?? '';
  const type = lookupKind(apiVersion, kind);
  if (!type) {
    if (!kind)
      throw new ProtobufDecodeError(`Object 'Kind' is missing in '${JSON.stringify(envelope.typeMeta ?? {})}'`);
    throw new ProtobufDecodeError(
      `no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:111"`,
      { kind, version },
    );
  }
  let message: protobuf.Message;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array());
  } catch (e) {
    throw new ProtobufDecodeError(wireError(e), { kind, version });
  }
  const object = type.toObject(message, { longs: Number, bytes: String, defaults: false, arrays: false });
  return { apiVersion, kind, ...(toJson(type, object) as Record<string, unknown>) };
}

/** RFC 3339 in UTC, as metav1.Time (whole seconds) and metav1.MicroTime (microseconds) print. */
const rfc3339 = (seconds: number, micros?: number): string => {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micros === undefined ? `${iso}Z` : `${iso}.${String(micros).padStart(6, '0')}Z`;
};

/** Go's time.Duration.String(): "1h0m0s", "1.5s", "300ms", "0s". */
function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${n / (size as number)}${unit}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${n / 1e9}s`;
  return `${sign}${h ? `${h}h${m}m` : m ? `${m}m` : ''}${s}`;
}

const fromBase64Json = (raw: unknown): unknown =>
  typeof raw === 'string' && raw ? JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) : null;

/** Messages whose JSON form is not an object of their fields (their MarshalJSON methods). */
const SPECIAL: Record<string, (o: Record<string, unknown>) => unknown> = {
  [`${META}.Time`]: (o) => (o.seconds === undefined ? null : rfc3339(Number(o.seconds))),
  [`${META}.MicroTime`]: (o) =>
    o.seconds === undefined ? null : rfc3339(Number(o.seconds), Math.floor(Number(o.nanos ?? 0) / 1000)),
  [`${META}.Duration`]: (o) => goDuration(Number(o.duration ?? 0)),
  [`${META}.FieldsV1`]: (o) => fromBase64Json(o.Raw),
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (o) => o.string ?? '0',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (o) =>
    Number(o.type ?? 0) === 1 ? (o.strVal ?? '') : Number(o.intVal ?? 0),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (o) => fromBase64Json(o.raw),
};

/** What the JSON encoding leaves out of an `omitempty` field. */
const isZero = (v: unknown): boolean =>
  v === '' || v === false || v === 0 || v === null || (Array.isArray(v) && v.length === 0);

function toJson(type: protobuf.Type, object: Record<string, unknown>): unknown {
  const name = type.fullName.slice(1);
  const special = SPECIAL[name];
  if (special) return special(object);
  const facts = file.json[name];
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!(field.name in object)) continue;
    let value = object[field.name];
    const nested = field.resolvedType;
    if (nested instanceof protobuf.Type) {
      const convert = (v: unknown) => toJson(nested, v as Record<string, unknown>);
      if (field.map)
        value = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(v)]));
      else if (field.repeated) value = (value as unknown[]).map(convert);
      else value = convert(value);
    }
    const struct = nested instanceof protobuf.Type && !field.map && !field.repeated;
    if (isZero(value) && (facts?.omitZero?.includes(field.name) || (!struct && facts?.omitEmpty?.includes(field.name))))
      continue;
    if (facts?.inline?.includes(field.name)) Object.assign(out, value);
    else out[facts?.jsonNames?.[field.name] ?? field.name] = value;
  }
  // A named slice type (`type Verbs []string`) is a message of one `items` field on the wire, a list in JSON.
  return facts?.list ? (out.items ?? []) : out;
}

/**
 * The protobuf body a typed client sends for `object`, given in the message's own shape (proto field names, nested
 * messages where JSON inlines or flattens them), for tests that need bodies kubectl does not send. The envelope says
 * `apiVersion` and `kind`; the message is encoded as that kind, or as `messageType` (a full proto name) when given.
 */
export function encodeKubeProtobuf(
  apiVersion: string,
  kind: string,
  object: Record<string, unknown>,
  messageType?: string,
): Buffer {
  const type = messageType ? root.lookupType(messageType) : lookupKind(apiVersion, kind);
  if (!type) throw new Error(`no message for ${apiVersion} ${kind}`);
  const raw = type.encode(type.fromObject(object)).finish();
  const envelope = Unknown.encode(Unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([MAGIC, envelope]);
}
