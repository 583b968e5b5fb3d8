import type { Config } from '../config/index.js';

/** How long a graceful stop may take before the process exits anyway (a hung Redis or Slack close). */
const STOP_GRACE_MS = 15_000;

/**
 * `debugdead run`: the bot itself. Loads and validates the configuration, refuses to start with every missing Slack
 * secret named at once, starts the bot, and stops it gracefully on SIGINT or SIGTERM (Kubernetes sends SIGTERM, then
 * SIGKILL after the pod's grace period); a second signal exits at once. Resolves with the exit code.
 */
export async function runBotCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  // Loaded here, not at the top: src/cli.ts imports this module for every command, and client-node alone takes about
  // a second to import; `diagnose` and the previews need neither Bolt nor Redis nor BullMQ.
  const [{ ConfigError, loadConfig, missingSlackSecrets }, { isKubeError }] = await Promise.all([
    import('../config/index.js'),
    import('../kube/index.js'),
  ]);
  let config: Config;
  try {
    config = loadConfig(env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  const missing = missingSlackSecrets(config);
  if (missing.length) {
    return fail(
      `cannot start the bot (slack.mode ${config.slack.mode}):\n${missing.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  const { startDebugdead } = await import('../app.js');
  let bot: { stop(): Promise<void> };
  try {
    bot = await startDebugdead({ config });
  } catch (e) {
    if (isKubeError(e)) return fail(e.message);
    const text = e instanceof Error ? (e.message.split('\n', 1)[0] ?? '') : String(e);
    return fail(`the bot could not start: ${text}`);
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`debugdead: ${signal} again, exiting without waiting\n`);
        process.exit(130);
      }
      stopping = true;
      const force = setTimeout(() => {
        process.stderr.write(`debugdead: still stopping after ${STOP_GRACE_MS / 1000}s, exiting\n`);
        process.exit(1);
      }, STOP_GRACE_MS);
      force.unref();
      bot.stop().then(
        () => {
          clearTimeout(force);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve(0);
        },
        (e: unknown) => {
          clearTimeout(force);
          process.stderr.write(`debugdead: stopping failed: ${e instanceof Error ? e.message : String(e)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function fail(message: string): number {
  process.stderr.write(`debugdead: ${message}\n`);
  return 1;
}
