import { dnsLabelProblem, dnsSubdomainProblem } from '../command/index.js';

/**
 * Why the names on the command line cannot be Kubernetes names (pods and nodes are DNS subdomains, namespaces and
 * containers DNS labels), or undefined when they all can: checked before any API call, as the slash command does.
 */
export function checkNames(names: {
  pod?: string;
  node?: string;
  namespace?: string;
  container?: string;
}): string | undefined {
  const problem =
    (names.pod !== undefined ? dnsSubdomainProblem(names.pod, 'pod name') : undefined) ??
    (names.node !== undefined ? dnsSubdomainProblem(names.node, 'node name') : undefined) ??
    (names.namespace !== undefined ? dnsLabelProblem(names.namespace, 'namespace') : undefined) ??
    (names.container !== undefined ? dnsLabelProblem(names.container, 'container name') : undefined);
  return problem === undefined ? undefined : plainText(problem);
}

/** The shared checker writes mrkdwn (code style, `& < >` escaped); a terminal reads plain quotes and characters. */
export function plainText(mrkdwn: string): string {
  return mrkdwn.replace(/`/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
