import { formatDuration, parseDuration } from './parse-duration.js';
import { parseSize } from './parse-size.js';
import { CONFIG_SCHEMA, type FieldSpec, type ObjectSpec } from './schema.js';

/** The YAML-side values after validation, keyed as Config is (durations renamed to their `…Seconds` field). */
export type ValidatedTree = Record<string, unknown>;

export type ValidationResult = { ok: true; value: ValidatedTree } | { ok: false; errors: string[] };

/**
 * Checks a parsed YAML document against the schema and fills defaults. Reports every problem at once, each
 * prefixed with its key path, and rejects unknown keys (they are almost always typos).
 */
export function validateConfigTree(raw: unknown): ValidationResult {
  const errors: string[] = [];
  const value = walkObject(CONFIG_SCHEMA, raw ?? {}, '', errors);
  crossChecks(value, errors);
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

function walkObject(spec: ObjectSpec, raw: unknown, path: string, errors: string[]): ValidatedTree {
  const out: ValidatedTree = {};
  if (!isMapping(raw)) {
    errors.push(`${path || '(top level)'}: expected a mapping of keys, got ${describe(raw)}`);
    raw = {};
  }
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in spec.fields)) {
      const hint = closest(key, Object.keys(spec.fields));
      errors.push(`${join(path, key)}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }
  for (const [key, field] of Object.entries(spec.fields)) {
    const target = field.type === 'duration' ? field.to : key;
    const result = walkField(field, given[key], join(path, key), errors);
    if (result !== undefined) out[target] = result;
  }
  return out;
}

function walkField(spec: FieldSpec, raw: unknown, path: string, errors: string[]): unknown {
  const missing = raw === undefined || raw === null;
  switch (spec.type) {
    case 'object':
      return walkObject(spec, missing ? {} : raw, path, errors);
    case 'string':
      if (missing) return spec.default;
      if (typeof raw !== 'string' || (raw === '' && !spec.allowEmpty) || (spec.pattern && !spec.pattern.test(raw))) {
        errors.push(`${path}: expected ${spec.expected ?? 'a non-empty string'}, got ${describe(raw)}`);
        return spec.default;
      }
      return raw;
    case 'int':
      if (missing) return spec.default;
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < spec.min || raw > spec.max) {
        errors.push(`${path}: expected an integer from ${spec.min} to ${spec.max}, got ${describe(raw)}`);
        return spec.default;
      }
      return raw;
    case 'bool':
      if (missing) return spec.default;
      if (typeof raw !== 'boolean') {
        errors.push(`${path}: expected true or false, got ${describe(raw)}`);
        return spec.default;
      }
      return raw;
    case 'duration': {
      if (missing) return spec.default;
      const seconds = parseDuration(raw);
      if (seconds === undefined) {
        errors.push(`${path}: expected a duration like "30m", got ${describe(raw)}`);
        return spec.default;
      }
      if (spec.min !== undefined && seconds < spec.min) {
        errors.push(`${path}: must be at least ${formatDuration(spec.min)}, got ${describe(raw)}`);
        return spec.default;
      }
      return seconds;
    }
    case 'size': {
      if (missing) return spec.default;
      const bytes = parseSize(raw);
      if (bytes === undefined) {
        errors.push(`${path}: expected a size like "256KiB" or a number of bytes, got ${describe(raw)}`);
        return spec.default;
      }
      return bytes;
    }
    case 'enum':
      if (missing) return spec.default;
      if (typeof raw !== 'string' || !spec.values.includes(raw)) {
        errors.push(`${path}: expected one of ${spec.values.join(', ')}, got ${describe(raw)}`);
        return spec.default;
      }
      return raw;
    case 'strings': {
      if (missing) return [...spec.default];
      if (!Array.isArray(raw)) {
        errors.push(`${path}: expected a list, got ${describe(raw)}`);
        return [...spec.default];
      }
      const items: string[] = [];
      raw.forEach((item, i) => {
        if (typeof item !== 'string' || (spec.pattern && !spec.pattern.test(item))) {
          errors.push(`${path}[${i}]: expected ${spec.expected ?? 'a string'}, got ${describe(item)}`);
        } else items.push(item);
      });
      return items;
    }
    case 'list': {
      if (missing) return [...spec.default];
      if (!Array.isArray(raw)) {
        errors.push(`${path}: expected a list, got ${describe(raw)}`);
        return [...spec.default];
      }
      return raw.map((item, i) => walkObject(spec.of, item, `${path}[${i}]`, errors));
    }
  }
}

function crossChecks(v: ValidatedTree, errors: string[]): void {
  const section = (name: string) => (v[name] ?? {}) as Record<string, unknown>;
  for (const name of ['debugClone', 'nodeShell']) {
    const s = section(name);
    if (Number(s.defaultTtlSeconds) > Number(s.maxTtlSeconds)) {
      errors.push(
        `${name}.defaultTtl: must not exceed ${name}.maxTtl (${formatDuration(Number(s.maxTtlSeconds))}), got ${formatDuration(Number(s.defaultTtlSeconds))}`,
      );
    }
  }
  const alerts = section('alerts');
  if (alerts.enabled === true && alerts.channel === undefined) {
    errors.push('alerts.channel: required when alerts.enabled is true');
  }
  (v.bindings as Record<string, unknown>[] | undefined)?.forEach((binding, i) => {
    for (const key of ['channels', 'namespaces']) {
      const list = binding[key];
      if (!Array.isArray(list) || list.length === 0) errors.push(`bindings[${i}].${key}: expected at least one`);
    }
  });
  (v.runbooks as Record<string, unknown>[] | undefined)?.forEach((runbook, i) => {
    if (runbook.url === undefined) errors.push(`runbooks[${i}].url: required`);
    const match = (runbook.match ?? {}) as Record<string, unknown>;
    if (match.kind === undefined && match.namespace === undefined && match.label === undefined) {
      errors.push(`runbooks[${i}].match: expected kind, namespace or label`);
    }
  });
  (alerts.routes as Record<string, unknown>[] | undefined)?.forEach((route, i) => {
    if (route.channel === undefined) errors.push(`alerts.routes[${i}].channel: required`);
    if (!Array.isArray(route.namespaces) || route.namespaces.length === 0) {
      errors.push(`alerts.routes[${i}].namespaces: expected at least one namespace or glob`);
    }
  });
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** How a wrong value is quoted back: strings in quotes, structures by their shape. */
function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

/** The known key a typo most likely meant, if any is within two edits. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
