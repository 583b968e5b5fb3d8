import { execFile } from 'node:child_process';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `kubectl` against `kubeconfig`; never throws on a non-zero exit (refusals are results the tests read).
 * `input` is written to its stdin (`-f -`).
 */
export function runKubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.env.KUBECTL ?? 'kubectl',
      args,
      { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') reject(new Error(`kubectl ${args.join(' ')}: ${error.message}`));
        else resolve({ code, stdout, stderr });
      },
    );
    // kubectl may exit before reading its input (a refusal, a usage error): the write then fails with EPIPE, which
    // must not surface as an unhandled error; the exit code and stderr say what happened.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}
