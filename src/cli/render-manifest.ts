import yaml from 'js-yaml';
import type { BuiltPod } from '../debugpods/index.js';

/**
 * A built pod as a YAML document a person can review or `kubectl create -f -`: the header and the builder's notes,
 * exec line and original command as comments on top, then the pod (js-yaml, no anchors, no folding). Pure.
 */
export function renderManifest(built: BuiltPod, header: readonly string[]): string {
  const comments = [...header];
  if (built.notes.length) comments.push('Notes:', ...built.notes.map((n) => `  ${n}`));
  if (built.originalCommand !== undefined) comments.push(`Original command: ${built.originalCommand}`);
  comments.push(`Shell: ${built.execCommand}`);
  // A JSON round trip drops undefined fields, which js-yaml refuses to dump.
  const pod = JSON.parse(JSON.stringify(built.pod)) as unknown;
  return `${comments.flatMap(commentLines).join('\n')}\n${yaml.dump(pod, { noRefs: true, lineWidth: -1 })}`;
}

/** Every line of a (possibly multi-line) sentence as a YAML comment; control characters cannot end the comment. */
function commentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => `# ${line.replace(/[\x00-\x1f\x7f]/g, ' ')}`.trimEnd());
}
