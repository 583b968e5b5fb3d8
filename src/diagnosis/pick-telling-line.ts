/** Exception declarations: `KeyError: 'X'`, `Error: connect ECONNREFUSED`, `java.lang.IllegalStateException: ...`, `panic: ...`. */
const DECLARATION =
  /^(?:Caused by: )?(?:[\w$]+[.:])*[\w$]*(?:Error|Exception|Panic)\b(?:: |$)|^panic: |^fatal error: |^Exception in thread |^Traceback \(most recent call last\)$/;

/** A line that opens with its level: `ERROR: relation "users" already exists`, `fatal: ...`. */
const LEVEL_PREFIX = /^(?:error|fatal|critical|panic):/i;

const ERROR_WORDS = /error|exception|fatal|panic|failed|cannot|unable/i;

/** Structured loggers (pino, zap, logrus, bunyan) put the words in msg/message/error; levels 50/60 are error/fatal. */
function structuredText(line: string): string | undefined {
  if (!line.startsWith('{') || !line.endsWith('}')) return undefined;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    const msg = [
      o.msg,
      o.message,
      o.error,
      o.err && typeof o.err === 'object' ? (o.err as { message?: unknown }).message : o.err,
    ]
      .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
      .join(': ');
    return msg || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The one log line that best says why the process died, for a finding's summary: the last exception declaration
 * (Python ends its traceback with it, Node and Go start their trace with it), else the last line opening with an
 * error level, else the last unindented line with an error word; structured log lines give their message.
 */
export function pickTellingLine(lines: readonly string[]): string | undefined {
  const texts = lines.map((l) => structuredText(l) ?? l);
  const declared = texts.filter((l) => DECLARATION.test(l) && !l.startsWith('Traceback')).pop();
  if (declared) return declared;
  const prefixed = texts.filter((l) => LEVEL_PREFIX.test(l)).pop();
  if (prefixed) return prefixed;
  return texts.filter((l) => /^\S/.test(l) && ERROR_WORDS.test(l)).pop();
}
