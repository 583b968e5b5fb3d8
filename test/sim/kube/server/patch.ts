import { ApiError, badRequest } from './status.js';

type Any = any;

const isObj = (v: unknown): v is Record<string, Any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else (lists too) replaces. */
export function mergePatch(target: Any, patch: Any): Any {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, Any> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * Merge keys of the lists strategic merge patch merges by key (the `patchMergeKey` tags of core/v1 and meta/v1);
 * every other list is replaced, as the real server does.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  conditions: 'type',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  ephemeralContainerStatuses: 'name',
  podIPs: 'ip',
  readinessGates: 'conditionType',
  resourceClaims: 'name',
  topologySpreadConstraints: 'topologyKey',
};
/** Lists of scalars that strategic merge patch merges as sets (patchStrategy:"merge"). */
const MERGE_SETS = new Set(['finalizers']);

/** Kubernetes strategic merge patch, for built-in types: keyed list merge, `$patch`, `$retainKeys`, deletions. */
export function strategicMergePatch(target: Any, patch: Any): Any {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _patch, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Any> = isObj(target) ? { ...target } : {};
  const retain: string[] | undefined = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = out[field].filter((x: Any) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = MERGE_KEYS[k];
    if (Array.isArray(v) && key && (Array.isArray(out[k]) || out[k] === undefined)) {
      out[k] = mergeKeyedList(out[k] ?? [], v, key);
    } else if (Array.isArray(v) && MERGE_SETS.has(k) && Array.isArray(out[k])) {
      out[k] = [...out[k], ...v.filter((x: Any) => !out[k].includes(x))];
    } else if (isObj(v)) {
      const merged = strategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = structuredClone(v);
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function mergeKeyedList(target: Any[], patch: Any[], key: string): Any[] {
  const out = target.map((x) => x);
  if (patch.some((p) => isObj(p) && p.$patch === 'replace'))
    return patch.filter((p) => !(isObj(p) && p.$patch)).map((p) => structuredClone(p));
  for (const item of patch) {
    if (!isObj(item)) {
      out.push(item);
      continue;
    }
    const idx = out.findIndex((x) => isObj(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
    else out.push(strategicMergePatch({}, item));
  }
  return out;
}

const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

function walk(doc: Any, pointer: string): { parent: Any; key: string } {
  if (pointer === '') throw badRequest('the server rejected our request due to an error in our request');
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : cur?.[p];
    if (cur === undefined || cur === null)
      throw new ApiError(422, 'Invalid', `doc is missing path: "${pointer}": missing value`);
  }
  return { parent: cur, key: parts[parts.length - 1] as string };
}

function getAt(doc: Any, pointer: string): Any {
  const { parent, key } = walk(doc, pointer);
  const v = Array.isArray(parent) ? parent[Number(key)] : parent?.[key];
  if (v === undefined) throw new ApiError(422, 'Invalid', `doc is missing key: ${pointer}: missing value`);
  return v;
}

function removeAt(doc: Any, pointer: string): Any {
  const { parent, key } = walk(doc, pointer);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length))
      throw new ApiError(422, 'Invalid', `Unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!(key in (parent ?? {})))
    throw new ApiError(422, 'Invalid', `Unable to remove nonexistent key: ${key}: missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: Any, pointer: string, value: Any, replace: boolean): void {
  const { parent, key } = walk(doc, pointer);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length))
      throw new ApiError(422, 'Invalid', `Unable to access invalid index: ${key}: invalid index referenced`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
    return;
  }
  if (!isObj(parent)) throw new ApiError(422, 'Invalid', `doc is missing path: "${pointer}": missing value`);
  if (replace && !(key in parent))
    throw new ApiError(
      422,
      'Invalid',
      `replace operation does not apply: doc is missing key: ${pointer}: missing value`,
    );
  parent[key] = value;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(target: Any, ops: Any): Any {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const doc = structuredClone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        addAt(doc, op.path, structuredClone(op.value), false);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'replace':
        addAt(doc, op.path, structuredClone(op.value), true);
        break;
      case 'move':
        addAt(doc, op.path, removeAt(doc, op.from), false);
        break;
      case 'copy':
        addAt(doc, op.path, structuredClone(getAt(doc, op.from)), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
          throw new ApiError(422, 'Invalid', `testing value ${op.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

/** The patch content types the server accepts. */
export type PatchType = 'json' | 'merge' | 'strategic';

/** Maps a Content-Type to a patch type, or answers 415 as the apiserver does. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]?.trim();
  if (ct === 'application/json-patch+json') return 'json';
  if (ct === 'application/merge-patch+json') return 'merge';
  if (ct === 'application/strategic-merge-patch+json') return 'strategic';
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
  );
}

/** Applies a patch of `type` to a copy of `target`. */
export function applyPatch(type: PatchType, target: Any, patch: Any): Any {
  if (type === 'json') return jsonPatch(target, patch);
  if (!isObj(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return type === 'merge' ? mergePatch(target, patch) : strategicMergePatch(target, patch);
}
