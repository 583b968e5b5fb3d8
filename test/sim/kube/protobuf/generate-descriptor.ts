// `npx tsx test/sim/kube/protobuf/generate-descriptor.ts`: writes kubernetes-protobuf.json beside it from k8s.io/api
// and k8s.io/apimachinery in the Go module cache (build-kube-descriptor.ts says how the descriptor is made; get the
// modules with `go mod download k8s.io/api@v0.37.2 k8s.io/apimachinery@v0.37.2`).
import { writeFileSync } from 'node:fs';
import { buildKubeDescriptor, findKubeApiModules, KUBE_API_VERSION } from './build-kube-descriptor.js';

const modules = findKubeApiModules();
if (!modules) {
  console.error(`k8s.io/api and k8s.io/apimachinery ${KUBE_API_VERSION} are not in the Go module cache`);
  process.exit(1);
}
const descriptor = await buildKubeDescriptor(modules);
const file = new URL('./kubernetes-protobuf.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(descriptor)}\n`);
console.log(`wrote ${file.pathname}: ${Object.keys(descriptor.json).length} messages with JSON facts`);
