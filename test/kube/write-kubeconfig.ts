import { writeFileSync } from 'node:fs';

/** Writes a kubeconfig for a plain-http server: client-node needs `insecure-skip-tls-verify` for http: servers. */
export function writeKubeconfig(
  path: string,
  server: string,
  opts: { context?: string; extraContexts?: string[] } = {},
): void {
  const context = opts.context ?? 'sim';
  const contexts = [context, ...(opts.extraContexts ?? [])]
    .map((name) => `- name: ${name}\n  context:\n    cluster: sim\n    user: bot\n    namespace: demo\n`)
    .join('');
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: bot
  user:
    token: test-token
contexts:
${contexts}current-context: ${context}
`,
  );
}
