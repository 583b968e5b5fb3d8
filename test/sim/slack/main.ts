/**
 * Standalone Slack simulator: `npm run sim:slack -- [--port N]`. The first stdout line is one JSON object (base URL,
 * API URL, tokens, signing secret, team, users, channels) so scripts can read it; the process runs until killed.
 */
import { startSlackSim } from './index.js';

function portArg(argv: string[]): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--port='))?.slice('--port='.length);
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer 0-65535, got ${raw}\n`);
    process.exit(2);
  }
  return port;
}

const sim = await startSlackSim({ port: portArg(process.argv.slice(2)) });
process.stdout.write(`${JSON.stringify(sim.info())}\n`);
const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
