/**
 * An exec line for people with many kubeconfig contexts: `kubectl exec …` becomes `kubectl --context <ctx> exec …`,
 * so the pasted command reaches the cluster the pod is in, not whichever context is current. Lines that already name
 * a context, or are not kubectl lines, are left as they are. Pure.
 */
export function withKubeContext(line: string, context: string): string {
  if (/--context[=\s]/.test(line)) return line;
  return line.replace(
    /\bkubectl (?=exec\b|debug\b|logs\b|delete\b|get\b|describe\b)/g,
    `kubectl --context ${context} `,
  );
}
