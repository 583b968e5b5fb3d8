import { describe, expect, it } from 'vitest';
import { describeKubeRequest } from '../../src/kube/index.js';

describe('describeKubeRequest names a request as RBAC does', () => {
  it.each([
    ['GET', '/api/v1/namespaces/demo/pods/web-1', 'get', 'pods'],
    ['GET', '/api/v1/namespaces/demo/pods?limit=500', 'list', 'pods'],
    ['GET', '/api/v1/pods?fieldSelector=metadata.name%3Dweb', 'list', 'pods'],
    ['GET', '/api/v1/namespaces/demo/pods?watch=true&resourceVersion=5', 'watch', 'pods'],
    ['GET', '/api/v1/watch/namespaces/demo/pods', 'watch', 'pods'],
    ['GET', '/api/v1/namespaces/demo/pods/web-1/log?container=app&previous=true', 'get', 'pods/log'],
    ['GET', '/api/v1/namespaces/demo/events?fieldSelector=involvedObject.uid%3Dx', 'list', 'events'],
    ['GET', '/apis/apps/v1/namespaces/demo/replicasets/web-5d9', 'get', 'replicasets'],
    ['GET', '/apis/batch/v1/namespaces/demo/cronjobs/nightly', 'get', 'cronjobs'],
    ['GET', '/api/v1/nodes/node-a', 'get', 'nodes'],
    ['GET', '/api/v1/namespaces/demo', 'get', 'namespaces'],
    ['GET', '/api/v1/namespaces', 'list', 'namespaces'],
    ['POST', '/api/v1/namespaces/demo/pods', 'create', 'pods'],
    ['PATCH', '/api/v1/namespaces/demo/pods/web-1', 'patch', 'pods'],
    ['PUT', '/apis/coordination.k8s.io/v1/namespaces/x/leases/alerts', 'update', 'leases'],
    ['DELETE', '/api/v1/namespaces/demo/pods/web-1', 'delete', 'pods'],
    ['DELETE', '/api/v1/namespaces/demo/pods', 'deletecollection', 'pods'],
    ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', 'create', 'selfsubjectaccessreviews'],
    ['GET', '/version', 'get', 'nonresource'],
    ['GET', 'https://10.0.0.1:6443/api/v1/namespaces/demo/pods/web-1', 'get', 'pods'],
  ])('%s %s is %s %s', (method, url, verb, resource) => {
    expect(describeKubeRequest(method, url)).toEqual({ verb, resource });
  });
});
