import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

/** What the simulated workspace takes from the app manifest, as Slack does when the app is installed from it. */
export interface ManifestFacts {
  /** The slash command (the first one). */
  command: string;
  /** The command's `should_escape` (Slack's default: false). */
  shouldEscape: boolean;
  /** `oauth_config.scopes.bot`: the scopes the installed bot token holds. */
  botScopes: string[];
}

/** The repository's manifest.yml, found by walking up from here (the tests run from source, benches compiled). */
export function findManifest(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'manifest.yml');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`manifest.yml not found above ${start}`);
}

/** Reads the facts the simulator needs from an app manifest (YAML text). Throws on a manifest Slack would refuse. */
export function readManifestFacts(text: string): ManifestFacts {
  const doc = yaml.load(text) as {
    features?: { slash_commands?: { command?: unknown; should_escape?: unknown }[] };
    oauth_config?: { scopes?: { bot?: unknown } };
  };
  const first = doc?.features?.slash_commands?.[0];
  if (!first || typeof first.command !== 'string') throw new Error('manifest.yml declares no slash command');
  const scopes = doc.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new Error('manifest.yml: oauth_config.scopes.bot must be a list of scopes');
  }
  return { command: first.command, shouldEscape: first.should_escape === true, botScopes: scopes };
}

let cached: ManifestFacts | undefined;

/** The facts of the repository's own manifest.yml, read once. */
export function repositoryManifest(): ManifestFacts {
  cached ??= readManifestFacts(readFileSync(findManifest(), 'utf8'));
  return cached;
}
