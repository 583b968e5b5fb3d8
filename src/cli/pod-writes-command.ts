import { ConfigError, loadConfig } from '../config/index.js';
import { renderPodWrites } from './render-pod-writes.js';

/** `debugdead pod-writes`: prints the RoleBindings for the configuration's namespaces.allow. Exit 1 on a problem. */
export function runPodWritesCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): number {
  let result: ReturnType<typeof renderPodWrites>;
  try {
    result = renderPodWrites(loadConfig(env, cwd));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`debugdead: ${e.message}\n`);
    return 1;
  }
  if (!result.ok) {
    process.stderr.write(
      `debugdead: cannot write the RoleBindings:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(result.yaml);
  return 0;
}
