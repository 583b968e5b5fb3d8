import { isInnocentValue, isProse, isSecretValue, looksLikeSecret, REDACTED } from './judge-value.js';
import { type KeyStrength, keyStrength } from './sensitive-key.js';

/** One kind of secret: a global regex and how a match is rewritten (or left alone when it is not a secret after all). */
export interface SecretRule {
  name: string;
  pattern: RegExp;
  /**
   * Gets the capture groups and a few characters that follow the match; returns the replacement, or `undefined`
   * when the match is innocent and stays.
   */
  replace: (groups: (string | undefined)[], after: string) => string | undefined;
  /**
   * Lowercase literals of which the pattern cannot match without one: a line holding none of them skips the regex.
   * Most lines hold none, and `includes` is much cheaper than a regex scan.
   */
  needs: readonly string[];
}

/**
 * An empty value followed by the next pair (`Authorization= token: abc`) would swallow the next key and leave its
 * value bare; skipping the match lets the next one redact the real value.
 */
function startsAnotherSecret(value: string, after: string): boolean {
  const m = /^([\w.-]+)(:$|=|$)/.exec(value);
  if (m === null || keyStrength(m[1]!) === undefined) return false;
  return m[2] !== '' || /^[ \t]*(?:=|:(?![:/]))/.test(after);
}

/** Whether `value`, named by `name`, is a secret (the name's own strength unless given). */
function isSecretAfter(name: string, value: string, strength: KeyStrength = keyStrength(name)): boolean {
  return isSecretValue(value, strength);
}

/** Programs whose `-p` (or `-P`, `-a`) flag takes a password rather than a port. */
const LOGIN_CONTEXT =
  /\b(?:login|mysql\w*|mariadb\w*|sshpass|mongo(?:sh|dump|restore|import|export)?|sqlcmd|bcp|isql|vsql|redis-cli|keydb-cli|rabbitmqctl|influx|clickhouse-client|htpasswd|smbclient|net use|openssl|zip|unzip|7z|rar|pg_dump|psql|sqlplus|ldapsearch|ldapmodify|ldapadd|mosquitto_(?:pub|sub))\b|(?:^|\s)(?:-u|-U|--user(?:name)?)[ =]?\S/;
const PORT_LIKE = /^\d{1,5}(?::\d{1,5})*(?:\/(?:tcp|udp|sctp))?$/;

