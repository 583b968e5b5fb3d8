/**
 * How telling one log line is about why a process failed: a score, the error family it belongs to, and where its
 * telling phrase sits (so a long line can be cut around it instead of at a fixed width).
 */
export interface LineRank {
  /** 0 when the line says nothing wrong; higher is more telling. */
  score: number;
  /** The error family, when one matched: 'dns', 'connection', 'tls', 'permission'... */
  family?: ErrorFamily;
  /** The severity the line declares (its level), 0 none … 3 fatal/panic. */
  severity: number;
  /** Offset and length of the telling phrase in `text`, for cutting around it. */
  phrase?: { start: number; length: number };
  /** The words that carry the meaning: a structured line's message, else the line itself. */
  text: string;
}

export type ErrorFamily =
  | 'missing-config'
  | 'dns'
  | 'connection'
  | 'tls'
  | 'auth'
  | 'permission'
  | 'filesystem'
  | 'oom'
  | 'panic'
  | 'usage'
  | 'limits'
  | 'not-found';

/** Patterns tried in turn; each keeps its own flags (most are case-insensitive, variable names are not). */
function anyOf(...parts: RegExp[]): { exec(text: string): RegExpExecArray | null } {
  return {
    exec(text: string) {
      for (const p of parts) {
        const m = p.exec(text);
        if (m) return m;
      }
      return null;
    },
  };
}

/**
 * Error families, most specific first, each with the wording runtimes and libraries use for it. The weight says how
 * strongly the family names a cause: a missing variable or an unresolvable host names it outright; "not found" only
 * hints.
 */
