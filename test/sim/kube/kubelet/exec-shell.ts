import type { ExecEnvironment } from './exec-environment.js';
import {
  launch,
  newFrame,
  type Output,
  type ProgramContext,
  type ProgramResult,
  resolveProgram,
  runtimeNotFound,
  type ShellFrame,
} from './exec-programs.js';

/** A piece of a word and how it was quoted: single quotes are literal, the others expand `$NAME`. */
interface Part {
  text: string;
  quote: 'none' | 'single' | 'double';
}

/** One simple command of a list and the operator that follows it. */
interface SimpleCommand {
  words: Part[][];
  next: ';' | '&&' | '||' | undefined;
}

type Parsed = { kind: 'list'; commands: SimpleCommand[] } | { kind: 'error'; message: string; status: number };

/**
 * Splits one line of shell into simple commands joined by `;`, `&&` and `||`, with quotes, backslashes and
 * comments. Pipes, redirections, background jobs and command substitution are not modelled: such a line is refused
 * with a message that says so, rather than run wrongly.
 */
export function parseLine(line: string): Parsed {
  const commands: SimpleCommand[] = [];
  let words: Part[][] = [];
  let word: Part[] | undefined;
  const push = (text: string, quote: Part['quote']): void => {
    word ??= [];
    const last = word.at(-1);
    if (last && last.quote === quote && quote === 'none') last.text += text;
    else word.push({ text, quote });
  };
  const endWord = (): void => {
    if (word) words.push(word);
    word = undefined;
  };
  const endCommand = (next: SimpleCommand['next']): void => {
    endWord();
    if (words.length) commands.push({ words, next });
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { kind: 'error', message: 'syntax error: unterminated quoted string', status: 2 };
      push(line.slice(i + 1, end), 'single');
      i = end;
    } else if (ch === '"') {
      let text = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) text += line[++j];
        else if (line[j] === '`' || (line[j] === '$' && line[j + 1] === '('))
          return unsupported(line[j] === '`' ? '`' : '$(');
        else text += line[j];
      }
      if (j >= line.length) return { kind: 'error', message: 'syntax error: unterminated quoted string', status: 2 };
      push(text, 'double');
      i = j;
    } else if (ch === '\\' && i + 1 < line.length) {
      push(line[++i] as string, 'single');
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else if (ch === '#' && !word) {
      break;
    } else if (ch === ';') {
      endCommand(';');
    } else if (ch === '&' && line[i + 1] === '&') {
      endCommand('&&');
      i++;
    } else if (ch === '|' && line[i + 1] === '|') {
      endCommand('||');
      i++;
    } else if ('|&<>`'.includes(ch) || (ch === '$' && line[i + 1] === '(')) {
      return unsupported(ch === '$' ? '$(' : ch);
    } else {
      push(ch, 'none');
    }
  }
  endCommand(undefined);
  return { kind: 'list', commands };
}

function unsupported(what: string): Parsed {
  return { kind: 'error', message: `the Kubernetes simulator does not model '${what}' in exec'd shells`, status: 2 };
}

function lookup(frame: ShellFrame, name: string): string {
  if (name === '?') return String(frame.status);
  if (name === '0') return frame.name;
  if (name === '$') return '1';
  return frame.locals.get(name) ?? frame.exported.get(name) ?? '';
}

function expandText(frame: ShellFrame, text: string): string {
  return text.replace(
    /\$(\{([A-Za-z_][A-Za-z0-9_]*|[?0$])\}|[A-Za-z_][A-Za-z0-9_]*|[?0$])/g,
    (_all, a: string, b?: string) => lookup(frame, b ?? a),
  );
}

/** The fields a word becomes: `$VAR` outside quotes is split on blanks; an empty unquoted expansion vanishes. */
function expandWord(frame: ShellFrame, word: Part[]): string[] {
  const unquotedOnly = word.every((p) => p.quote === 'none');
  const text = word.map((p) => (p.quote === 'single' ? p.text : expandText(frame, p.text))).join('');
  if (!unquotedOnly) return [text];
  return text.split(/[ \t\n]+/).filter(Boolean);
}

