import { existsSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { buildConfig, type Environment } from './build-config.js';
import type { Config } from './types.js';

/** Every problem with the configuration, each naming its key, so one edit fixes them all. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads DEBUGDEAD_CONFIG (or ./debugdead.yaml when present; defaults alone otherwise), merges the environment's
 * secrets, and validates. Throws ConfigError listing every problem.
 */
export function loadConfig(env: Environment = process.env, cwd = process.cwd()): Config {
  const explicit = env.DEBUGDEAD_CONFIG;
  const path = explicit ?? (existsSync(`${cwd}/debugdead.yaml`) ? `${cwd}/debugdead.yaml` : undefined);
  let document: unknown = {};
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(path, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`]);
    }
    try {
      document = yaml.load(text, { filename: path }) ?? {};
    } catch (e) {
      const err = e as { reason?: string; mark?: { line: number; column: number } };
      const where = err.mark ? `line ${err.mark.line + 1}, column ${err.mark.column + 1}` : 'somewhere';
      throw new ConfigError(path, [`not valid YAML at ${where}: ${err.reason ?? String(e)}`]);
    }
  }
  const result = buildConfig(document, env);
  if (!result.ok) throw new ConfigError(path ?? 'defaults and environment', result.errors);
  return result.config;
}
