import type { Container } from '../kube/types.js';

/** A runtime memory setting found in a container's spec. */
export interface HeapSetting {
  /** Where it was found: "JAVA_TOOL_OPTIONS", "NODE_OPTIONS", "command". */
  source: string;
  /** The flag as written: "-Xmx1g", "--max-old-space-size=2048". */
  flag: string;
  /** The heap size it allows, in bytes. */
  bytes: number;
}

/** Environment variables the JVM and Node read their options from. */
const OPTION_VARS = ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS', 'JAVA_OPTS', 'NODE_OPTIONS'];

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

function scan(source: string, text: string): HeapSetting[] {
  const found: HeapSetting[] = [];
  // -Xmx takes k/m/g/t (either case) or bytes (JVM `java -X` help).
  for (const m of text.matchAll(/-Xmx(\d+)([kKmMgGtT]?)\b/g)) {
    found.push({ source, flag: m[0], bytes: Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1) });
  }
  // V8's old-space limit is in MiB.
  for (const m of text.matchAll(/--max-old-space-size[= ](\d+)/g)) {
    found.push({ source, flag: m[0], bytes: Number(m[1]) * 2 ** 20 });
  }
  return found;
}

/**
 * The heap limits a container's JVM or Node process is told to use (-Xmx, --max-old-space-size), from the usual
 * option variables and the command line: a heap larger than the memory limit is a ready-made OOMKill.
 */
export function findHeapSettings(spec: Container | undefined): HeapSetting[] {
  if (!spec) return [];
  const fromEnv = (spec.env ?? [])
    .filter((e) => e && OPTION_VARS.includes(e.name) && typeof e.value === 'string')
    .flatMap((e) => scan(e.name, e.value as string));
  const fromCommand = scan('command', [...(spec.command ?? []), ...(spec.args ?? [])].join(' '));
  return [...fromEnv, ...fromCommand];
}