const FAMILIES: readonly {
  family: ErrorFamily;
  weight: number;
  pattern: { exec(text: string): RegExpExecArray | null };
}[] = [
  {
    family: 'missing-config',
    // Above a loud error line of another family: a missing variable is the cause, the noise around it follows.
    weight: 11,
    pattern: anyOf(
      /\b(?:environment|env) var(?:iable)?s?\b[^.]{0,80}?\b(?:is |are |was )?(?:not set|unset|missing|required|undefined|empty|not defined|not provided|must be (?:set|provided|specified))/i,
      /\b(?:missing|required|undefined|unset)\b[^.]{0,50}\b(?:environment|env)(?: var(?:iable)?)?s?\b/i,
      // An upper-case name (an environment variable), so the case must stay significant here.
      /\b[A-Z][A-Z0-9_]{2,}\b[^.]{0,20}?\b(?:must not be empty|must be (?:set|provided|specified)|is not set|not set|is required|is missing|is empty|not defined)\b|\bKeyError: '[A-Z][A-Z0-9_]{2,}'|\bkey not found: "[A-Z][A-Z0-9_]{2,}"/,
      /\bmissing required (?:config|configuration|setting|option|property|field|flag|argument)\b/i,
      /\bCould not resolve placeholder\b|\bno (?:config(?:uration)? file|such config)\b/i,
      /\bconfig(?:uration)?(?: key| value| option| setting)? [^ ]+ (?:is )?(?:not set|missing|required|undefined)\b/i,
      /\b(?:attribute|property|setting|option|parameter|variable|field) ['"`]?[\w.-]+['"`]? (?:is not (?:specified|set|defined|configured)|must be (?:set|specified|provided)|is required|is missing)\b/i,
      /['"`][\w.-]+['"`] (?:attribute|property|setting|option|parameter|variable|field) (?:is not (?:specified|set|defined|configured)|must be (?:set|specified|provided)|is required|is missing)\b/i,
    ),
  },
  {
    family: 'dns',
    weight: 7,
    pattern:
      /\bno such host\b|\bcan't resolve\b|\bcould not resolve host\b|\bTemporary failure in name resolution\b|\bName or service not known\b|\bUnknownHostException\b|\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN)\b|\bENOTFOUND\b|\bEAI_AGAIN\b|\bNXDOMAIN\b|\bserver misbehaving\b|\bnodename nor servname\b|\bfailed to resolve\b|\bName does not resolve\b|\bunknown host\b|\bhost not found\b/i,
  },
  {
    family: 'tls',
    weight: 6,
    pattern:
      /\bx509: [^,;]*|\bcertificate (?:has expired|is not valid|signed by unknown authority|verify failed)|\bCERTIFICATE_VERIFY_FAILED\b|\bSSLHandshakeException\b|\bPKIX path building failed\b|\btls: [a-z][^,;]*|\bunable to verify the first certificate\b|\bself[- ]signed certificate\b|\bSSL routines\b/i,
  },
  {
    family: 'connection',
    weight: 6,
    pattern:
      /\bconnection refused\b|\bECONNREFUSED\b|\bconnection reset(?: by peer)?\b|\bECONNRESET\b|\bi\/o timeout\b|\bETIMEDOUT\b|\bEHOSTUNREACH\b|\bENETUNREACH\b|\bno route to host\b|\bnetwork is unreachable\b|\bConnectException\b|\bCommunications link failure\b|\bconnection timed out\b|\bcontext deadline exceeded\b|\bbroken pipe\b|\baddress already in use\b|\bEADDRINUSE\b|\bno response\b|\bdial tcp [^ ]+: [^,;]+|\bconnect(?:ion)? to [^ ]+ (?:failed|timed out)/i,
  },
  {
    family: 'auth',
    weight: 5,
    pattern:
      /\bauthentication failed\b|\bpassword authentication failed\b|\bAccess denied for user\b|\binvalid (?:credentials|password|token|api key)\b|\bunauthori[sz]ed\b|\b401\b.*\bUnauthorized\b|\bforbidden\b|\bpermission denied for (?:database|relation|schema|table)\b|\bNOAUTH\b|\bWRONGPASS\b/i,
  },
  {
    family: 'oom',
    weight: 6,
    pattern:
      /\bOutOfMemoryError\b|\bout of memory\b|\bJavaScript heap out of memory\b|\bMemoryError\b|\bcannot allocate memory\b|\bENOMEM\b|\bheap limit\b|\bOOM\b/i,
  },
  {
    family: 'permission',
    weight: 6,
    pattern: /\bPermission denied\b|\bEACCES\b|\bOperation not permitted\b|\bEPERM\b|\bAccessDeniedException\b/i,
  },
  {
    family: 'filesystem',
    weight: 5,
    pattern:
      /\bRead-only file system\b|\bEROFS\b|\bNo space left on device\b|\bENOSPC\b|\bno such file or directory\b|\bENOENT\b|\bFileNotFoundException\b|\bNoSuchFileException\b|\bIs a directory\b|\bNot a directory\b|\bToo many open files\b|\bEMFILE\b|\bdisk quota exceeded\b/i,
  },
  {
    family: 'panic',
    weight: 5,
    pattern:
      /^panic: .*|\bpanicked at\b|\bnil pointer dereference\b|\bSegmentation fault\b|\bSIGSEGV\b|\bcore dumped\b|\bfatal error: .*|\bStackOverflowError\b|\bNullPointerException\b|\bunhandled (?:exception|rejection)\b/i,
  },
  {
    family: 'usage',
    weight: 6,
    pattern:
      /\bflag provided but not defined\b|\bunknown (?:shorthand )?(?:flag|option|command|argument)\b|\bunrecognized (?:option|argument|arguments|arguments?: )|\binvalid (?:option|argument|flag)\b|\brequired flag\(?s?\)? .* not set\b|\bwrong number of arguments\b|\bBad directive\b/i,
  },
  {
    family: 'limits',
    weight: 6,
    pattern:
      /\bis too low, increase\b|\bvm\.max_map_count\b|\bmax file descriptors\b|\bmax number of threads\b|\bulimit\b/i,
  },
  {
    family: 'not-found',
    weight: 2,
    pattern: /\b(?:does not exist|not found|no such \w+|unknown (?:database|table|relation|topic|bucket|queue))\b/i,
  },
];

/** An exception declaration: `KeyError: 'X'`, `java.lang.IllegalStateException: …`, `Error: connect …`. */
const DECLARATION =
  /^(?:Caused by: )?(?:[\w$]+[.:])*[\w$]*(?:Error|Exception|Panic)\b(?:: |$)|^panic: |^fatal error: |^Exception in thread /;

/** Generic failure words: weak, but better than nothing. */
const FAILURE_WORDS =
  /\b(?:error|err|exception|fatal|failed|failure|cannot|can't|could not|couldn't|unable to|refused|denied|invalid|timed? ?out|abort(?:ed)?|crash(?:ed)?|exiting|giving up)\b/i;

/** Words that say all is well even with an error word in it ("0 errors", "no error"). */
const BENIGN = /\b(?:0|no|zero) (?:errors?|failures?)\b|\bsuccess(?:fully)?\b|\bready\b|\bstarted\b|\blistening on\b/i;

const LEVEL_SCORE: Readonly<Record<string, number>> = {
  trace: 0,
  debug: 0,
  info: 0,
  notice: 0,
  warn: 1,
  warning: 1,
  error: 2,
  err: 2,
  eror: 2,
  crit: 3,
  critical: 3,
  alert: 3,
  emerg: 3,
  fatal: 3,
  panic: 3,
  severe: 2,
  dpanic: 3,
};

/** Numeric levels of pino/bunyan (40 warn, 50 error, 60 fatal). */
function numericLevel(n: number): number {
  return n >= 60 ? 3 : n >= 50 ? 2 : n >= 40 ? 1 : 0;
}

/** The first family a text belongs to, with where its phrase is. */
function familyOf(text: string): { family: ErrorFamily; weight: number; index: number; length: number } | undefined {
  for (const f of FAMILIES) {
    const m = f.pattern.exec(text);
    if (m) return { family: f.family, weight: f.weight, index: m.index, length: m[0].length };
  }
  return undefined;
}

/** A string value up to two levels down that names an error family, for JSON lines whose message does not. */
function nestedCause(o: unknown, depth = 0): string | undefined {
  if (!o || typeof o !== 'object' || depth > 2) return undefined;
  for (const v of Object.values(o as Record<string, unknown>)) {
    if (typeof v === 'string' && v.length <= 2000 && familyOf(v)) return v;
    const deeper = typeof v === 'object' ? nestedCause(v, depth + 1) : undefined;
    if (deeper) return deeper;
  }
  return undefined;
}

/** A line's structured form (JSON object or logfmt), reduced to its level and its words. */
function structured(line: string): { level?: number; text: string } | undefined {
  const t = line.trim();
  if (t.startsWith('{') && t.endsWith('}')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      // MongoDB's structured log spells the severity as one letter in "s" (F, E, W, I, D1…).
      const mongo = typeof o.s === 'string' ? { F: 'fatal', E: 'error', W: 'warn' }[o.s] : undefined;
      const lvl = o.level ?? o.severity ?? o.lvl ?? o['log.level'] ?? o.levelname ?? mongo;
      const level =
        typeof lvl === 'number'
          ? numericLevel(lvl)
          : typeof lvl === 'string'
            ? LEVEL_SCORE[lvl.toLowerCase()]
            : undefined;
      const errField = o.err ?? o.error ?? o.exception ?? o['error.message'] ?? o.stacktrace;
      const words = [
        o.msg,
        o.message,
        errField && typeof errField === 'object' ? (errField as { message?: unknown }).message : errField,
      ].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
      // The cause often sits in a nested field (attr.message, error.cause): the first one naming an error family.
      const nested = words.some((w) => familyOf(w)) ? undefined : nestedCause(o);
      const text = [...words, ...(nested ? [nested] : [])].join(': ');
      return { ...(level !== undefined ? { level } : {}), text: text || t };
    } catch {
      return undefined;
    }
  }
  // logfmt: level=error msg="…" err="…" (Go kit, logrus text, slog's TextHandler).
  const lv = /(?:^|\s)(?:level|lvl|severity)=("?)(\w+)\1(?=\s|$)/i.exec(t);
  if (!lv) return undefined;
  const field = (name: string) =>
    new RegExp(`(?:^|\\s)${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|(\\S+))`, 'i').exec(t)?.slice(1, 3).find(Boolean);
  const words = [field('msg') ?? field('message'), field('err') ?? field('error')].filter(Boolean).join(': ');
  const level = LEVEL_SCORE[(lv[2] ?? '').toLowerCase()];
  return { ...(level !== undefined ? { level } : {}), text: words ? words.replace(/\\"/g, '"') : t };
}

/** A plain line's declared level: `ERROR`, `[error]`, `E1207 12:00:00` (klog), `level: error`. */
function plainLevel(line: string): number {
  if (/^[EF]\d{4} \d\d:\d\d:\d\d/.test(line)) return line.startsWith('F') ? 3 : 2;
  const m = /(?:^|[\s[|(<])(FATAL|PANIC|CRITICAL|CRIT|EMERG|ALERT|SEVERE|ERROR|ERR|WARN|WARNING)(?=[\s\]|):>]|$)/.exec(
    line.slice(0, 200),
  );
  if (m?.[1]) return LEVEL_SCORE[m[1].toLowerCase()] ?? 0;
  const lower = /^(?:\W{0,3})(fatal|panic|critical|error|err)(?::|\s-|\])/i.exec(line);
  return lower?.[1] ? (LEVEL_SCORE[lower[1].toLowerCase()] ?? 0) : 0;
}

/** Words that carry meaning once timestamps, brackets, levels and numbers are set aside. */
function contentWords(text: string): number {
  return text
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b\d[\d:.TZ+-]*\b/g, ' ')
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 3 && !(w.toLowerCase() in LEVEL_SCORE)).length;
}

/** Lines are examined on their first characters only: logs may hold megabyte lines. */
const EXAMINED_CHARS = 4000;

/** Ranks one log line; see {@link LineRank}. Pure and cheap: run it on every line of a tail. */
export function rankLogLine(line: string): LineRank {
  const head = line.length > EXAMINED_CHARS ? line.slice(0, EXAMINED_CHARS) : line;
  const s = structured(head);
  const text = s?.text ?? head;
  const severity = Math.max(s?.level ?? 0, s ? 0 : plainLevel(head));
  let score = severity * 2;
  let family: ErrorFamily | undefined;
  let phrase: LineRank['phrase'];
  const found = familyOf(text);
  if (found) {
    family = found.family;
    score += found.weight;
    phrase = { start: found.index, length: found.length };
  }
  if (DECLARATION.test(text.trimStart())) score += 3;
  if (!family) {
    const m = FAILURE_WORDS.exec(text);
    if (m) {
      score += 1;
      phrase = { start: m.index, length: m[0].length };
    }
  }
  // Indented lines continue a trace; they are evidence, not the statement of the error.
  if (/^\s/.test(head) && !s) score = Math.max(0, score - 2);
  // Banners (`*** FATAL CONFIG FILE ERROR ***`) and bare words (`Aborting`, `exiting`) announce an error the
  // lines around them state.
  if (score > 0 && !family && (/^\W{3,}.*\W{3,}$/.test(text.trim()) || contentWords(text) < 3)) {
    score = Math.max(1, score - 2);
  }
  if (score > 0 && severity === 0 && BENIGN.test(text) && !family) score = 0;
  return { score, severity, text, ...(family ? { family } : {}), ...(phrase ? { phrase } : {}) };
}