/** What running one line did to the shell reading it. */
export interface LineResult {
  outputs: Output[];
  /** The shell ends with this status (`exit`, or `exec` of a program that finished). */
  exit?: number;
  /** A nested shell that now reads stdin (`sh`, `nsenter … -- sh -l`). */
  push?: ShellFrame;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/**
 * Runs one line in `frame` (changing its variables, `$?` and directory) as busybox ash or dash would, for the
 * builtins `exit`, `cd`, `export`, `unset`, `exec`, `echo`, `:`, and programs through {@link launch}.
 */
export function runLine(frame: ShellFrame, line: string, ctx: Omit<ProgramContext, 'runScript'>): LineResult {
  const parsed = parseLine(line);
  if (parsed.kind === 'error') {
    frame.status = parsed.status;
    return { outputs: [{ fd: 2, text: `${frame.name}: ${parsed.message}\n` }] };
  }
  const outputs: Output[] = [];
  let prev: SimpleCommand['next'];
  for (const cmd of parsed.commands) {
    const skip = (prev === '&&' && frame.status !== 0) || (prev === '||' && frame.status === 0);
    prev = cmd.next;
    if (skip) continue;
    const r = runSimple(frame, cmd.words, ctx);
    outputs.push(...r.outputs);
    if (r.exit !== undefined || r.push) return { ...r, outputs };
  }
  return { outputs };
}

function runSimple(frame: ShellFrame, raw: Part[][], ctx: Omit<ProgramContext, 'runScript'>): LineResult {
  const assigns: [string, string][] = [];
  let k = 0;
  for (; k < raw.length; k++) {
    const first = raw[k]?.[0];
    const m = first?.quote === 'none' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text) : null;
    if (!m) break;
    const value = (raw[k] as Part[]).map((p, i) => {
      const text = i === 0 ? p.text.slice(m[0].length) : p.text;
      return p.quote === 'single' ? text : expandText(frame, text);
    });
    assigns.push([m[1] as string, value.join('')]);
  }
  const argv = raw.slice(k).flatMap((w) => expandWord(frame, w));
  if (argv.length === 0) {
    for (const [n, v] of assigns) (frame.exported.has(n) ? frame.exported : frame.locals).set(n, v);
    frame.status = 0;
    return { outputs: [] };
  }
  const [name, ...args] = argv as [string, ...string[]];
  const ok = (outputs: Output[] = []): LineResult => {
    frame.status = 0;
    return { outputs };
  };
  switch (name) {
    case 'exit': {
      const n = args[0] === undefined ? frame.status : Number(args[0]);
      if (!Number.isInteger(n)) {
        frame.status = 2;
        return { outputs: [{ fd: 2, text: `${frame.name}: exit: Illegal number: ${args[0]}\n` }], exit: 2 };
      }
      return { outputs: [], exit: n & 255 };
    }
    case ':':
    case 'true':
      return ok();
    case 'false':
      frame.status = 1;
      return { outputs: [] };
    case 'pwd':
      return ok([{ fd: 1, text: `${frame.cwd}\n` }]);
    case 'cd': {
      const dir = args[0] ?? frame.exported.get('HOME') ?? '/';
      frame.cwd = dir.startsWith('/') ? dir : `${frame.cwd.replace(/\/$/, '')}/${dir}`;
      return ok();
    }
    case 'export':
      for (const a of args) {
        const m = ASSIGNMENT.exec(a);
        if (m) frame.exported.set(m[1] as string, m[2] as string);
        else frame.exported.set(a, frame.locals.get(a) ?? frame.exported.get(a) ?? '');
        frame.locals.delete(m ? (m[1] as string) : a);
      }
      return ok();
    case 'unset':
      for (const a of args) {
        frame.locals.delete(a);
        frame.exported.delete(a);
      }
      return ok();
    case 'echo': {
      const noNewline = args[0] === '-n';
      const text = `${args.slice(noNewline ? 1 : 0).join(' ')}${noNewline ? '' : '\n'}`;
      return ok([{ fd: 1, text }]);
    }
    default: {
      const replace = name === 'exec';
      const command = replace ? args : argv;
      if (command.length === 0) return ok();
      // Prefix assignments (`FOO=1 env`) are exported to that command only.
      const child: ShellFrame = { ...frame, exported: new Map([...frame.exported, ...assigns]) };
      const r = launch(child, command, { ...ctx, runScript });
      if (r.kind === 'shell') return { outputs: r.outputs, push: r.frame, ...(replace ? { exit: 0 } : {}) };
      frame.status = r.status;
      return { outputs: r.outputs, ...(replace ? { exit: r.status } : {}) };
    }
  }
}

