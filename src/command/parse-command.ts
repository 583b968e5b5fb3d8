import { resourceKindOf, type WorkloadTarget } from './workload-kinds.js';

/** What a `/debugdead` command asks for, once parsed and validated. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'diagnose'; pod: string; namespace?: string; container?: string }
  /** `deploy/checkout`, `sts/db`…: the workload's worst pod is diagnosed and its siblings listed. */
  | { kind: 'diagnose-workload'; workload: WorkloadTarget; namespace?: string; container?: string }
  | { kind: 'audit'; filter?: AuditFilter; verify?: true }
  | { kind: 'invalid'; problem: string };

/** Narrows `/debugdead audit`: by pod name, by Slack user id, and how many records. */
export interface AuditFilter {
  pod?: string;
  /** A Slack user id (U…/W…), from a mention `<@U123|name>`. */
  user?: string;
  limit?: number;
}

/** The most audit records one command may ask for. */
export const AUDIT_LIMIT_MAX = 1000;

/** Shown on `help` and with every invalid command (Slack mrkdwn, readable as plain text too). */
export const USAGE = [
  '*Usage*',
  '`/debugdead <pod> [namespace]`: diagnose a pod (namespace defaults to the configured one)',
  '`/debugdead <namespace>/<pod>`: the same, kubectl-style',
  '`/debugdead <pod> -n <namespace> -c <container>`: pick the namespace (`--namespace`) and the container (`--container`)',
  "`/debugdead deploy/<name> -n <namespace>`: a workload's worst pod, with its siblings' states (also `sts/`, `ds/`, `rs/`, `job/`, `pod/` and the long names, as kubectl takes them)",
  'A namespace named like a resource type (`deploy`, `jobs`, `pods`…) needs `-n`: `/debugdead <pod> -n jobs`.',
  '`/debugdead audit [pod | @user | N]`: recent audit records, for a pod, a user, or the last N',
  '`/debugdead audit verify`: check the whole audit trail against its anchors outside Redis',
  '`/debugdead help`: this message',
  'Names are Kubernetes names: lowercase letters, digits and `-` (pods may also contain `.`).',
].join('\n');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Slack escapes user mentions in slash commands as `<@U123>` or `<@U123|name>` (should_escape). */
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

/**
 * Characters that must not be echoed: C0 and C1 controls (ESC, BEL, NUL, the 8-bit CSI U+009B), bidirectional
 * overrides and isolates (which make text read backwards), and zero-width characters (which hide text).
 */
const UNECHOABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u180e]/g;

