/** The marker that replaces every secret; key names stay so a redacted log still reads. */
export const REDACTED = '[REDACTED]';

/** One kind of secret: a global regex and how a match is rewritten (or left alone when it is not a secret after all). */
export interface SecretRule {
  name: string;
  pattern: RegExp;
  /**
   * Gets the capture groups and a few characters that follow the match; returns the replacement, or `undefined`
   * when the match is innocent and stays.
   */
  replace: (groups: (string | undefined)[], after: string) => string | undefined;
}

/** Values that carry no secret: already redacted, empty, masks, placeholders and references to somewhere else. */
export function isInnocentValue(value: string): boolean {
  const v = value.replace(/^\\?["']|\\?["']$/g, '').trim();
  return (
    v === '' ||
    v === REDACTED ||
    /^(?:null|nil|none|undefined|true|false|\*+|x{3,}|<[^<>]*>)$/i.test(v) ||
    /^(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*)$/.test(v)
  );
}

/** Words that make a key name sensitive (password, db_pwd, GITHUB_TOKEN, client_secret, AccountKey...). */
const SENSITIVE_WORDS =
  'password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|' +
  'account[_-]?key|shared[_-]?access[_-]?key|signature|session[_-]?key|auth[_-]?key|encryption[_-]?key|' +
  // kubeconfig: a base64 PEM private key.
  'client[_-]?key[_-]?data';

/**
 * What may follow the last sensitive word and make the key a pointer or a measure rather than the secret:
 * Kubernetes writes `secretName`, `secretKeyRef`, `tokenFile`; OAuth answers carry `token_type`.
 */
const INNOCENT_SUFFIX =
  /^[_.-]?(?:key[_.-]?)?(?:name|ref|file|path|dir|url|uri|endpoint|count|len|length|size|limit|ttl|timeout|expir|type|policy|mode|enabled|required|version|provider|source|manager|store|volume|mount)/i;

/** `PWD`/`OLDPWD` are the shell's working directories, present in every environment dump. */
const SHELL_PWD = /^(?:OLD)?PWD$/;

/** Whether a key name (`DB_PASSWORD`, `client_secret`, `sig`) announces a secret value. */
export function isSensitiveKey(key: string): boolean {
  if (SHELL_PWD.test(key)) return false;
  if (/^(?:sig|x-amz-signature|auth)$/i.test(key)) return true;
  let lastEnd = -1;
  let lastWord = '';
  for (const m of key.matchAll(new RegExp(SENSITIVE_WORDS, 'gi'))) {
    lastEnd = m.index + m[0].length;
    lastWord = m[0];
  }
  if (lastEnd < 0) return false;
  const suffix = key.slice(lastEnd);
  // max_tokens, input_tokens: counts of language-model tokens, not credentials.
  if (/^token$/i.test(lastWord) && /^s(?:$|[_.-])/i.test(suffix)) return false;
  return !INNOCENT_SUFFIX.test(suffix);
}

/**
 * An empty value followed by the next pair (`Password= token: abc`) would swallow the next key and leave its value
 * bare; skipping the match lets the next one, one character on, redact the real value.
 */
function startsAnotherSecret(value: string, after: string): boolean {
  const m = /^([\w.-]+)(:$|=|$)/.exec(value);
  if (m === null || !isSensitiveKey(m[1]!)) return false;
  return m[2] !== '' || /^[ \t]*(?:=|:(?![:/]))/.test(after);
}

/** A token whose shape alone identifies it: the whole match goes. */
function tokenRule(name: string, pattern: RegExp): SecretRule {
  return { name, pattern, replace: () => REDACTED };
}

// Bounded repetitions throughout: an unbounded scan per candidate makes a huge single-line log quadratic.
const KEY = String.raw`[\w.-]{0,64}(?:${SENSITIVE_WORDS})[\w.-]{0,64}|sig|auth`;
const VALUE = String.raw`"(?:[^"\\\n]|\\.){0,1024}"|\\"(?:(?!\\")[^\n]){0,1024}\\"|'[^'\n]{0,1024}'|(?![\[{(\\])[^\s"'\x60,;&<>\\]{1,1024}`;
const PEM_BEGIN = '-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----';

/**
 * The rules, applied in order. Multi-line and context-bearing rules come first so that later, shape-only rules
 * see their markers and leave them alone (that, plus the innocent-value checks, keeps `redact` idempotent).
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    // A whole PEM block, possibly JSON-escaped (`\n` inside a service-account key file).
    name: 'pem-private-key',
    // The body stops at the next `-----`: a PEM body has none, and a lazy scan to a far END would be quadratic.
    pattern: new RegExp(String.raw`(${PEM_BEGIN})((?:(?!-----)[\s\S]){0,65536})(-----END \2PRIVATE KEY\3-----)`, 'g'),
    replace: ([begin, , , body = '', end]) =>
      isInnocentValue(body.replace(/\\[nr]/g, '')) ? undefined : `${begin}${REDACTED}${end}`,
  },
  {
    // scheme://user:password@host: the user and host stay readable; a password may itself contain `@` or `:`.
    name: 'url-password',
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:/@"'<>]*):([^\s/"'<>]*)@(?=[^\s@/"'<>])/gi,
    replace: ([scheme, user, password = '']) =>
      isInnocentValue(password) ? undefined : `${scheme}${user}:${REDACTED}@`,
  },
  {
    // Authorization: Bearer|Basic|Token ... (headers, curl -H, logged request dumps).
    name: 'authorization-header',
    pattern:
      /\b((?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?)(?:(bearer|basic|token|digest|negotiate|aws4-hmac-sha256|apikey)(\s+))?([^\s"',;\\=:][^\s"',;\\]*)/gi,
    replace: ([head, scheme = '', space = '', value = ''], after) =>
      isInnocentValue(value) || startsAnotherSecret(value, after) ? undefined : `${head}${scheme}${space}${REDACTED}`,
  },
  {
    // A bearer token anywhere else (at least 12 token characters, so prose about "bearer tokens" survives).
    name: 'bearer-token',
    pattern: /\b(bearer)\s+([A-Za-z0-9\-._~+/]{12,}=*)/gi,
    replace: ([word, token = ''], after) => (startsAnotherSecret(token, after) ? undefined : `${word} ${REDACTED}`),
  },
  tokenRule('aws-access-key-id', /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}/g),
  tokenRule('gcp-api-key', /AIza[0-9A-Za-z_-]{35}/g),
  tokenRule('gcp-oauth-token', /\bya29\.[0-9A-Za-z_-]{20,}/g),
  tokenRule('slack-token', /xox[abposre]-[0-9A-Za-z-]{10,}/g),
  tokenRule('slack-app-token', /xapp-\d-[0-9A-Za-z-]{10,}/g),
  {
    name: 'slack-webhook',
    pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9_/-]+/gi,
    replace: ([path]) => `${path}${REDACTED}`,
  },
  tokenRule('github-token', /(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{30,}/g),
  tokenRule('github-fine-grained-token', /github_pat_[0-9A-Za-z_]{22,}/g),
  tokenRule('gitlab-token', /gl(?:pat|dt|rt|ptt|cbt|oas)-[0-9A-Za-z_-]{20,}/g),
  tokenRule('stripe-key', /(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g),
  tokenRule('npm-token', /npm_[0-9A-Za-z]{36}/g),
  tokenRule('pypi-token', /pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{20,}/g),
  tokenRule('sendgrid-key', /SG\.[0-9A-Za-z_-]{16,}\.[0-9A-Za-z_-]{16,}/g),
  tokenRule('openai-key', /\bsk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{32,}/g),
  // JWT: header and payload are base64url JSON (`{"` encodes to eyJ); the signature may be empty (alg none).
  tokenRule('jwt', /(?<![0-9A-Za-z_-])eyJ[0-9A-Za-z_-]{4,8192}\.[0-9A-Za-z_-]{2,}\.[0-9A-Za-z_-]*/g),
  {
    // ADO.NET / ODBC / Azure connection strings: the value runs to the next `;` and may hold spaces.
    name: 'connection-string-password',
    pattern: /(?<![\w./-])(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)(\s*=)([^;\n"']{0,256});/gi,
    replace: ([key, eq, value = '']) => (isInnocentValue(value) ? undefined : `${key}${eq}${REDACTED};`),
  },
  {
    // key=value, key: value, "key": "value", key='value', \"key\":\"value\" (JSON inside JSON), key := "value".
    name: 'key-value',
    pattern: new RegExp(String.raw`(?<![\w./-])(\\?["']?)(${KEY})\1(\s*(?:=>|:=|=|:(?![:/]))[ \t]*)(${VALUE})`, 'gi'),
    replace: ([quote = '', key = '', sep = '', value = ''], after) => {
      if (!isSensitiveKey(key) || isInnocentValue(value) || startsAnotherSecret(value, after)) return undefined;
      // `auth` alone is a secret in JSON (a docker config's base64 user:password), prose elsewhere (`auth=ldap`).
      if (/^auth$/i.test(key) && quote === '') return undefined;
      // A quoted key with a bare word after it is prose, not JSON: `volume "db-secret" : secret "db" not found`.
      if (quote !== '' && !/^(?:\\?["']|-?\d)/.test(value)) return undefined;
      const q = /^\\?["']/.exec(value)?.[0] ?? '';
      return `${quote}${key}${quote}${sep}${q}${REDACTED}${q}`;
    },
  },
  {
    // Command-line flags: --password hunter2 (the `--token=...` form is caught above).
    name: 'cli-flag',
    pattern: new RegExp(String.raw`(?<![\w-])(--(?:${KEY}))([ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"']*)`, 'gi'),
    replace: ([flag = '', sep = '', value = '']) =>
      !isSensitiveKey(flag.slice(2)) || isInnocentValue(value) ? undefined : `${flag}${sep}${REDACTED}`,
  },
  {
    // A PEM block cut off by a log tail (no END line): everything base64-looking after BEGIN goes. Last of all,
    // so that a `key: value` swallowed by this loose match has been redacted already; markers may sit inside.
    name: 'pem-private-key-truncated',
    pattern: new RegExp(String.raw`(${PEM_BEGIN})((?:(?!-----END )(?:[A-Za-z0-9+/=\s:,-]|\\[nr]|\[REDACTED\]))*)`, 'g'),
    replace: ([begin, , , body = '']) =>
      isInnocentValue(body.replace(/\\[nr]/g, '')) ? undefined : `${begin}${REDACTED}`,
  },
];
