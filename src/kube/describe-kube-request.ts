/** A Kubernetes API request as RBAC and metrics name it. */
export interface KubeRequestName {
  /** get, list, watch, create, update, patch, delete, deletecollection */
  verb: string;
  /** `pods`, `pods/log`, `deployments`…; `nonresource` for /version, /healthz and the like. */
  resource: string;
}

/**
 * Names a request from its method and URL the way the API server's request-info resolver does: `/api/v1/...` and
 * `/apis/<group>/<version>/...`, an optional `namespaces/<ns>/` scope, then resource, name and subresource; a GET
 * without a name is a list, and a list with `watch=true` (or a `/watch/` path) is a watch.
 */
export function describeKubeRequest(method: string, url: string): KubeRequestName {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://localhost');
  } catch {
    return { verb: method.toLowerCase(), resource: 'nonresource' };
  }
  const parts = parsed.pathname.split('/').filter(Boolean);
  const prefix = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : -1;
  if (prefix < 0 || parts.length <= prefix) return { verb: method.toLowerCase(), resource: 'nonresource' };
  let rest = parts.slice(prefix);
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  // `namespaces/<ns>/<resource>` is namespaced; `namespaces` or `namespaces/<name>` alone is the namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
  const [resource = '', name, subresource] = rest;
  const full = subresource ? `${resource}/${subresource}` : resource;
  const watch = watchPath || parsed.searchParams.get('watch') === 'true' || parsed.searchParams.get('watch') === '1';
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return { verb: name ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list', resource: full };
    case 'POST':
      return { verb: 'create', resource: full };
    case 'PUT':
      return { verb: 'update', resource: full };
    case 'PATCH':
      return { verb: 'patch', resource: full };
    case 'DELETE':
      return { verb: name ? 'delete' : 'deletecollection', resource: full };
    default:
      return { verb: method.toLowerCase(), resource: full };
  }
}
