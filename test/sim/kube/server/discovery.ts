import { apiVersionOf, GROUPS, RESOURCES, type ResourceInfo } from './resources.js';

/** `GET /version`: the installed kubectl dispatcher picks its kubectl from this minor. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const FULL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function subresourceVerbs(sub: string): string[] {
  if (sub === 'exec') return ['create', 'get'];
  return sub === 'log' ? ['get'] : ['get', 'patch', 'update'];
}

/** The kind discovery gives a subresource: its options type for connect subresources. */
function subresourceKind(r: ResourceInfo, sub: string): string {
  if (sub === 'exec') return 'PodExecOptions';
  return sub === 'log' ? 'Pod' : r.kind;
}

function resourceEntries(r: ResourceInfo): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: r.name,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs:
      r.name === 'namespaces' || r.name === 'nodes'
        ? FULL_VERBS.filter((v) => r.name === 'nodes' || v !== 'deletecollection')
        : FULL_VERBS,
  };
  if (r.shortNames.length) main.shortNames = r.shortNames;
  if (r.categories) main.categories = r.categories;
  return [
    main,
    ...r.subresources.map((s) => ({
      name: `${r.name}/${s}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: subresourceKind(r, s),
      verbs: subresourceVerbs(s),
    })),
  ];
}

/** `GET /api`. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`. */
export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((g) => ({
      name: g.group,
      versions: [{ groupVersion: `${g.group}/${g.version}`, version: g.version }],
      preferredVersion: { groupVersion: `${g.group}/${g.version}`, version: g.version },
    })),
  };
}

/** `GET /api/v1` or `/apis/<group>/<version>`, or undefined when not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  if (group === 'authorization.k8s.io' && version === 'v1')
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'authorization.k8s.io/v1',
      resources: [
        {
          name: 'selfsubjectaccessreviews',
          singularName: 'selfsubjectaccessreview',
          namespaced: false,
          kind: 'SelfSubjectAccessReview',
          verbs: ['create'],
        },
      ],
    };
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: rs.flatMap(resourceEntries),
  };
}

const PARAM = (name: string): Record<string, unknown> => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
});

/** `GET /openapi/v3`: the index kubectl reads before `create -f`. */
export function openapiRoot(): Record<string, unknown> {
  const paths: Record<string, unknown> = { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=SIMV1' } };
  for (const g of GROUPS)
    paths[`apis/${g.group}/${g.version}`] = {
      serverRelativeURL: `/openapi/v3/apis/${g.group}/${g.version}?hash=SIM${g.group.toUpperCase()}`,
    };
  return { paths };
}

const schemaName = (r: ResourceInfo): string =>
  `io.k8s.api.${r.group ? r.group.split('.')[0] : 'core'}.${r.version}.${r.kind}`;

/**
 * `GET /openapi/v3/api/v1` etc.: paths whose operations carry `x-kubernetes-group-version-kind` and a
 * `fieldValidation` parameter, which is how kubectl decides that the server validates fields itself.
 */
export function openapiDocument(group: string, version: string): Record<string, unknown> | undefined {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const r of rs) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const ref = { $ref: `#/components/schemas/${schemaName(r)}` };
    const op = (action: string, params: string[]): Record<string, unknown> => ({
      operationId: `${action}${r.kind}`,
      parameters: params.map(PARAM),
      responses: { '200': { content: { 'application/json': { schema: ref } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const prefix = `/${group ? `apis/${group}` : 'api'}/${version}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.name}`;
    paths[prefix] = {
      get: op('list', ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch', 'resourceVersion']),
      post: op('post', ['dryRun', 'fieldManager', 'fieldValidation']),
      delete: op('deletecollection', ['dryRun', 'labelSelector', 'fieldSelector']),
    };
    paths[`${prefix}/{name}`] = {
      get: op('get', []),
      put: op('put', ['dryRun', 'fieldManager', 'fieldValidation']),
      patch: op('patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force']),
      delete: op('delete', ['dryRun', 'gracePeriodSeconds', 'propagationPolicy']),
    };
    schemas[schemaName(r)] = {
      type: 'object',
      description: `${r.kind} (simulated schema: fields are validated server-side).`,
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } },
      'x-kubernetes-group-version-kind': [gvk],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion },
    paths,
    components: { schemas },
  };
}

export { apiVersionOf };