/**
 * The rules applied to each line, in order, after vendor tokens (redact-tokens.ts). Shape rules that must see a
 * whole token come before the key-value scan, which would otherwise cut a token at its first `=`.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    // scheme://user:password@host: the user and host stay readable; a password may itself contain `@` or `:`.
    name: 'url-password',
    needs: ['://'],
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:/@"'<>]{0,256}):([^\s/"'<>]{0,256})@(?=[^\s@/"'<>])/gi,
    replace: ([scheme, user, password = '']) =>
      isInnocentValue(password) ? undefined : `${scheme}${user}:${REDACTED}@`,
  },
  {
    // scheme://token@host: a token as the whole user part (a git remote with a PAT, a Sentry DSN).
    name: 'url-user-token',
    needs: ['://'],
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s:/@"'<>]{16,256})@(?=[^\s@/"'<>])/gi,
    replace: ([scheme, user = '']) => (looksLikeSecret(user) ? `${scheme}${REDACTED}@` : undefined),
  },
  {
    // Incoming webhooks carry their credential in the path (Slack, Discord, Teams, Google Chat, generic /hooks/).
    name: 'webhook-path',
    needs: ['hook', '/v1/spaces/'],
    pattern:
      /((?:hooks\.slack\.com\/(?:services|workflows|triggers)|\/api\/webhooks|\/webhookb2|\/IncomingWebhook|\/(?:web)?hooks?(?:\/catch)?|\/v1\/spaces\/[\w-]+\/messages\?key=|\/webhook\/v\d)\/)([A-Za-z0-9_@./=%-]{8,})/gi,
    replace: ([path, rest = '']) => (/\d/.test(rest) && /[A-Za-z]/.test(rest) ? `${path}${REDACTED}` : undefined),
  },
  {
    // Authorization: <scheme> <credential>, any scheme (Bearer, Basic, SSWS, Token, GenieKey, AWS4-HMAC-SHA256 …):
    // the scheme word stays, the credential goes; a header with no scheme loses its whole value.
    name: 'authorization-header',
    needs: ['authori'],
    pattern:
      /\b((?:proxy-)?authori[sz]ation\\*["']?\s*[:=]\s*\\*["']?)(?:([A-Za-z][\w.-]{0,31})([ \t]+))?([^\s"',;\\=:][^\s"',;\\]*)/gi,
    replace: ([head, scheme = '', space = '', value = ''], after) => {
      if (isInnocentValue(value) || isProse(value) || startsAnotherSecret(value, after)) return undefined;
      return `${head}${scheme}${space}${REDACTED}`;
    },
  },
  {
    // A bearer token anywhere else (at least 12 token characters, so prose about "bearer tokens" survives).
    name: 'bearer-token',
    needs: ['bearer'],
    pattern: /\b(bearer)\s+([A-Za-z0-9\-._~+/]{12,}=*)/gi,
    replace: ([word, token = ''], after) => (startsAnotherSecret(token, after) ? undefined : `${word} ${REDACTED}`),
  },
  {
    // A URL path segment that is random key material (a bot token, a signed path): mixed case and digits, 24+ long.
    name: 'url-path-token',
    needs: ['://'],
    pattern:
      /(\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s/"'<>]{1,256}(?:\/[^\s/"'<>?#]{0,256}){0,16}?\/)([A-Za-z0-9_-]{24,256})(?=[/?#\s"'<>]|$)/gi,
    replace: ([head, segment = '']) =>
      /[A-Z]/.test(segment) && /[a-z]/.test(segment) && /\d/.test(segment) ? `${head}${REDACTED}` : undefined,
  },
  {
    // ADO.NET / ODBC / Azure connection strings: the value runs to the next `;` and may hold spaces.
    name: 'connection-string-password',
    needs: ['password', 'pwd', 'accountkey', 'sharedaccess'],
    pattern:
      /(?<![\w./-])(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)(\s*=)([^;\n"']{0,256})(;|$(?<=;[^\n]{0,512}))/gi,
    replace: ([key, eq, value = '', end = '']) => (isInnocentValue(value) ? undefined : `${key}${eq}${REDACTED}${end}`),
  },
  {
    // <password>…</password>, <client-secret>…</client-secret>: an XML or HTML element named for a secret.
    name: 'xml-element',
    needs: ['</'],
    pattern: /<([A-Za-z][\w.:-]{0,63})(\s[^<>]{0,256})?>([^<\n]{1,1024})<\/\1>/g,
    replace: ([tag = '', attrs = '', value = '']) =>
      isSecretAfter(tag, value) ? `<${tag}${attrs}>${REDACTED}</${tag}>` : undefined,
  },
  {
    // A name and its value as a call's arguments or a tuple: define('DB_PASSWORD', '…'), ("api", "key-…"),
    // os.environ["API_TOKEN"] = "…", setenv("SECRET", "…").
    name: 'name-value-arguments',
    needs: ['(', '['],
    pattern:
      /([([]\s{0,4}\\*(["'])([^"'\n]{1,64})\\*\2\s{0,4}(?:,|\]\s{0,4}=)\s{0,4})(\\*["'])([^"'\n]{1,1024})(\\*["'])/g,
    replace: ([head = '', , name = '', open = '', value = '', close = '']) => {
      const strength = keyStrength(name) ?? (/^(?:api|auth)$/i.test(name) ? 'weak' : undefined);
      return isSecretAfter(name, value, strength) ? `${head}${open}${REDACTED}${close}` : undefined;
    },
  },
  {
    // SQL and .netrc put the password after a word, not a separator: IDENTIFIED BY '…', WITH PASSWORD '…',
    // `machine h login u password …`. Quoted, or shaped like a secret, so prose (`password authentication`) stays.
    name: 'password-after-word',
    needs: ['identified', 'pass'],
    pattern: /\b(identified\s+by|password|passwd|passphrase)([ \t]+)(?:(["'])([^"'\n]{1,256})\3|([^\s"',;]{1,256}))/gi,
    replace: ([word = '', space = '', quote = '', quoted, bare], after) => {
      const value = quoted ?? bare ?? '';
      if (isInnocentValue(value) || isProse(value) || startsAnotherSecret(value, after)) return undefined;
      if (quoted === undefined && !looksLikeSecret(value)) return undefined;
      return `${word}${space}${quote}${REDACTED}${quote}`;
    },
  },
  {
    // A secret word, a space (or `is`), then key material: `using token 9f8e…`, `api key is AbC…`, `credential X…`.
    // Only material of a secret's shape: 20+ characters mixing cases and digits, or 32+ hex digits.
    name: 'material-after-word',
    needs: ['token', 'secret', 'key', 'credential', 'passphrase', 'passwd', 'pwd'],
    pattern:
      /\b(token|secret|key|credential|apikey|passphrase|passwd|pwd)((?:[ \t]+(?:is|was|=))?[ \t]+)([A-Za-z0-9_\-+/=.~]{20,512})/gi,
    replace: ([word = '', gap = '', value = '']) => {
      const mixed = /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value);
      if (!mixed && !/^(?:0x)?[0-9a-f]{32,}$/i.test(value)) return undefined;
      return looksLikeSecret(value) ? `${word}${gap}${REDACTED}` : undefined;
    },
  },
  {
    // Command-line flags with a space: --password hunter2, -token abc (the `--token=...` form is the key-value scan's).
    name: 'cli-flag',
    needs: ['-'],
    pattern: /(?<![\w-])(--?[A-Za-z][\w.-]{1,63})([ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"']*)/g,
    replace: ([flag = '', sep = '', value = ''], after) => {
      const strength = keyStrength(flag.replace(/^-+/, ''));
      if (strength === undefined || isInnocentValue(value) || isProse(value)) return undefined;
      if (startsAnotherSecret(value, after)) return undefined;
      if (/^\d{1,3}$/.test(value) || (strength === 'weak' && !looksLikeSecret(value))) return undefined;
      return `${flag}${sep}${REDACTED}`;
    },
  },
  {
    // -p<password> / -p <password> (mysql, docker login, sshpass), -P for sqlcmd, -a for redis-cli: only on a line
    // that runs such a program, and never a port (`-p 8080:80`).
    name: 'short-password-flag',
    needs: ['-'],
    pattern: /(?<![\w-])(-[pPa])([ \t]*|=)("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"']*)/g,
    replace: ([flag = '', sep = '', value = ''], after) => {
      if (PORT_LIKE.test(value.replace(/^["']|["']$/g, '')) || isInnocentValue(value)) return undefined;
      if (startsAnotherSecret(value, after)) return undefined;
      return `${flag}${sep}${REDACTED}`;
    },
  },
  {
    // Oracle's thin JDBC URL puts user/password before the @: jdbc:oracle:thin:scott/tiger@db:1521/orcl.
    name: 'jdbc-oracle-thin',
    needs: ['jdbc:oracle:'],
    pattern: /(jdbc:oracle:(?:thin|oci):)([^\s/@:"']{1,128})\/([^\s@"']{1,256})@/gi,
    replace: ([head = '', user = '', password = '']) =>
      isInnocentValue(password) ? undefined : `${head}${user}/${REDACTED}@`,
  },
  {
    // ldapsearch / ldapmodify -w <bind password> (only on a line running an LDAP tool: -w means other things elsewhere).
    name: 'ldap-bind-password',
    needs: ['ldap'],
    pattern: /(\bldap\w*\b[^\n]*?\s-w)([ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"']*)/g,
    replace: ([head = '', sep = '', value = '']) => (isInnocentValue(value) ? undefined : `${head}${sep}${REDACTED}`),
  },
  {
    // curl -u user:password, --user, --proxy-user, wget --http-password is a flag above.
    name: 'user-colon-password-flag',
    needs: ['-u'],
    pattern: /(?<![\w-])(-u|-U|--user|--proxy-user)([ \t]+|=)(["']?)([^\s:"']+):([^\s"']+)\3/g,
    replace: ([flag = '', sep = '', quote = '', user = '', password = '']) =>
      isInnocentValue(password) ? undefined : `${flag}${sep}${quote}${user}:${REDACTED}${quote}`,
  },
];

/** Whether the short-flag rule may run on this line. */
export function hasLoginContext(line: string): boolean {
  return LOGIN_CONTEXT.test(line);
}
