import type { ResourceInfo } from './resources.js';

/** One field error of a 422 Invalid answer, as metav1.StatusCause. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** A refusal the HTTP layer writes as a metav1.Status (with `Retry-After` for 429 when set). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The metav1.Status body. */
  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) s.details = this.details;
    else if (this.code === 404 || this.code === 405) s.details = {};
    s.code = this.code;
    return s;
  }
}

/** `pods` or `deployments.apps`: how the apiserver names a resource in messages (GroupResource.String()). */
export function qualifiedName(r: ResourceInfo): string {
  return r.group ? `${r.name}.${r.group}` : r.name;
}

function details(r: ResourceInfo, name?: string): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (name) d.name = name;
  if (r.group) d.group = r.group;
  d.kind = r.name;
  return d;
}

export const notFound = (r: ResourceInfo, name: string): ApiError =>
  new ApiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, details(r, name));

export const alreadyExists = (r: ResourceInfo, name: string): ApiError =>
  new ApiError(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, details(r, name));

export const conflict = (r: ResourceInfo, name: string): ApiError =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(r, name),
  );

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const forbidden = (r: ResourceInfo, name: string | undefined, why: string): ApiError =>
  new ApiError(
    403,
    'Forbidden',
    `${qualifiedName(r)}${name ? ` "${name}"` : ''} is forbidden: ${why}`,
    details(r, name),
  );

export const routeNotFound = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource');

export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

/** 422 Invalid: `Pod "x" is invalid: a: m` for one cause, `[a: m, b: n]` for several (field.ErrorList). */
export function invalid(r: ResourceInfo, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${r.kind}${r.group ? `.${r.group}` : ''} "${name}" is invalid: ${joined}`, {
    ...details(r, name),
    kind: r.kind,
    causes,
  });
}

/** A field error, phrased as apimachinery's field.Error does. */
export const fieldErr = {
  required: (field: string, detail?: string): StatusCause => ({
    reason: 'FieldValueRequired',
    message: detail ? `Required value: ${detail}` : 'Required value',
    field,
  }),
  invalid: (field: string, value: unknown, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${formatValue(value)}: ${detail}`,
    field,
  }),
  /** Invalid value already printed Go-style (`map[string]string{...}`). */
  invalidRaw: (field: string, printed: string, detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${printed}: ${detail}`,
    field,
  }),
  duplicate: (field: string, value: unknown): StatusCause => ({
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${formatValue(value)}`,
    field,
  }),
  notSupported: (field: string, value: unknown, valid: string[]): StatusCause => ({
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${formatValue(value)}: supported values: ${valid.map((v) => `"${v}"`).join(', ')}`,
    field,
  }),
  forbidden: (field: string, detail: string): StatusCause => ({
    reason: 'FieldValueForbidden',
    message: `Forbidden: ${detail}`,
    field,
  }),
  notFound: (field: string, value: unknown): StatusCause => ({
    reason: 'FieldValueNotFound',
    message: `Not found: ${formatValue(value)}`,
    field,
  }),
};

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}