/** Text typed by a person, made safe to echo in mrkdwn: unechoable characters dropped, `& < >` escaped. */
export function echoSafe(text: string): string {
  return text.replace(UNECHOABLE, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Slack sends `& < >` typed in a command as `&amp; &lt; &gt;` (manifest.yml: should_escape); turned back into what
 * was typed before it is shown, so the echo (escaped again) reads as typed instead of as `&amp;lt;`.
 */
function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Shows a token in a problem sentence without letting it break the message, ping anyone or hide anything. */
function show(token: string): string {
  const clean = decodeSlackEntities(token).replace(UNECHOABLE, '').replace(/[`\s]/g, '');
  if (clean === '') return 'An empty name';
  const cut = Array.from(clean);
  return `\`${echoSafe(cut.length > 60 ? `${cut.slice(0, 59).join('')}…` : clean)}\``;
}

/** Why `name` is not an RFC 1123 DNS label (namespaces, containers), or undefined when it is one. */
export function dnsLabelProblem(name: string, what: string): string | undefined {
  if (name.length > 63) return `${what} ${show(name)} is too long: at most 63 characters (RFC 1123 label).`;
  if (DNS_LABEL.test(name)) return undefined;
  return `${show(name)} is not a valid ${what}: ${labelRule(name, false)}`;
}

/** Why `name` is not an RFC 1123 DNS subdomain (pod names), or undefined when it is one. */
export function dnsSubdomainProblem(name: string, what: string): string | undefined {
  if (name.length > 253) return `${what} ${show(name)} is too long: at most 253 characters (RFC 1123 subdomain).`;
  if (DNS_SUBDOMAIN.test(name)) return undefined;
  return `${show(name)} is not a valid ${what}: ${labelRule(name, true)}`;
}

function labelRule(name: string, dots: boolean): string {
  if (name === '') return 'it is empty.';
  if (/[A-Z]/.test(name) && (dots ? DNS_SUBDOMAIN : DNS_LABEL).test(name.toLowerCase())) {
    return 'Kubernetes names are lowercase.';
  }
  const allowed = dots ? "lowercase letters, digits, '-' and '.'" : "lowercase letters, digits and '-'";
  return `use ${allowed}, starting and ending with a letter or digit.`;
}

type Flag = 'namespace' | 'container';
const FLAGS: Readonly<Record<string, Flag>> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-c': 'container',
  '--container': 'container',
};

/**
 * Slack auto-links what looks like a host name before the command reaches us: `api.example.com` arrives as
 * `<http://api.example.com|api.example.com>`. A pod name with dots can be one, so such a link is taken back, but
 * only when its label is its own URL without the scheme: `<https://evil.example/x|api-server>` is a link someone
 * wrote, and diagnosing its label would act on text the person never saw as the target.
 */
function unlink(token: string): string | { link: string } {
  if (!token.startsWith('<') || !token.endsWith('>') || token.startsWith('<@') || token.startsWith('<#')) return token;
  const m = /^<([a-z][a-z0-9+.-]*):(?:\/\/)?([^|>]*)(?:\|([^>]*))?>$/i.exec(token);
  if (!m) return token;
  if (m[3] !== undefined && m[3] === m[2] && /^(?:https?|mailto)$/i.test(m[1] ?? '')) return m[3];
  return { link: token };
}

/**
 * Dash look-alikes: hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign, small and
 * full-width hyphens, two- and three-em dashes. Smart punctuation makes them from `-` and `--`; they are refused
 * with the ASCII spelling as a hint, never silently rewritten.
 */
const DASH_LOOKALIKE = /[\u2010-\u2015\u2212\u2043\u02d7\u058a\u05be\u1806\u2e3a\u2e3b\ufe58\ufe63\uff0d]/;
const LONG_DASH = /^[\u2014\u2015\u2e3a\u2e3b\ufe58](?=[a-z])/;

function dashProblem(token: string): string | undefined {
  if (!DASH_LOOKALIKE.test(token)) return undefined;
  const ascii = token.replace(LONG_DASH, '--').replace(new RegExp(DASH_LOOKALIKE.source, 'g'), '-');
  const code = Array.from(token)
    .find((c) => DASH_LOOKALIKE.test(c))!
    .codePointAt(0)!;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${show(token)} contains a dash look-alike (${name}), not \`-\`: did you mean ${show(ascii)}? Smart punctuation may have changed what you typed.`;
}

function invalid(problem: string): ParsedCommand {
  return { kind: 'invalid', problem };
}

/**
 * Parses the text after `/debugdead`. Never throws: anything it cannot make sense of comes back as `invalid`
 * with one sentence saying what is wrong, for the ephemeral usage reply.
 */
export function parseCommand(text: string): ParsedCommand {
  // Pastes may carry non-breaking spaces.
  const raw = String(text ?? '')
    .split(/[\s\u00a0]+/)
    .filter((t) => t !== '')
    .map(unlink);
  const tokens: string[] = [];
  for (const token of raw) {
    if (typeof token !== 'string') {
      return invalid(`${show(token.link)} is a link, not a Kubernetes name: type the name itself.`);
    }
    const dash = dashProblem(token);
    if (dash) return invalid(dash);
    tokens.push(token);
  }
  const first = tokens[0];
  if (first === undefined) return { kind: 'help' };
  if (['help', '-h', '--help'].includes(first.toLowerCase())) {
    return tokens.length === 1
      ? { kind: 'help' }
      : invalid(`help takes no arguments (got ${tokens.slice(1).map(show).join(' ')}).`);
  }
  if (first.toLowerCase() === 'audit') return parseAudit(tokens.slice(1));
  return parseDiagnose(tokens);
}

function parseDiagnose(tokens: string[]): ParsedCommand {
  const flags: Partial<Record<Flag, string>> = {};
  const positional: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token.startsWith('-')) {
      const eq = token.indexOf('=');
      const flagName = eq > 0 ? token.slice(0, eq) : token;
      const flag = FLAGS[flagName];
      if (!flag)
        return invalid(`Unknown option ${show(token)}: only -n/--namespace and -c/--container are understood.`);
      let value: string | undefined;
      if (eq > 0) value = token.slice(eq + 1);
      else {
        value = tokens[i + 1];
        i++;
      }
      if (value === undefined || value === '' || value.startsWith('-')) {
        return invalid(`${flagName} needs a ${flag} name after it.`);
      }
      if (flags[flag] !== undefined && flags[flag] !== value) {
        return invalid(`The ${flag} is given twice (${show(flags[flag] as string)} and ${show(value)}).`);
      }
      flags[flag] = value;
    } else {
      positional.push(token);
    }
  }
  return parseDiagnoseTarget(positional, flags);
}

/**
 * The target of a diagnosis from its positional arguments (`<pod> [namespace]`, `<namespace>/<pod>`,
 * `<type>/<name> [namespace]`) and the `-n`/`-c` values: the one grammar the slash command and the CLI share.
 * Pure; never throws.
 */
export function parseDiagnoseTarget(
  positional: readonly string[],
  flags: { namespace?: string | undefined; container?: string | undefined },
): ParsedCommand {
  if (positional.length === 0) return invalid('Name the pod to diagnose.');
  if (positional.length > 2) {
    return invalid(
      `Too many arguments: ${positional.slice(2).map(show).join(' ')} (expected a pod and an optional namespace).`,
    );
  }
  let [podArg, nsArg] = positional as [string, string | undefined];
  let workloadKind: WorkloadTarget['kind'] | undefined;
  if (podArg.includes('/')) {
    const parts = podArg.split('/');
    const type = parts.length === 2 ? resourceKindOf(parts[0] ?? '') : undefined;
    if (parts.length !== 2) {
      return invalid(`${show(podArg)} is neither &lt;namespace&gt;/&lt;pod&gt; nor &lt;type&gt;/&lt;name&gt;.`);
    }
    if (type !== undefined) {
      // kubectl's TYPE/NAME: the namespace still comes from -n or the second argument.
      if (type !== 'Pod') workloadKind = type;
      podArg = parts[1] ?? '';
    } else {
      if (nsArg !== undefined)
        return invalid(`The namespace is given twice (${show(parts[0] ?? '')} and ${show(nsArg)}).`);
      nsArg = parts[0];
      podArg = parts[1] ?? '';
    }
  }
  let namespace = flags.namespace;
  if (nsArg !== undefined) {
    if (namespace !== undefined && namespace !== nsArg) {
      return invalid(`The namespace is given twice (${show(nsArg)} and ${show(namespace)}).`);
    }
    namespace = nsArg;
  }
  const what = workloadKind ? `${workloadKind.toLowerCase()} name` : 'pod name';
  const problem =
    dnsSubdomainProblem(podArg, what) ??
    (namespace !== undefined ? dnsLabelProblem(namespace, 'namespace') : undefined) ??
    (flags.container !== undefined ? dnsLabelProblem(flags.container, 'container name') : undefined);
  if (problem) return invalid(problem);
  const rest = {
    ...(namespace !== undefined ? { namespace } : {}),
    ...(flags.container !== undefined ? { container: flags.container } : {}),
  };
  return workloadKind
    ? { kind: 'diagnose-workload', workload: { kind: workloadKind, name: podArg }, ...rest }
    : { kind: 'diagnose', pod: podArg, ...rest };
}

function parseAudit(args: string[]): ParsedCommand {
  if (args[0]?.toLowerCase() === 'verify') {
    return args.length === 1 ? { kind: 'audit', verify: true } : invalid('`audit verify` takes no arguments.');
  }
  const filter: AuditFilter = {};
  for (const arg of args) {
    const mention = USER_MENTION.exec(arg);
    if (mention?.[1]) {
      if (filter.user !== undefined) return invalid('Audit takes one user at a time.');
      filter.user = mention[1];
    } else if (/^\d+$/.test(arg)) {
      const n = Number(arg);
      if (filter.limit !== undefined) return invalid('Audit takes one number (how many records).');
      if (n < 1 || n > AUDIT_LIMIT_MAX)
        return invalid(`Ask for between 1 and ${AUDIT_LIMIT_MAX} audit records, not ${n}.`);
      filter.limit = n;
    } else if (arg.startsWith('@')) {
      return invalid(`Mention the user (${show(arg)} as a real @-mention) so Slack sends their id.`);
    } else {
      if (filter.pod !== undefined)
        return invalid(`Audit takes one pod at a time (${show(filter.pod)} and ${show(arg)}).`);
      const problem = dnsSubdomainProblem(arg, 'pod name');
      if (problem) return invalid(problem);
      filter.pod = arg;
    }
  }
  return Object.keys(filter).length ? { kind: 'audit', filter } : { kind: 'audit' };
}
