import { describe, expect, it } from 'vitest';
import { parseForbidden, type RenderableError, renderErrorMessage } from '../../src/render/index.js';
import { expectSlackAccepts, visibleText } from './slack-assertions.js';

const forbiddenMessage =
  'pods "web-1" is forbidden: User "system:serviceaccount:debugdead:debugdead" cannot get resource "pods/log" in API group "" in the namespace "prod"';

const cases: [string, RenderableError, string[]][] = [
  [
    'a pod that does not exist, with close names and other namespaces',
    {
      kind: 'NotFound',
      name: 'web-l',
      namespace: 'prod',
      closestNames: ['web-1', 'web-2'],
      namespacesWithName: ['staging'],
    },
    [
      'No pod `web-l` in namespace `prod`.',
      'Did you mean `web-1`, `web-2`?',
      'exists in `staging`: try `/debugdead web-l staging`.',
    ],
  ],
  [
    'a pod that does not exist, without suggestions',
    { kind: 'NotFound', name: 'ghost', namespace: 'prod' },
    ['No pod `ghost` in namespace `prod`.', 'Check the name and namespace'],
  ],
  [
    'a missing RBAC permission, read from the API server message',
    { kind: 'Forbidden', message: forbiddenMessage },
    [
      "The bot's ServiceAccount `system:serviceaccount:debugdead:debugdead` may not `get` `pods/log` in namespace `prod` (403 Forbidden).",
      'Grant it in `deploy/base/rbac.yaml` (verb `get` on `pods/log`)',
    ],
  ],
  [
    'a missing RBAC permission given as fields',
    { kind: 'Forbidden', verb: 'create', resource: 'pods', namespace: 'debugdead-system' },
    [
      "The bot's ServiceAccount may not `create` `pods` in namespace `debugdead-system`",
      'Bind ClusterRole `debugdead-pod-writer` in namespace `debugdead-system` with a RoleBinding (`deploy/components/pod-writes`)',
    ],
  ],
  [
    'a namespace refused by policy',
    { kind: 'Policy', namespace: 'kube-system', reason: 'matches namespaces.deny `kube-system`' },
    ["Namespace `kube-system` is not allowed by debugdead's policy", '`namespaces.allow`'],
  ],
  [
    'an API timeout',
    { kind: 'Timeout', what: 'events', timeoutSeconds: 10 },
    ['The Kubernetes API did not answer within 10s while reading events.', 'raise `kubernetes.requestTimeout`'],
  ],
  [
    'an API timeout described as an activity',
    { kind: 'Timeout', what: 'reading pod demo/web-1' },
    ['The Kubernetes API did not answer in time while reading pod demo/web-1.'],
  ],
  [
    'an unavailable API',
    { kind: 'Unavailable', message: 'connect ECONNREFUSED' },
    ['unavailable right now', 'ECONNREFUSED'],
  ],
  ['a conflict', { kind: 'Conflict' }, ['409 Conflict', 'try again']],
  [
    'an invalid request',
    { kind: 'Invalid', message: 'spec.containers[0].name: Invalid value' },
    ['rejected the request as invalid', 'Invalid value'],
  ],
  [
    'a bad command',
    {
      kind: 'Usage',
      problem: '`web_1` is not a valid pod name.',
      usage: '/debugdead <pod> [namespace]\n/debugdead help',
    },
    ['is not a valid pod name.', '```\n/debugdead &lt;pod&gt; [namespace]\n/debugdead help\n```'],
  ],
];

describe('renderErrorMessage', () => {
  it.each(cases)('for %s it says what to do', (_name, error, expected) => {
    const msg = renderErrorMessage(error);
    const text = visibleText(msg);
    for (const e of expected) expect(text).toContain(e);
    expectSlackAccepts(msg);
  });

  it('caps long suggestion lists', () => {
    const names = Array.from({ length: 40 }, (_, i) => `web-${i}`);
    const text = visibleText(
      renderErrorMessage({ kind: 'NotFound', name: 'web', namespace: 'p', closestNames: names }),
    );
    expect(text).toContain('`web-4` and 35 more?');
  });

  it('shows an untrusted message escaped, so it cannot ping the channel', () => {
    const text = visibleText(renderErrorMessage({ kind: 'Unavailable', message: '<!channel> down' }));
    expect(text).toContain('&lt;!channel&gt; down');
  });
});

describe('parseForbidden', () => {
  it.each([
    [
      forbiddenMessage,
      {
        user: 'system:serviceaccount:debugdead:debugdead',
        verb: 'get',
        resource: 'pods/log',
        apiGroup: '',
        namespace: 'prod',
      },
    ],
    [
      'nodes "n1" is forbidden: User "system:serviceaccount:d:bot" cannot get resource "nodes" in API group "" at the cluster scope',
      { user: 'system:serviceaccount:d:bot', verb: 'get', resource: 'nodes', apiGroup: '' },
    ],
    ['something else', {}],
  ])('reads %j', (message, facts) => {
    expect(parseForbidden(message)).toEqual(facts);
  });
});
