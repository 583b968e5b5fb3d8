import type { Container } from '../kube/types.js';

/** A runtime memory setting found in a container's spec. */
export interface HeapSetting {
  /** Where it was found: the env var's name ("JAVA_TOOL_OPTIONS", "JVM_ARGS"…) or "command". */
  source: string;
  /** The flag as written: "-Xmx1g", "-XX:MaxRAM=2g", "--max-old-space-size=2048". */
  flag: string;
  /** The heap (or memory) size it allows, in bytes. */
  bytes: number;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * JVM sizes: -Xmx/-Xms take a number with k/m/g/t (either case) or bytes (`java -X`); the -XX size options take
 * the same (`-XX:MaxHeapSize=2g`, `-XX:MaxRAM=4g`). V8's --max-old-space-size is in MiB.
 */
const JVM_FLAG =
  /(?<![\w-])(-Xm[xs](\d+)([kKmMgGtT]?)|-XX:(?:MaxHeapSize|InitialHeapSize|MaxRAM)=(\d+)([kKmMgGtT]?))(?![\w.])/g;
const V8_FLAG = /--max[-_]old[-_]space[-_]size[= ](\d+)/g;

function scan(source: string, text: string): HeapSetting[] {
  const found: HeapSetting[] = [];
  for (const m of text.matchAll(JVM_FLAG)) {
    const n = Number(m[2] ?? m[4]);
    const unit = (m[3] ?? m[5] ?? '').toLowerCase();
    if (Number.isFinite(n)) found.push({ source, flag: m[1] ?? m[0], bytes: n * (UNITS[unit] ?? 1) });
  }
  for (const m of text.matchAll(V8_FLAG)) found.push({ source, flag: m[0], bytes: Number(m[1]) * 2 ** 20 });
  return found;
}

/**
 * The heap limits a container's JVM or Node process is told to use (-Xmx, -Xms, -XX:MaxHeapSize, -XX:MaxRAM,
 * --max-old-space-size), from any env value (JAVA_TOOL_OPTIONS, JAVA_OPTS, a chart's own JVM_ARGS…) and the
 * command line: a heap larger than the memory limit is a ready-made OOMKill.
 */
export function findHeapSettings(spec: Container | undefined): HeapSetting[] {
  if (!spec) return [];
  const fromEnv = (spec.env ?? [])
    .filter((e) => e && typeof e.value === 'string')
    .flatMap((e) => scan(e.name, e.value as string));
  const fromCommand = scan('command', [...(spec.command ?? []), ...(spec.args ?? [])].join(' '));
  return [...fromEnv, ...fromCommand];
}
