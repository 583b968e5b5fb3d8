import type { RunningBot } from '../app.js';
import type { Config } from '../config/index.js';
import { printErr } from './print.js';

/** How long a graceful stop may take before the process exits anyway (a hung Redis or Slack close). */
const STOP_GRACE_MS = 15_000;
/** How long after a stop the process may linger (log lines flushing) before it exits anyway. */
const EXIT_GRACE_MS = 2_000;

/**
 * `debugdead run`: the bot itself. Loads and validates the configuration, refuses to start with every missing Slack
 * secret named at once, starts the bot, and stops it gracefully on SIGINT or SIGTERM (Kubernetes sends SIGTERM, then
 * SIGKILL after the pod's grace period); a second signal exits at once. Resolves with the exit code.
 */
export async function runBotCommand(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  // Loaded here, not at the top: src/cli.ts imports this module for every command, and client-node alone takes about
  // a second to import; `diagnose` and the previews need neither Bolt nor Redis nor BullMQ.
  const [{ ConfigError, loadConfig, missingSlackSecrets }, { isKubeError }, { readRole }] = await Promise.all([
    import('../config/index.js'),
    import('../kube/index.js'),
    import('../clusters/index.js'),
  ]);
  const role = readRole(env);
  if ('problem' in role) return fail(role.problem);
  let config: Config;
  try {
    config = loadConfig(env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  // An agent holds no Slack secret: only its cluster's signing key.
  const missing =
    role.role === 'agent'
      ? missingSlackSecrets(config).filter((m) => m.startsWith('DEBUGDEAD_SIGNING_KEY'))
      : missingSlackSecrets(config);
  if (missing.length) {
    return fail(
      `cannot start the bot (slack.mode ${config.slack.mode}):\n${missing.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  const { startDebugdead } = await import('../app.js');
  // Listening before starting: a SIGTERM that arrives while Bolt connects still ends in a graceful stop, not a kill.
  const signals = listenForStop();
  let bot: Pick<RunningBot, 'stop' | 'reload'>;
  try {
    if (role.role === 'agent') {
      const agent = await (await import('../agent/index.js')).startAgent({ config, cluster: role.cluster });
      bot = {
        stop: () => agent.stop(),
        reload: () => ({ refused: 'an agent applies a new configuration when restarted' }),
      };
    } else bot = await startDebugdead({ config, role: role.role });
  } catch (e) {
    signals.dispose();
    // What a failed start had opened (connections retrying, a listening port) must not keep the process alive.
    setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
    if (isKubeError(e)) return fail(e.message);
    // The start-up checks' sentences, every one: each names its fix.
    if (e instanceof Error && e.name === 'StartupCheckError') return fail(e.message);
    const text = e instanceof Error ? (e.message.split('\n', 1)[0] ?? '') : String(e);
    return fail(`the bot could not start: ${text}`);
  }
  // SIGHUP: the configuration file again; what can change live does, an invalid file changes nothing.
  const onHangup = (): void =>
    void bot.reload(() => {
      const next = loadConfig(env, cwd);
      const missingNow = missingSlackSecrets(next);
      if (missingNow.length) throw new Error(missingNow.join('; '));
      return next;
    });
  process.on('SIGHUP', onHangup);
  await signals.stopRequested;
  process.off('SIGHUP', onHangup);
  const force = setTimeout(() => {
    printErr(`debugdead: still stopping after ${STOP_GRACE_MS / 1000}s, exiting\n`);
    process.exit(1);
  }, STOP_GRACE_MS);
  force.unref();
  let code: number;
  try {
    await bot.stop();
    code = 0;
  } catch (e) {
    code = fail(`stopping failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearTimeout(force);
    signals.dispose();
  }
  // Stopped: a client that keeps reconnecting (a BullMQ connection whose close timed out) must not keep the process
  // alive. Unref'd, so a clean stop exits at once without waiting for it.
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}

/** The first SIGINT or SIGTERM asks for a graceful stop; a second one exits at once. */
function listenForStop(): { stopRequested: Promise<NodeJS.Signals>; dispose(): void } {
  let requested = false;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<NodeJS.Signals>((r) => {
    resolve = r;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) {
      printErr(`debugdead: ${signal} again, exiting without waiting\n`);
      process.exit(130);
    }
    requested = true;
    resolve(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopRequested,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function fail(message: string): number {
  printErr(`debugdead: ${message}\n`);
  return 1;
}
