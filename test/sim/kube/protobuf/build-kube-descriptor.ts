// The descriptor the simulator decodes protobuf request bodies with (kubernetes-protobuf.json, written by
// `npx tsx test/sim/kube/protobuf/generate-descriptor.ts`). How it is made:
//
// 1. The messages: Kubernetes' own `generated.proto` files (written by go-to-protobuf) for the API groups the
//    simulator serves, from k8s.io/api and k8s.io/apimachinery in the Go module cache (`go env GOMODCACHE`; fetch
//    them with `go mod download k8s.io/api@VERSION k8s.io/apimachinery@VERSION`), loaded by protobufjs with their
//    imports and stored as protobufjs JSON (`Root.toJSON()`).
// 2. What protobuf cannot say, read from the Go types beside them (`types.go`): gogo-protobuf writes every non-pointer
//    field, zero or not, where the JSON encoding leaves zero `omitempty`/`omitzero` fields out; a named slice type
//    (`type Verbs []string`) is a message with one `items` field on the wire but a plain list in JSON; an embedded
//    struct is a nested message on the wire but inlined in JSON. Per message (JsonFacts): `omitEmpty`, `omitZero`,
//    `jsonNames`, `inline` and `list`.
//
// Regenerate after a Kubernetes upgrade with the new version in KUBE_API_VERSION; a test checks the file is current.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { JsonFacts } from './decode-kube-protobuf.js';

/** k8s.io/api and k8s.io/apimachinery release, the one k8s.io/kubernetes v1.37.2 pins (test/control-plane/go.mod). */
export const KUBE_API_VERSION = 'v0.37.2';

/** The API groups the simulator serves (test/sim/kube/server/resources.ts), as k8s.io/api package directories. */
const API_PACKAGES = [
  'core/v1',
  'apps/v1',
  'batch/v1',
  'authorization/v1',
  'coordination/v1',
  'scheduling/v1',
  'node/v1',
];

/**
 * Where k8s.io/api and k8s.io/apimachinery at KUBE_API_VERSION are in the Go module cache, or undefined when Go or
 * either module is missing.
 */
export function findKubeApiModules(): { api: string; apimachinery: string } | undefined {
  let modcache: string;
  try {
    modcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
  const api = join(modcache, `k8s.io/api@${KUBE_API_VERSION}`);
  const apimachinery = join(modcache, `k8s.io/apimachinery@${KUBE_API_VERSION}`);
  return existsSync(api) && existsSync(apimachinery) ? { api, apimachinery } : undefined;
}

/** The JSON facts of every struct and named slice type of a Go package, by type name. */
function readGoTypes(dir: string): Map<string, JsonFacts> {
  const facts = new Map<string, JsonFacts>();
  const files = readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_'));
  for (const file of files) {
    let current: string | undefined;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const list = /^type (\w+) \[\]\w+/.exec(line);
      if (list) facts.set(list[1]!, { list: true });
      const start = /^type (\w+) struct \{/.exec(line);
      if (start) {
        current = start[1]!;
        facts.set(current, {});
        continue;
      }
      if (line.startsWith('}')) current = undefined;
      if (!current) continue;
      // `Name Type `tags`` or, for an embedded struct, `Type `tags`` (named after the type when the tag has no name=).
      const field = /^\s+(?:[A-Z]\w*\s+)?(\*?[\w.[\]]+)\s+`([^`]*)`/.exec(line);
      const json = field && /json:"([^"]*)"/.exec(field[2]!);
      const tag = field && /protobuf:"([^"]*)"/.exec(field[2]!);
      if (!field || !json || !tag) continue;
      const embedded = /^\s+\*?[\w.]+\s+`/.test(line);
      const typeName = field[1]!.replace(/^\*/, '').split('.').at(-1)!;
      const protoName =
        /name=([^,]+)/.exec(tag[1]!)?.[1] ?? (embedded ? typeName[0]!.toLowerCase() + typeName.slice(1) : undefined);
      if (!protoName) continue;
      const [jsonName, ...options] = json[1]!.split(',');
      const entry = facts.get(current)!;
      if (embedded && !jsonName) entry.inline = [...(entry.inline ?? []), protoName];
      if (jsonName && jsonName !== protoName) entry.jsonNames = { ...entry.jsonNames, [protoName]: jsonName };
      if (field[1]!.startsWith('*')) continue;
      if (options.includes('omitzero')) entry.omitZero = [...(entry.omitZero ?? []), protoName];
      else if (options.includes('omitempty')) entry.omitEmpty = [...(entry.omitEmpty ?? []), protoName];
    }
  }
  return facts;
}

/** The descriptor file's content: protobufjs JSON of the messages, and the JSON facts of each (see above). */
export interface KubeDescriptor {
  comment: string;
  version: string;
  packages: string[];
  json: Record<string, JsonFacts>;
  descriptor: protobuf.INamespace;
}

/** Builds the descriptor from the modules' generated.proto and types.go files. */
export async function buildKubeDescriptor(modules: { api: string; apimachinery: string }): Promise<KubeDescriptor> {
  /** `k8s.io/api/core/v1/generated.proto` → its file in the module cache. */
  function resolveImport(target: string): string {
    for (const [module, dir] of [
      ['k8s.io/apimachinery', modules.apimachinery],
      ['k8s.io/api', modules.api],
    ] as const) {
      if (target.startsWith(`${module}/`)) return join(dir, target.slice(module.length + 1));
    }
    throw new Error(`no module for import ${target}`);
  }

  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : resolveImport(target));
  await root.load(
    API_PACKAGES.map((p) => `k8s.io/api/${p}/generated.proto`),
    { keepCase: true },
  );
  root.resolveAll();

  /** Go package directory of a proto package: `k8s.io.api.core.v1` → k8s.io/api/core/v1 in the module cache. */
  function goPackageDir(protoPackage: string): string {
    const path = protoPackage.replaceAll('.', '/').replace(/^k8s\/io\//, 'k8s.io/');
    return resolveImport(path);
  }

  const json: Record<string, JsonFacts> = {};
  const goTypes = new Map<string, Map<string, JsonFacts>>();
  function visit(ns: protobuf.NamespaceBase): void {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) {
        const pkg = nested.fullName.slice(1, nested.fullName.lastIndexOf('.'));
        if (!goTypes.has(pkg)) goTypes.set(pkg, readGoTypes(goPackageDir(pkg)));
        const facts = goTypes.get(pkg)!.get(nested.name);
        if (facts && Object.keys(facts).length) json[nested.fullName.slice(1)] = facts;
      }
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) visit(nested);
    }
  }
  visit(root);

  return {
    comment:
      'Generated by test/sim/kube/protobuf/generate-descriptor.ts from the generated.proto and types.go files of k8s.io/api and k8s.io/apimachinery; do not edit.',
    version: KUBE_API_VERSION,
    packages: API_PACKAGES,
    json,
    descriptor: root.toJSON({ keepComments: false }),
  };
}
