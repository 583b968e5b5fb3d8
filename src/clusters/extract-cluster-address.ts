import { CLUSTER_NAME } from './cluster-keys.js';

/** The help's lines for many clusters, shown after the command's usage when clusters are configured. */
export const CLUSTER_USAGE = [
  '',
  '*Many clusters*',
  "`/debugdead <pod> [namespace] @<cluster>` (or `--cluster <cluster>`): diagnose in that cluster; without it, the channel's default cluster, or the one cluster that has the pod",
  "`/debugdead clusters`: the clusters, their agents' versions and when each was last seen",
].join('\n');

export type ClusterAddress =
  /** `text` is the command without its cluster words; `cluster` the named cluster, if any. */
  { ok: true; text: string; cluster?: string } | { ok: false; problem: string };

/**
 * Takes the cluster out of a command: `@prod-eu` anywhere, or `--cluster prod-eu` / `--cluster=prod-eu`. The rest
 * goes to the command parser unchanged, so the pod grammar knows nothing of clusters. Slack escapes a real user
 * mention as `<@U…>`, so a bare `@word` is never a person. Naming two different clusters is a problem, not a guess.
 * Pure.
 */
export function extractClusterAddress(text: string): ClusterAddress {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const rest: string[] = [];
  const named: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let name: string | undefined;
    if (word.startsWith('@') && word.length > 1) name = word.slice(1);
    else if (word === '--cluster') {
      name = words[i + 1];
      if (name === undefined) return { ok: false, problem: '`--cluster` needs a cluster name after it.' };
      i++;
    } else if (word.startsWith('--cluster=')) name = word.slice('--cluster='.length);
    if (name === undefined) {
      rest.push(word);
      continue;
    }
    if (!CLUSTER_NAME.test(name)) return { ok: false, problem: `${show(name)} is not a cluster name.` };
    named.push(name);
  }
  const distinct = [...new Set(named)];
  if (distinct.length > 1)
    return { ok: false, problem: `Name one cluster, not ${distinct.map((n) => `@${n}`).join(' and ')}.` };
  return { ok: true, text: rest.join(' '), ...(distinct[0] ? { cluster: distinct[0] } : {}) };
}

/** A typed name, safe to echo: no backticks, mentions or controls, and short. */
function show(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]|[`<>&*_~]/g, '').slice(0, 40);
  return clean ? `\`${clean}\`` : 'That';
}
