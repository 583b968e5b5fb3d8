import { DebugPodError } from './debug-pod-error.js';

/** Kubernetes caps DNS labels at 63; we keep our pod names within one so each is also a valid hostname. */
export const MAX_NAME_LENGTH = 63;

const SUFFIX = /^[a-z0-9]{1,16}$/;

/** `<source>-debug-<suffix>`, at most 63 characters: the source name is cut, never the suffix. */
export function cloneName(sourceName: string, suffix: string): string {
  return withSuffix(sourceName, `-debug-${checkSuffix(suffix)}`, 'pod');
}

/** `node-shell-<node>-<suffix>`, at most 63 characters: the node name is cut, never the suffix. */
export function nodeShellName(nodeName: string, suffix: string): string {
  return `node-shell-${withSuffix(nodeName, `-${checkSuffix(suffix)}`, 'node', 'node-shell-'.length)}`;
}

/**
 * A label value for any string: at most 63 characters of `[A-Za-z0-9_.-]`, starting and ending alphanumeric
 * (the API server rejects anything else). Used for the request id; the exact id goes in an annotation.
 */
export function toLabelValue(text: string): string {
  return trimToAlnum(text.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, MAX_NAME_LENGTH));
}

function withSuffix(base: string, tail: string, fallback: string, reserved = 0): string {
  // Dots are legal in pod names (DNS subdomains) but not in a hostname label, so they become dashes.
  const label = base.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const cut = trimToAlnum(label.slice(0, MAX_NAME_LENGTH - reserved - tail.length));
  return `${cut || fallback}${tail}`;
}

function trimToAlnum(text: string): string {
  return text.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

function checkSuffix(suffix: string): string {
  if (!SUFFIX.test(suffix)) {
    throw new DebugPodError('InvalidRequest', `name suffix must be 1-16 lowercase letters or digits, got "${suffix}"`);
  }
  return suffix;
}
