import type { Block, SlackMessage } from './block-kit-types.js';
import { section } from './blocks.js';
import { renderCodeBlock } from './code-block.js';
import { parseForbidden } from './parse-forbidden.js';
import { inlineCode, safeMrkdwn } from './safe-mrkdwn.js';

/** Where the bot's least-privilege RBAC lives, so a person knows what to edit: its cluster-wide reads. */
export const RBAC_PATH = 'deploy/base/rbac.yaml';
/** Pod writes are granted per namespace, by RoleBindings listed with this component. */
export const POD_WRITES_PATH = 'deploy/components/pod-writes';
const WRITE_VERBS = new Set(['create', 'patch', 'update', 'delete']);

/**
 * A failure the bot reports to a person. The Kubernetes kinds mirror `KubeErrorKind` (pass `{kind, message}` of a
 * KubeError as is); `Policy` and `Usage` are the bot's own refusals. Every detail is optional except Usage's text.
 */
export type RenderableError =
  | {
      kind: 'NotFound';
      /** What was looked for. @defaultValue "pod" */
      resource?: string;
      name?: string;
      namespace?: string;
      /** Names in that namespace close to the one asked for. */
      closestNames?: string[];
      /** Other namespaces where a pod of exactly that name exists. */
      namespacesWithName?: string[];
      message?: string;
    }
  | {
      kind: 'Forbidden';
      verb?: string;
      resource?: string;
      namespace?: string;
      serviceAccount?: string;
      message?: string;
    }
  | {
      kind: 'Timeout';
      /** What was being read: a thing (`events`) or an activity (`reading pod demo/web-1`). */
      what?: string;
      timeoutSeconds?: number;
      message?: string;
    }
  | { kind: 'Invalid'; message?: string }
  | { kind: 'Conflict'; message?: string }
  | { kind: 'Unavailable'; message?: string }
  | {
      kind: 'Policy';
      namespace?: string;
      /** Why the policy refuses, e.g. "matches namespaces.deny `kube-system`". */
      reason?: string;
      message?: string;
    }
  | { kind: 'Usage'; usage: string; problem?: string };

const MAX_SUGGESTIONS = 5;

function code(text: string, max = 200): string {
  return inlineCode(text, max);
}

function list(items: string[]): string {
  const shown = items.slice(0, MAX_SUGGESTIONS).map((s) => code(s, 100));
  return shown.join(', ') + (items.length > MAX_SUGGESTIONS ? ` and ${items.length - MAX_SUGGESTIONS} more` : '');
}

function detail(message: string | undefined): string {
  return message ? `\n>${safeMrkdwn(message, 800).replace(/\n/g, '\n>')}` : '';
}

function notFound(e: Extract<RenderableError, { kind: 'NotFound' }>): string[] {
  const what = e.resource ?? 'pod';
  const where = e.namespace ? ` in namespace ${code(e.namespace)}` : '';
  const lines = [`:mag: No ${safeMrkdwn(what, 40)} ${e.name ? code(e.name) : ''}${where}.`.replace(/ {2,}/g, ' ')];
  if (e.closestNames && e.closestNames.length > 0) lines.push(`Did you mean ${list(e.closestNames)}?`);
  if (e.namespacesWithName && e.namespacesWithName.length > 0 && e.name) {
    const first = e.namespacesWithName[0]!;
    lines.push(
      `A ${safeMrkdwn(what, 40)} named ${code(e.name)} exists in ${list(e.namespacesWithName)}: ` +
        `try ${code(`/debugdead ${e.name} ${first}`, 300)}.`,
    );
  }
  if (lines.length === 1)
    lines.push(
      'Check the name and namespace (`kubectl get pods -n <namespace>`); a pod replaced by its controller gets a new name.',
    );
  return lines;
}

function forbidden(e: Extract<RenderableError, { kind: 'Forbidden' }>): string[] {
  const parsed = parseForbidden(e.message ?? '');
  const verb = e.verb ?? parsed.verb;
  const resource = e.resource ?? parsed.resource;
  const namespace = e.namespace ?? parsed.namespace;
  const who = e.serviceAccount ?? parsed.user;
  const subject = who ? `The bot's ServiceAccount ${code(who)}` : "The bot's ServiceAccount";
  const action = verb && resource ? `may not ${code(verb, 40)} ${code(resource, 100)}` : 'lacks a permission';
  const where = namespace ? ` in namespace ${code(namespace)}` : '';
  return [
    `:no_entry: ${subject} ${action}${where} (403 Forbidden).`,
    verb && WRITE_VERBS.has(verb) && resource === 'pods' && namespace
      ? `Bind ClusterRole ${code('debugdead-pod-writer')} in namespace ${code(namespace)} with a RoleBinding (${code(POD_WRITES_PATH)}), apply, and try again; the namespace must also be in ${code('namespaces.allow')}.${detail(e.message)}`
      : `Grant it in ${code(RBAC_PATH)}${verb && resource ? ` (verb ${code(verb, 40)} on ${code(resource, 100)})` : ''}, apply, and try again.${detail(e.message)}`,
  ];
}

function sentences(e: RenderableError): string[] {
  switch (e.kind) {
    case 'NotFound':
      return notFound(e);
    case 'Forbidden':
      return forbidden(e);
    case 'Timeout': {
      // `what` may name the thing (`events`) or the activity (`reading pod demo/web-1`).
      const what = e.what ? ` while ${/^\w+ing\b/.test(e.what) ? '' : 'reading '}${safeMrkdwn(e.what, 200)}` : '';
      const limit = e.timeoutSeconds !== undefined ? ` within ${e.timeoutSeconds}s` : ' in time';
      return [
        `:hourglass: The Kubernetes API did not answer${limit}${what}.`,
        `Run the command again in a minute, or raise \`kubernetes.requestTimeout\` in debugdead.yaml if the API server is slow.${detail(e.message)}`,
      ];
    }
    case 'Invalid':
      return [
        `:warning: Kubernetes rejected the request as invalid.${detail(e.message)}`,
        'This is likely a bug in debugdead: please report it with the message above.',
      ];
    case 'Conflict':
      return [
        `:twisted_rightwards_arrows: The object changed while the bot was working on it (409 Conflict); try again.${detail(e.message)}`,
      ];
    case 'Unavailable':
      return [
        `:construction: The Kubernetes API is unavailable right now.${detail(e.message)}`,
        "Try again shortly; if it persists, check the bot's network path to the API server and its credentials.",
      ];
    case 'Policy': {
      const ns = e.namespace ? `Namespace ${code(e.namespace)} is` : 'This namespace is';
      const why = e.reason ? ` (${safeMrkdwn(e.reason, 300)})` : '';
      return [
        `:lock: ${ns} not allowed by debugdead's policy${why}.`,
        `Ask an admin to add it to \`namespaces.allow\` (and remove it from \`namespaces.deny\`) in the bot's config.${detail(e.message)}`,
      ];
    }
    case 'Usage': {
      const problem = e.problem ? `:information_source: ${safeMrkdwn(e.problem, 500)}` : ':information_source: Usage:';
      return [problem, renderCodeBlock(e.usage, 2400, 'start').text];
    }
  }
}

/** A failure as a short message a person can act on: what went wrong, and what to do next. */
export function renderErrorMessage(error: RenderableError): SlackMessage {
  const lines = sentences(error);
  const blocks: Block[] = [section(lines.join('\n'))];
  return { text: lines[0] ?? error.kind, blocks };
}
