import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildKubeDescriptor,
  findKubeApiModules,
  KUBE_API_VERSION,
} from '../sim/kube/protobuf/build-kube-descriptor.js';

// The checked-in descriptor is what the generator makes from Kubernetes' own files today (skipped, saying why, when
// the Go module cache lacks them).
const modules = findKubeApiModules();
const missing = modules
  ? undefined
  : `k8s.io/api and k8s.io/apimachinery ${KUBE_API_VERSION} are not in the Go module cache (go mod download k8s.io/api@${KUBE_API_VERSION} k8s.io/apimachinery@${KUBE_API_VERSION})`;

describe.skipIf(missing)(missing ? `the protobuf descriptor: skipped. ${missing}` : 'the protobuf descriptor', () => {
  it('is current: generate-descriptor.ts would write the same file', async () => {
    const file = new URL('../sim/kube/protobuf/kubernetes-protobuf.json', import.meta.url);
    const built = await buildKubeDescriptor(modules!);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(built)));
  });
});