/**
 * `sh -c 'script'`: every line in turn; the shell's status at the end, or the status `exit` gives. A command that
 * starts a shell reading stdin (`exec busybox sh`) takes stdin over: the script ends there.
 */
export function runScript(frame: ShellFrame, script: string, stdin: boolean): ProgramResult {
  const outputs: Output[] = [];
  for (const line of script.split('\n')) {
    const r = runLine(frame, line, { stdin, shells: 0 });
    outputs.push(...r.outputs);
    if (r.push) return { kind: 'shell', frame: r.push, outputs };
    if (r.exit !== undefined) return { kind: 'done', outputs, status: r.exit };
  }
  return { kind: 'done', outputs, status: frame.status };
}

/** The start of an exec'd process: the runtime refused it, it already finished, or a shell reads stdin. */
export type ExecStart =
  | { kind: 'runtimeError'; message: string }
  | { kind: 'done'; outputs: Output[]; exitCode: number }
  | { kind: 'reading'; session: ExecSession; outputs: Output[] };

/**
 * A process started by `kubectl exec`: programs answer at once, and a shell with stdin open reads it line by line
 * until `exit` or the end of input (the v5 CLOSE signal on stdin). Nested shells (`nsenter … -- sh -l` typed into
 * the first) stack; `exit` leaves the innermost.
 */
export class ExecSession {
  private buffer = '';
  private exitCode: number | undefined;

  private constructor(private readonly stack: ShellFrame[]) {}

  /** Starts `argv` as the runtime would, in `env`; with `stdin` a shell without a script keeps reading. */
  static start(env: ExecEnvironment, argv: readonly string[], opts: { stdin: boolean }): ExecStart {
    const program = argv[0] ?? '';
    if (resolveProgram(env, program).kind === 'missing')
      return { kind: 'runtimeError', message: runtimeNotFound(program) };
    const r = launch(newFrame(env), argv, { stdin: opts.stdin, shells: 0, runScript });
    if (r.kind === 'done') return { kind: 'done', outputs: r.outputs, exitCode: r.status };
    return { kind: 'reading', session: new ExecSession([r.frame]), outputs: r.outputs };
  }

  /** The exit code once the process has ended. */
  get exited(): number | undefined {
    return this.exitCode;
  }

  /** Feeds stdin; complete lines run at once. Input after the process ended is discarded. */
  write(text: string): Output[] {
    this.buffer += text;
    const outputs: Output[] = [];
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0 && this.exitCode === undefined) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      outputs.push(...this.runTop(line));
      nl = this.buffer.indexOf('\n');
    }
    return outputs;
  }

  /** The end of stdin: a last unterminated line runs, then every shell exits with its last status. */
  end(): { outputs: Output[]; exitCode: number } {
    const outputs = this.buffer && this.exitCode === undefined ? this.runTop(this.buffer) : [];
    this.buffer = '';
    if (this.exitCode === undefined) {
      let status = this.stack.at(-1)?.status ?? 0;
      while (this.stack.length) {
        this.stack.pop();
        const parent = this.stack.at(-1);
        if (parent) parent.status = status;
        status = parent?.status ?? status;
      }
      this.exitCode = status;
    }
    return { outputs, exitCode: this.exitCode };
  }

  private runTop(line: string): Output[] {
    const top = this.stack.at(-1) as ShellFrame;
    const r = runLine(top, line, { stdin: true, shells: this.stack.length });
    if (r.push) this.stack.push(r.push);
    if (r.exit !== undefined) {
      if (r.push) this.stack.splice(-2, 1);
      else this.stack.pop();
      const parent = this.stack.at(-1);
      if (parent) parent.status = r.exit;
      else this.exitCode = r.exit;
    }
    return r.outputs;
  }
}
