import { matchGlob } from '../approvals/index.js';
import type { Runbook } from '../config/index.js';

/** What a runbook rule is matched against: the diagnosis' finding kinds, the pod's namespace and labels. */
export interface RunbookSubject {
  kinds: readonly string[];
  namespace: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * The runbooks whose every given key fits (kind among the findings, namespace by glob, label `key=value` on the
 * pod), in config order, each URL once. A rule with no key matches nothing (config validation refuses it). Pure.
 */
export function matchRunbooks(runbooks: readonly Runbook[], subject: RunbookSubject): Runbook[] {
  const seen = new Set<string>();
  return runbooks.filter((r) => {
    const { kind, namespace, label } = r.match ?? {};
    if (kind === undefined && namespace === undefined && label === undefined) return false;
    if (kind !== undefined && !subject.kinds.includes(kind)) return false;
    if (namespace !== undefined && !matchGlob(namespace, subject.namespace)) return false;
    if (label !== undefined) {
      const eq = label.indexOf('=');
      if (eq < 0 || subject.labels[label.slice(0, eq)] !== label.slice(eq + 1)) return false;
    }
    if (seen.has(r.url)) return false;
    seen.add(r.url);
    return true;
  });
}
